import { describe, expect, test } from "bun:test";
import { Writable } from "node:stream";
import type { ControllerReport } from "@container-actions/core";
import { ControllerMetrics } from "./controller-metrics.ts";
import { createLogger } from "./logger.ts";
import { readinessReport } from "./readiness.ts";
import { createReportHandler } from "./report-handler.ts";

function harness() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  const metrics = new ControllerMetrics();
  const report = createReportHandler({ metrics, log: createLogger("debug", sink), requestOf: () => ({ action: "restart", requestId: "r9" }) });
  return { lines, metrics, report };
}

const completed: ControllerReport = {
  kind: "action",
  key: "ns/abc",
  attempt: 0,
  durationMs: 250,
  outcome: {
    kind: "completed",
    dispatched: true,
    cleared: "cleared",
    lastAction: { action: "stop", state: "Succeeded", requestId: "r1", observedAt: "t", completedAt: "t" },
  },
};

describe("report handler", () => {
  test("a handled action: counted by action and result, timed by the pass, logged with key, action, request id and outcome", async () => {
    const { lines, metrics, report } = harness();
    report(completed);
    const text = (await metrics.render()).body;
    expect(text).toContain('container_actions_total{action="stop",result="Succeeded"} 1');
    expect(text).toContain('controller_reconcile_total{queue="actions",result="completed"} 1');
    expect(text).toContain('controller_reconcile_duration_seconds_sum{queue="actions"} 0.25');
    expect(lines.at(-1)).toMatchObject({ key: "ns/abc", action: "stop", requestId: "r1", outcome: "completed", state: "Succeeded", msg: "Action handled" });
  });

  test("a retry: an error counted, the request named from the cache, logged as kept", async () => {
    const { lines, metrics, report } = harness();
    report({ kind: "action", key: "ns/abc", attempt: 2, durationMs: 1, outcome: { kind: "retry", why: "engine unreachable: ECONNREFUSED" } });
    expect((await metrics.render()).body).toContain('controller_reconcile_errors_total{queue="actions"} 1');
    expect(lines.at(-1)).toMatchObject({ level: 40, action: "restart", requestId: "r9", outcome: "retry", why: "engine unreachable: ECONNREFUSED" });
  });

  test("mirror and finalize passes go to their queues' series", async () => {
    const { metrics, report } = harness();
    report({ kind: "mirror", id: "abc", attempt: 0, durationMs: 1, outcome: { kind: "updated", writes: 1 } });
    report({ kind: "finalize", key: "ns/abc", attempt: 0, durationMs: 1, outcome: { kind: "released" } });
    const text = (await metrics.render()).body;
    expect(text).toContain('controller_reconcile_total{queue="mirrors",result="updated"} 1');
    expect(text).toContain('controller_reconcile_total{queue="actions",result="finalize-released"} 1');
  });

  test("queue depth and retries are read from the queues at scrape time", async () => {
    const { metrics } = harness();
    let retries = 3;
    metrics.watchQueue("actions", { stats: () => ({ depth: 2, active: 1, delayed: 0, adds: 9, retries }) });
    retries = 5;
    const text = (await metrics.render()).body;
    expect(text).toContain('workqueue_depth{queue="actions"} 2');
    expect(text).toContain('workqueue_retries_total{queue="actions"} 2');
  });

  test("kube requests by verb/resource/code/caller, with 409s also counted as conflicts", async () => {
    const { metrics } = harness();
    metrics.observeKubeRequest({ verb: "patch", resource: "containers/status", caller: "action" }, "200");
    metrics.observeKubeRequest({ verb: "update", resource: "leases", caller: "leader" }, "409");
    const text = (await metrics.render()).body;
    expect(text).toContain('kube_api_requests_total{verb="patch",resource="containers/status",code="200",caller="action"} 1');
    expect(text).toContain("kube_api_conflicts_total 1");
  });
});

describe("readiness", () => {
  test("ready only when every check passes; the body names each", () => {
    expect(readinessReport([{ name: "informer", ok: () => true }, { name: "docker", ok: () => false }])).toEqual({
      ready: false,
      body: "[+]informer ok\n[-]docker failed\nreadyz check failed\n",
    });
    expect(readinessReport([{ name: "leader", ok: () => true }]).ready).toBe(true);
  });
});
