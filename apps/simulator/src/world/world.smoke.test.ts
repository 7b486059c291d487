import { test, expect } from "bun:test";
import { NO_FAULTS } from "../faults/fault-options.ts";
import { runScenario } from "../properties/world-property.ts";

test("smoke", async () => {
  const t0 = performance.now();
  const { result, world } = await runScenario({
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
  console.log(world.timeline(result.startMs));
  console.log(result.violations, result.counters, performance.now() - t0, "ms", result.endMs - result.startMs);
  expect(result.violations).toEqual([]);
});
