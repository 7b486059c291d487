/**
 * Runs scenarios as fast-check properties over the whole world and reports a failure the way a person
 * can act on: the broken invariants, the shrunk scenario as a timeline, and the command that replays it.
 */
import fc from "fast-check";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Scenario } from "../scenarios/scenario.ts";
import { ownsWholeCheck, replayCommands, shardFromEnv, shareOfRuns } from "@container-actions/sim-kernel";
import { createWorldModels } from "../world/world-models.ts";
import { World, type RunResult, type WorldOptions } from "../world/world.ts";
import { guardAgainstSpins } from "./spin-guard.ts";

/** Runs per property: `SIM_RUNS` overrides (a nightly run sets it high). */
export const RUNS = Number(process.env.SIM_RUNS ?? 25);
/** The fast-check seed every property of this process uses (set from SIM_SEED by the test preload). */
export const SEED = fc.readConfigureGlobal().seed;
/** This process's shard of every property's runs (`SIM_SHARD=k/N`; the whole budget when unset). */
const SHARD = shardFromEnv();
/** Whole-budget checks ({@link findsCounterexample}) seen so far in this process, in file order. */
let wholeChecks = 0;

export async function runScenario(scenario: Scenario, options: WorldOptions = {}): Promise<{ result: RunResult; world: World }> {
  // A key retried without backoff would hang the run; guarded, it ends and reports the spin (spin-guard.ts).
  const guard = guardAgainstSpins(options);
  const world = new World(scenario, createWorldModels, guard.options);
  const result = await world.run();
  return { result: guard.spins.length === 0 ? result : { ...result, violations: [...guard.spins, ...result.violations] }, world };
}

/** The property that a scenario upholds every invariant (plus `extra`, a property-specific check). */
export function worldProperty(
  arb: fc.Arbitrary<Scenario>,
  options: WorldOptions = {},
  extra?: (result: RunResult) => string | null,
): fc.IAsyncPropertyWithHooks<[Scenario]> {
  return fc.asyncProperty(arb, async (scenario) => {
    const { result, world } = await runScenario(scenario, options);
    const problems = result.violations.map((v) => `${v.invariant} on ${v.subject.slice(0, 16)}: ${v.detail}`);
    const more = extra?.(result);
    if (more) problems.push(more);
    if (problems.length > 0) throw new WorldFailure(problems, world.timeline(result.startMs), scenario);
  });
}

export class WorldFailure extends Error {
  constructor(
    readonly problems: string[],
    readonly timeline: string,
    readonly scenario: Scenario,
  ) {
    super(`${problems.join("\n")}\n--- timeline ---\n${timeline}`);
  }
}

/**
 * Asserts the property over `numRuns` runs (this shard's share of them under `SIM_SHARD`), and on failure
 * writes the shrunk scenario to `.cache/sim-failures/<name>.json` and prints how to replay it exactly.
 */
export async function assertWorld(name: string, property: fc.IAsyncPropertyWithHooks<[Scenario]>, numRuns = RUNS): Promise<void> {
  const details = await fc.check(property, { numRuns: shareOfRuns(numRuns, SHARD) });
  if (!details.failed) return;
  const [scenario] = details.counterexample ?? [];
  const file = join(process.cwd(), ".cache", "sim-failures", `${name.replace(/[^a-z0-9-]+/gi, "-")}.json`);
  if (scenario) {
    mkdirSync(join(process.cwd(), ".cache", "sim-failures"), { recursive: true });
    writeFileSync(file, JSON.stringify(scenario, null, 2));
  }
  const replay = [
    `seed=${details.seed} path=${details.counterexamplePath}`,
    replayCommands(details.seed, details.counterexamplePath ?? undefined, "packages/sim-world", name),
    `replay the scenario:       bun run chaos --replay ${file} --trace`,
  ].join("\n");
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(`property "${name}" failed after ${details.numRuns} runs (shrunk ${details.numShrinks} times)\n${replay}\n${cause}`);
}

/**
 * True when fast-check finds a counterexample: used to show a property has teeth against a naive variant.
 * It stops at the first one (no shrinking: only its existence matters). It judges a whole budget, so
 * under `SIM_SHARD` it is dealt out whole, one shard each in file order; the other shards answer true
 * without running it (the shard that owns it runs it, in the same sharded run).
 */
export async function findsCounterexample(property: fc.IAsyncPropertyWithHooks<[Scenario]>, numRuns = RUNS * 4): Promise<boolean> {
  if (!ownsWholeCheck(wholeChecks++, SHARD)) return true;
  const details = await fc.check(property, { numRuns, endOnFailure: true });
  return details.failed;
}
