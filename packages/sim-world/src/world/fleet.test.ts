/**
 * The fleet in the simulator (issue 17): many engines, each with its own controller process and its
 * own namespace, on one cluster and one virtual clock. The property over 2–5 engines is in
 * races.prop.test.ts; these are the fixed runs: the largest fleet, and the no-cross-talk invariant's teeth.
 */
import { describe, expect, test } from "bun:test";
import { createActionReconciler, isContainerId, type OwnershipJudge } from "@container-actions/core";
import { NO_FAULTS } from "@container-actions/sim-kernel";
import type { HistoryEvent } from "../invariants/history.ts";
import { runScenario } from "../properties/world-property.ts";
import type { Scenario, Step } from "../scenarios/scenario.ts";
import { FLEET_ENGINES_MAX, namespaceOf } from "./world.ts";

/** Per engine: a request on its own container, another engine's full ID in its namespace, a Docker name both engines have. */
function fleetScenario(engines: number): Scenario {
  const steps: Step[] = [];
  for (let engine = 0; engine < engines; engine++) {
    steps.push(
      { kind: "request", container: 0, action: "stop", withId: true, engine },
      { kind: "cross-engine-request", action: "stop", owner: (engine + 1) % engines, container: 0, engine },
      { kind: "statusless-request", action: "stop", name: "docker-name", container: 0, engine },
    );
  }
  return { seed: 17, engines, containers: 1, steps, faults: NO_FAULTS };
}

const dispatches = (history: HistoryEvent[]) => history.filter((e): e is Extract<HistoryEvent, { kind: "dispatch" }> => e.kind === "dispatch");

describe("a fleet of engines on one cluster", () => {
  test(`${FLEET_ENGINES_MAX} engines and ${FLEET_ENGINES_MAX} controllers: each stops its own container only, foreign Containers never reach Docker`, async () => {
    const startedMs = performance.now();
    const { result } = await runScenario(fleetScenario(FLEET_ENGINES_MAX));
    // Run time is recorded in docs/performance.md, never asserted here.
    console.log(`fleet of ${FLEET_ENGINES_MAX} engines: ${result.requests} requests, ${Math.round(performance.now() - startedMs)} ms wall, ${result.endMs - result.startMs} ms virtual`);
    expect(result.violations).toEqual([]);
    const calls = dispatches(result.history);
    // One Docker call per engine, the stop of its own container, from the controller of its namespace.
    expect(calls.map((c) => `${c.key.slice(0, c.key.indexOf("/"))} ${c.call}=${c.effect}`)).toEqual(
      Array.from({ length: FLEET_ENGINES_MAX }, (_, engine) => `${namespaceOf(engine)} stop=changed`),
    );
    const dropped = result.history.filter((e) => e.kind === "dropped");
    expect(dropped.length).toBe(2 * FLEET_ENGINES_MAX);
  }, 120_000);

  test("teeth: a controller wired to the next engine's Docker breaks no-cross-talk", async () => {
    const { result } = await runScenario(fleetScenario(3), { fleetWiring: (engine, engines) => (engine + 1) % engines });
    expect(result.violations.some((v) => v.invariant === "no-cross-talk")).toBe(true);
  });

  test("teeth: a guard that trusts any full ID sends another engine's ID to Docker, and no-cross-talk says so", async () => {
    const shapeOnly: OwnershipJudge = { judge: (name) => (isContainerId(name) ? { kind: "own" } : { kind: "foreign", why: "not a full ID" }) };
    const { result } = await runScenario(fleetScenario(2), { reconciler: (ports) => createActionReconciler({ ...ports, owner: shapeOnly }) });
    const crossTalk = result.violations.filter((v) => v.invariant === "no-cross-talk");
    expect(crossTalk.some((v) => v.detail.includes("not a container of engine"))).toBe(true);
  });

  test("a fleet larger than the limit is refused with a clear error", async () => {
    await expect(runScenario(fleetScenario(FLEET_ENGINES_MAX + 1))).rejects.toThrow(`1 to ${FLEET_ENGINES_MAX} engines`);
  });
});
