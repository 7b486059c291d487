/**
 * Simulator throughput: scenario runs per second of 20-step scenarios (the `gui-clicks` and `swarm`
 * mixes), each a full world — store, Docker model, the real controller code, invariant checks.
 * Usage: bun bench/sim/sim-bench.ts [--runs N] [--json FILE]
 */
import { parseArgs } from "node:util";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { buildScenario } from "../../apps/simulator/src/scenarios/named-scenarios.ts";
import type { Scenario } from "../../apps/simulator/src/scenarios/scenario.ts";
import { runScenario } from "../../apps/simulator/src/properties/world-property.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "60" }, json: { type: "string", default: "bench/results/sim.json" } } });
const runs = Number(values.runs);

/** The first `steps` actor steps of a named scenario (waits between them kept). */
function twentySteps(name: string, seed: number): Scenario {
  const full = buildScenario(name, { seed, containers: 3, durationMs: 60_000 });
  const steps: Scenario["steps"] = [];
  let actorSteps = 0;
  for (const step of full.steps) {
    if (step.kind !== "wait" && ++actorSteps > 20) break;
    steps.push(step);
  }
  return { ...full, steps };
}

const results: Record<string, { runsPerSecond: number; msPerRun: number; virtualSecondsPerRun: number; violations: number }> = {};
for (const name of ["gui-clicks", "swarm"]) {
  await runScenario(twentySteps(name, 999_999)); // warm-up: JIT and module load
  const t0 = performance.now();
  let virtualMs = 0;
  let violations = 0;
  for (let i = 0; i < runs; i++) {
    const { result } = await runScenario(twentySteps(name, i));
    virtualMs += result.endMs - result.startMs;
    violations += result.violations.length;
  }
  const elapsedMs = performance.now() - t0;
  results[name] = {
    runsPerSecond: Math.round((runs / elapsedMs) * 1000 * 10) / 10,
    msPerRun: Math.round((elapsedMs / runs) * 10) / 10,
    virtualSecondsPerRun: Math.round(virtualMs / runs / 100) / 10,
    violations,
  };
}

console.log("| scenario (20 actor steps) | runs/s | ms/run | virtual s/run | violations |");
console.log("|---|---:|---:|---:|---:|");
for (const [name, r] of Object.entries(results)) console.log(`| ${name} | ${r.runsPerSecond} | ${r.msPerRun} | ${r.virtualSecondsPerRun} | ${r.violations} |`);
mkdirSync(dirname(values.json), { recursive: true });
writeFileSync(values.json, JSON.stringify({ runs, results, measuredAt: new Date().toISOString(), bun: Bun.version }, null, 2));
