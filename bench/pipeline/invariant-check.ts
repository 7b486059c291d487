/**
 * The same named chaos scenarios run through the simulator's World — every invariant checked — once with
 * ControllerProcess and once with the reference process: counts of broken invariants and of what each
 * request cost. Shows that the reference is a working controller, and where the original's races bite.
 */
import { buildScenario } from "@container-actions/sim-world";
import { runScenario } from "@container-actions/sim-world";
import { referenceProcess } from "@container-actions/sim-world";
import type { Strategy } from "../harness/bench-world.ts";

export interface ScenarioCheck {
  scenario: string;
  strategy: Strategy;
  runs: number;
  requests: number;
  violations: number;
  /** Broken invariants by name. */
  byInvariant: Record<string, number>;
  conflicts: number;
  actionWrites: number;
  dockerCalls: number;
}

export const CHECKED_SCENARIOS = ["gui-clicks", "lagging-cache", "concurrent-writers"] as const;
const CONTAINERS = 3;
const DURATION_MS = 20_000;

export async function checkScenario(scenario: string, strategy: Strategy, runs: number): Promise<ScenarioCheck> {
  const check: ScenarioCheck = { scenario, strategy, runs, requests: 0, violations: 0, byInvariant: {}, conflicts: 0, actionWrites: 0, dockerCalls: 0 };
  for (let seed = 0; seed < runs; seed++) {
    const built = buildScenario(scenario, { seed, containers: CONTAINERS, durationMs: DURATION_MS });
    const { result } = await runScenario(built, strategy === "reference" ? { process: referenceProcess } : {});
    check.requests += result.requests;
    check.violations += result.violations.length;
    for (const v of result.violations) check.byInvariant[v.invariant] = (check.byInvariant[v.invariant] ?? 0) + 1;
    check.conflicts += result.counters.apiConflicts;
    check.actionWrites += result.counters.actionApiWrites;
    check.dockerCalls += result.counters.dockerCalls;
  }
  return check;
}
