/**
 * The scenarios the simulator bench runs: the first 20 actor steps (waits between them kept) of the
 * named chaos scenarios `gui-clicks` (requests only, no faults) and `swarm` (every actor and fault).
 */
import { buildScenario } from "@container-actions/sim-world";
import type { Scenario } from "@container-actions/sim-world";

export const SIM_SCENARIOS = ["gui-clicks", "swarm"] as const;
export const ACTOR_STEPS = 20;
const CONTAINERS = 3;
const DURATION_MS = 60_000;

export function twentySteps(name: string, seed: number): Scenario {
  const full = buildScenario(name, { seed, containers: CONTAINERS, durationMs: DURATION_MS });
  const steps: Scenario["steps"] = [];
  let actorSteps = 0;
  for (const step of full.steps) {
    if (step.kind !== "wait" && ++actorSteps > ACTOR_STEPS) break;
    steps.push(step);
  }
  return { ...full, steps };
}
