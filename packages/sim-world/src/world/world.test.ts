import { expect, test } from "bun:test";
import { NO_FAULTS } from "@container-actions/sim-kernel";
import { runScenario } from "../properties/world-property.ts";

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
