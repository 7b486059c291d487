import { describe, expect, test } from "bun:test";
import { NO_FAULTS } from "@container-actions/sim-kernel";
import { runScenario } from "../properties/world-property.ts";
import type { Scenario } from "../scenarios/scenario.ts";
import { referenceProcess } from "./reference-process.ts";

const requests = (watchLagMsMax: number): Scenario => ({
  seed: 3,
  containers: 2,
  steps: [
    { kind: "request", container: 0, action: "stop", withId: true },
    { kind: "request", container: 1, action: "pause", withId: true },
    { kind: "wait", ms: 2_000 },
    { kind: "request", container: 0, action: "start", withId: true },
    { kind: "request", container: 1, action: "unpause", withId: true },
    { kind: "wait", ms: 2_000 },
  ],
  faults: { ...NO_FAULTS, watchLagMsMax },
});

describe("reference process (the original's one-key strategy, for the performance bench)", () => {
  test("reference: requests on two containers: each handled, its outcome recorded, nothing pending", async () => {
    const { result } = await runScenario(requests(0), { process: referenceProcess });
    const lost = result.violations.filter((v) => v.invariant === "no-lost-request" || v.invariant === "no-wedge" || v.invariant === "truth");
    expect(lost).toEqual([]);
    const outcomes = result.history.filter((e) => e.kind === "outcome");
    expect(new Set(outcomes.map((e) => (e.kind === "outcome" ? e.sent.requestId : "")))).toEqual(new Set(["r1", "r2", "r3", "r4"]));
  });

  test("reference: a lagging cache makes its resourceVersion-locked writes conflict; ours never does", async () => {
    const reference = await runScenario(requests(1_000), { process: referenceProcess });
    const ours = await runScenario(requests(1_000));
    expect(reference.result.counters.apiConflicts).toBeGreaterThan(0);
    expect(ours.result.counters.apiConflicts).toBe(0);
  });
});
