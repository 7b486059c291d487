import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { summarize } from "../chaos/run-summary.ts";
import type { Scenario } from "@container-actions/sim-world";
import { zeroCounters, type RunResult } from "@container-actions/sim-world";
import { createConsoleApp } from "./console-app.ts";
import type { ConsoleCluster } from "./console-cluster.ts";
import { chaosRoutes, RUNS_RUNNING_MAX, type ChaosDeps } from "./chaos-routes.ts";
import type { FinishedRun, ScenarioRunner } from "./chaos-run.ts";

const workDir = mkdtempSync(join(tmpdir(), "chaos-routes-"));
const failuresDir = join(workDir, ".cache", "chaos-failures");
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let ids = 0;
function app(deps: Partial<ChaosDeps> = {}) {
  return chaosRoutes({ failuresDir, workDir, newRunId: () => `run-${++ids}-0000`, randomSeed: () => 99, ...deps });
}

const postRun = (body: unknown) =>
  new Request("http://localhost/api/chaos/runs", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

/** Reads a run's whole event stream (it ends after the run's last message) into [event, data] pairs. */
async function readEvents(handle: (r: Request) => Promise<Response>, url: string): Promise<Array<[string, any]>> {
  const response = await handle(new Request(`http://localhost${url}`));
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "";
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? "null";
      return [event, JSON.parse(data)];
    });
}

/** A runner that reports one violation of `truth` without running a world. */
const failingRunner: ScenarioRunner = async (scenario, onTick) => {
  onTick({ virtualMs: 5, events: [{ t: 5, lane: "request", mark: "valid", line: "+      5ms  client   abc writes stop" }] });
  const result: RunResult = {
    scenario,
    violations: [{ invariant: "truth", subject: "default/abc", detail: "mirror says running, Docker says exited" }],
    history: [],
    startMs: 0,
    endMs: 5,
    counters: zeroCounters(),
    requests: 1,
  };
  return { result, summary: summarize(result), timeline: "" } satisfies FinishedRun;
};

