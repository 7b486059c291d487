import { expect, test } from "bun:test";
import { containerPath, MERGE_PATCH } from "@container-actions/kube-adapters";
import { NO_FAULTS } from "@container-actions/sim-kernel";
import { runScenario } from "../properties/world-property.ts";
import type { ProcessDeps } from "./controller-process.ts";
import { controllerKubeTransport } from "./in-process-kube.ts";
import type { WorldProcess } from "./world.ts";

test("world: a calm run handles every request once, at 1 Docker call and 2 writes each (3 for the id-less one)", async () => {
  const { result } = await runScenario({
    seed: 1,
    containers: 2,
    steps: [
      { kind: "request", container: 0, action: "stop", withId: true },
      { kind: "wait", ms: 500 },
      { kind: "request", container: 0, action: "start", withId: false },
      { kind: "request", container: 1, action: "restart", withId: true },
      { kind: "request", container: 1, action: "pause", withId: true },
    ],
    faults: NO_FAULTS,
  });
  expect(result.violations).toEqual([]);
  const outcomes = result.history.filter((e) => e.kind === "outcome");
  expect(outcomes.map((e) => (e.kind === "outcome" ? `${e.sent.action}=${e.sent.state}` : ""))).toEqual([
    "stop=Succeeded",
    "start=Succeeded",
    "restart=Succeeded",
    "pause=Succeeded",
  ]);
  expect(result.counters).toMatchObject({ actionApiWrites: 9, apiConflicts: 0, dockerCalls: 4 });
});

test("world: a controller that keeps writing with faults off spins, and the run ends there as a wedge", async () => {
  // A process that sends a write every virtual millisecond and never settles: 1 000 writes a second.
  const spinning = (deps: ProcessDeps): WorldProcess => {
    const kube = controllerKubeTransport(deps.apiserver.store, () => deps.apiserver.api);
    let stop = () => {};
    const loop = () => {
      void kube.send({ method: "PATCH", path: containerPath({ namespace: deps.namespace, name: "f".repeat(64) }), query: { fieldManager: "container-actions-mirror" }, contentType: MERGE_PATCH, body: {}, verb: "patch", resource: "containers", caller: "mirror" });
      stop = deps.clock.setTimer(1, loop);
    };
    return { start: loop, kill: () => stop(), pending: () => "spinning" };
  };
  const { result } = await runScenario({ seed: 1, containers: 1, steps: [], faults: NO_FAULTS }, { process: spinning });
  expect(result.violations.map((v) => v.invariant)).toContain("no-wedge");
  expect(result.violations.find((v) => v.detail.startsWith("spins:"))?.detail).toMatch(/^spins: \d+ API writes in one virtual second with faults off$/);
  // Ended after the first slice of the liveness phase, not its 10-minute budget.
  expect(result.endMs - result.startMs).toBeLessThan(10_000);
});
