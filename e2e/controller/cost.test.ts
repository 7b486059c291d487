/**
 * What one action costs on the real apiserver, read from the controller's own /metrics: API writes and
 * reads by the action path, conflicts, Docker calls. The contract (docs/design/api_containers.md): 2 API
 * writes, 0 API reads, 0 conflicts, 1 Docker call (+1 inspect for pause, unpause and restart).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { KUBE_BACKENDS } from "./support/cluster.ts";
import { sumOf, type Metrics } from "./support/controller-process.ts";
import { closeSuite, openSuite, type Suite } from "./support/suite.ts";
import { runContainer } from "./support/test-docker.ts";
import { waitFor } from "./support/wait.ts";

interface Cost {
  action: string;
  apiWrites: number;
  apiReads: number;
  conflicts: number;
  dockerCalls: number;
  dockerInspects: number;
  mirrorWrites: number;
  mirrorInspects: number;
  eventWrites: number;
}

function costBetween(action: string, a: Metrics, b: Metrics): Cost {
  const d = (name: string, match: Record<string, string>) => sumOf(b, name, match) - sumOf(a, name, match);
  const docker = "docker_call_duration_seconds_count";
  return {
    action,
    apiWrites: ["create", "update", "patch", "delete"].reduce((n, verb) => n + d("kube_api_requests_total", { caller: "action", verb }), 0),
    apiReads: ["get", "list", "watch"].reduce((n, verb) => n + d("kube_api_requests_total", { caller: "action", verb }), 0),
    conflicts: d("kube_api_conflicts_total", {}),
    dockerCalls: d(docker, { caller: "action", call: action }),
    // The one read before the call: an inspect for pause/unpause, an events query for restart.
    dockerInspects: d(docker, { caller: "action", call: "inspect" }) + d(docker, { caller: "action", call: "events" }),
    mirrorWrites: d("kube_api_requests_total", { caller: "mirror" }),
    mirrorInspects: d(docker, { caller: "mirror", call: "inspect" }),
    eventWrites: d("kube_api_requests_total", { caller: "events" }),
  };
}

for (const backend of KUBE_BACKENDS) {
  describe(`[${backend}] cost per action`, () => {
    let s: Suite;
    beforeAll(async () => {
      s = await openSuite(backend, "controller-e2e-cost");
    }, 60_000);
    afterAll(() => closeSuite(s), 60_000);

    /** Scrapes until two scrapes 400 ms apart agree: the action's echoes (mirror syncs, Events) have landed. */
    async function settled(): Promise<Metrics> {
      let last = await s.controller.metrics();
      return waitFor("metrics to settle", async () => {
        await Bun.sleep(400);
        const next = await s.controller.metrics();
        const same = ["kube_api_requests_total", "docker_call_duration_seconds_count", "controller_reconcile_total"].every((n) => sumOf(next, n) === sumOf(last, n));
        last = next;
        return same ? next : undefined;
      }, 15_000, 0);
    }

    test("stop, start, pause, unpause, restart: 2 API writes, 0 API reads, 0 conflicts, 1 Docker call (+1 read for pause/unpause/restart)", async () => {
      const id = await runContainer(s.docker);
      await waitFor("a running mirror", async () => ((await s.cluster.kube.getContainer(s.namespace, id))?.status?.status === "running" ? true : undefined));
      const costs: Cost[] = [];
      for (const action of ["stop", "start", "pause", "unpause", "restart"]) {
        const before = await settled();
        await s.cluster.kube.requestAction(s.namespace, id, action, `cost-${action}`);
        const c = await s.cluster.kube.waitHandled(s.namespace, id);
        expect(c.status?.lastAction).toMatchObject({ action, state: "Succeeded", requestId: `cost-${action}` });
        costs.push(costBetween(action, before, await settled()));
      }
      console.log(`[${backend}] cost per action (from /metrics):`);
      console.table(costs);
      for (const c of costs) {
        expect({ action: c.action, apiWrites: c.apiWrites, apiReads: c.apiReads, conflicts: c.conflicts, dockerCalls: c.dockerCalls }).toEqual({ action: c.action, apiWrites: 2, apiReads: 0, conflicts: 0, dockerCalls: 1 });
        expect(c.dockerInspects).toBe(["pause", "unpause", "restart"].includes(c.action) ? 1 : 0);
      }
    }, 60_000);
  });
}
