/**
 * The timing loop of part 4 alone, for comparing two checkouts on a busy machine: run it in each,
 * alternating, several times, and compare the runs per CPU-second pair by pair (one run's figure moves
 * by a third under load; pairs taken back to back move together). Prints one line.
 *
 * Run: bun bench/sim/sim-loop.ts [--scenario gui-clicks] [--runs 40]
 */
import { createWorldModels, World } from "@container-actions/sim-world";
import { benchOptions } from "../harness/bench-options.ts";
import { cpuMs } from "../report/cpu-time.ts";
import { SIM_SCENARIOS, twentySteps } from "./twenty-step-scenarios.ts";

const values = benchOptions({
  binary: "bun bench/sim/sim-loop.ts",
  summary: "Runs one 20-step scenario in a loop and prints runs/s and runs per CPU-second.",
  flags: {
    scenario: { kind: "string", default: "gui-clicks", choices: SIM_SCENARIOS, help: "the scenario" },
    runs: { kind: "integer", default: "40", min: 1, help: "timed runs (seeds 0…runs-1), after 5 warm-up runs" },
  },
});
const { scenario, runs } = values;
for (let i = 0; i < 5; i++) await new World(twentySteps(scenario, 999_999 + i), createWorldModels).run();
const t0 = performance.now();
const cpu0 = cpuMs();
let violations = 0;
for (let seed = 0; seed < runs; seed++) violations += (await new World(twentySteps(scenario, seed), createWorldModels).run()).violations.length;
const wallMs = performance.now() - t0;
const spentMs = cpuMs() - cpu0;
console.log(`${scenario}: ${((runs / wallMs) * 1000).toFixed(1)} runs/s, ${((runs / spentMs) * 1000).toFixed(1)} runs per CPU-second, ${(wallMs / runs).toFixed(1)} ms per run, ${violations} violations`);