describe("chaos API", () => {
  test("lists the named scenarios with their summaries", async () => {
    const list = await (await app().handle(new Request("http://localhost/api/chaos/scenarios"))).json();
    expect(list.map((s: { name: string }) => s.name)).toContain("gui-clicks");
    expect(list.find((s: { name: string }) => s.name === "crash-storm").summary).toContain("killed");
  });

  test("a short gui-clicks run streams its start, its timeline events, and a passing verdict for every invariant", async () => {
    const chaos = app();
    const started = await chaos.handle(postRun({ scenario: "gui-clicks", seed: "7", containers: 2, durationMs: 2_000, crash: "off" }));
    expect(started.status).toBe(202);
    const { runId, seed, events } = await started.json();
    expect(seed).toBe(7);
    const messages = await readEvents((r) => chaos.handle(r), events);
    expect(messages[0]?.[0]).toBe("start");
    expect(messages[0]?.[1].knobs).toMatchObject({ scenario: "gui-clicks", seed: 7, containers: 2, crash: "off" });
    const plotted = messages.filter(([e]) => e === "tick").flatMap(([, d]) => d.events);
    expect(plotted.some((e: { lane: string }) => e.lane === "request")).toBe(true);
    expect(plotted.some((e: { lane: string; mark: string }) => e.lane === "outcome" && e.mark === "Succeeded")).toBe(true);
    const [last, done] = messages.at(-1) ?? [];
    expect(last).toBe("done");
    expect(done.verdict).toBe("pass");
    expect(done.verdicts.map((v: { invariant: string; pass: boolean }) => [v.invariant, v.pass])).toEqual([
      ["no-lost-request", true],
      ["no-duplicate-dispatch", true],
      ["no-wedge", true],
      ["truth", true],
    ]);
    expect(done.summary.requests).toBeGreaterThan(0);
    expect(done.replay).toBeNull();
    const state = await (await chaos.handle(new Request(`http://localhost/api/chaos/runs/${runId}`))).json();
    expect(state).toMatchObject({ runId, finished: true, done: { verdict: "pass" } });
  });

  test("a failing run names the broken invariant and writes its scenario with the exact replay command", async () => {
    const chaos = app({ runner: failingRunner });
    const { events } = await (await chaos.handle(postRun({ scenario: "crash-storm", seed: "1234", containers: 3, durationMs: 10_000 }))).json();
    const done = (await readEvents((r) => chaos.handle(r), events)).find(([e]) => e === "done")?.[1];
    expect(done.verdict).toBe("fail");
    expect(done.verdicts.find((v: { invariant: string }) => v.invariant === "truth")).toMatchObject({ pass: false, violations: [{ subject: "default/abc" }] });
    expect(done.verdicts.filter((v: { pass: boolean }) => v.pass)).toHaveLength(3);
    expect(done.replay.file).toStartWith(".cache/chaos-failures/chaos-page-crash-storm-seed-1234-");
    expect(done.replay.file).toEndWith(".json");
    expect(done.replay.command).toBe(`bun run chaos --replay ${done.replay.file} --trace`);
    const saved = JSON.parse(readFileSync(join(workDir, done.replay.file), "utf8")) as Scenario;
    expect(saved.seed).toBe(1234);
    expect(saved.steps.some((s) => s.kind === "crash")).toBe(true);
  });

  test("an empty seed draws one; the knobs' bounds, unknown scenarios and bad seeds are refused", async () => {
    const chaos = app({ runner: failingRunner });
    const drawn = await chaos.handle(postRun({ scenario: "gui-clicks", seed: "", containers: 1, durationMs: 500 }));
    expect((await drawn.json()).seed).toBe(99);
    expect((await chaos.handle(postRun({ scenario: "nope", containers: 1, durationMs: 500 }))).status).toBe(422);
    expect((await chaos.handle(postRun({ scenario: "gui-clicks", containers: 0, durationMs: 500 }))).status).toBe(422);
    expect((await chaos.handle(postRun({ scenario: "gui-clicks", containers: 1, durationMs: 500, faults: { apiWriteErrorChance: [101, 100] } }))).status).toBe(422);
    const badSeed = await chaos.handle(postRun({ scenario: "gui-clicks", seed: "x1", containers: 1, durationMs: 500 }));
    expect(badSeed.status).toBe(422);
    expect((await badSeed.json()).message).toContain("seed");
  });

  test(`at most ${RUNS_RUNNING_MAX} runs go on at once`, async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const chaos = app({ runner: async (scenario, onTick) => (await gate, failingRunner(scenario, onTick)) });
    const body = { scenario: "gui-clicks", containers: 1, durationMs: 500 };
    for (let i = 0; i < RUNS_RUNNING_MAX; i++) expect((await chaos.handle(postRun(body))).status).toBe(202);
    expect((await chaos.handle(postRun(body))).status).toBe(429);
    release();
  });

  test("a runner that throws ends the stream with a problem; an unknown run is 404", async () => {
    const chaos = app({
      runner: async () => {
        throw new Error("world exploded");
      },
    });
    const { events } = await (await chaos.handle(postRun({ scenario: "gui-clicks", containers: 1, durationMs: 500 }))).json();
    const messages = await readEvents((r) => chaos.handle(r), events);
    expect(messages.at(-1)).toEqual(["problem", { message: "world exploded" }]);
    expect((await chaos.handle(new Request("http://localhost/api/chaos/runs/nope/events"))).status).toBe(404);
  });

  test("the console serves the chaos page, its script, and the chaos API when given the routes", async () => {
    const cluster: ConsoleCluster = { list: async () => ({ items: [], resourceVersion: "1" }), watch: async () => ({ stop() {} }), request: async () => ({ kind: "written", requestId: "x" }) };
    const consoleApp = createConsoleApp({ cluster, newRequestId: () => "x", chaos: app() });
    const page = await (await consoleApp.handle(new Request("http://localhost/chaos"))).text();
    expect(page).toContain('<label for="scenario">');
    expect(page).toContain('role="status" aria-live="polite"');
    expect((await consoleApp.handle(new Request("http://localhost/assets/chaos.js"))).status).toBe(200);
    expect((await consoleApp.handle(new Request("http://localhost/api/chaos/scenarios"))).status).toBe(200);
  });
});

