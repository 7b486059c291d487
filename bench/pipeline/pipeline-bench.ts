/**
 * Part 1: the action pipeline on the in-process simulated world (virtual clock), ours side by side with
 * the reference (the original Go project's strategy, packages/sim-world/src/world/reference-process.ts), at
 * 1, 10 and 100 concurrent requests, in three worlds: calm, a lagging informer cache, and a lagging
 * cache plus a concurrent status writer (containers crash and are restarted by Docker out of band).
 * Then the named chaos scenarios through World, every invariant checked, for both.
 *
 * Run: bun bench/pipeline/pipeline-bench.ts [--seed N] [--scenario-runs N]
 * Prints Markdown tables and writes bench/results/pipeline.json.
 */
import { benchOptions } from "../harness/bench-options.ts";
import { NO_FAULTS } from "@container-actions/sim-world";
import { STRATEGIES, type WorkCounts } from "../harness/bench-world.ts";
import { markdownTable } from "../report/markdown-table.ts";
import { num, perAction, ratio } from "../report/number-format.ts";
import { distribution } from "../report/percentiles.ts";
import { writeResults } from "../report/results-file.ts";
import { CHECKED_SCENARIOS, checkScenario, type ScenarioCheck } from "./invariant-check.ts";
import { CYCLE, measureCell, type CellResult, type Level, type WorldConfig } from "./pipeline-cell.ts";

const values = benchOptions({
  binary: "bun bench/pipeline/pipeline-bench.ts",
  summary: "Actions through the whole pipeline, ours against the reference, in the simulated world.",
  flags: {
    seed: { kind: "integer", default: "42", help: "the world's seed" },
    "scenario-runs": { kind: "integer", default: "10", min: 1, help: "runs per scenario" },
  },
});
const seed = values.seed;
const scenarioRuns = values["scenario-runs"];

/** Every world has some latency, so that time passes while a request is handled. */
const LATENCY = { apiLatencyMsMax: 5, engineLatencyMsMax: 20 };
const WATCH_LAG_MS_MAX = 1_000;
const CRASH_PERIOD_MS = 2_000;
/** Repetitions of each cell, for the median of its CPU and wall cost. */
const COST_REPEATS = 3;
const CONFIGS: WorldConfig[] = [
  { name: "calm", faults: { ...NO_FAULTS, ...LATENCY }, crashPeriodMs: 0 },
  { name: "lagging cache", faults: { ...NO_FAULTS, ...LATENCY, watchLagMsMax: WATCH_LAG_MS_MAX }, crashPeriodMs: 0 },
  { name: "lagging cache + status writer", faults: { ...NO_FAULTS, ...LATENCY, watchLagMsMax: WATCH_LAG_MS_MAX }, crashPeriodMs: CRASH_PERIOD_MS },
];
const LEVELS: Level[] = [
  { clients: 1, requestsPerClient: 100 },
  { clients: 10, requestsPerClient: 20 },
  { clients: 100, requestsPerClient: 5 },
];

const wallStartMs = performance.now();
// Warm-up: JIT and module load, so the first measured cell is not charged for them.
for (const strategy of STRATEGIES) await measureCell(strategy, CONFIGS[1] as WorldConfig, LEVELS[1] as Level, seed + 1);
const cells: Array<{ ours: CellResult; reference: CellResult }> = [];
for (const config of CONFIGS) {
  for (const level of LEVELS) {
    // A cell's counts and virtual times are the same on every repetition (one seed); only its time on this
    // machine varies. Repeat, alternating which strategy goes first, and keep the median CPU and wall cost.
    const runs: CellResult[] = [];
    for (let r = 0; r < COST_REPEATS; r++) {
      const order = r % 2 === 0 ? STRATEGIES : [...STRATEGIES].reverse();
      for (const strategy of order) runs.push(await measureCell(strategy, config, level, seed));
    }
    const [ours, reference] = STRATEGIES.map((strategy) => medianCost(runs.filter((r) => r.strategy === strategy)));
    cells.push({ ours: ours as CellResult, reference: reference as CellResult });
    console.error(`pipeline: ${config.name}, ${level.clients} clients: done`);
  }
}

/** The first repetition's figures with the median CPU and wall cost of all repetitions. */
function medianCost(repeats: CellResult[]): CellResult {
  const median = (xs: number[]) => distribution(xs).p50;
  return { ...(repeats[0] as CellResult), cpuMsPerAction: median(repeats.map((r) => r.cpuMsPerAction)), wallMsPerAction: median(repeats.map((r) => r.wallMsPerAction)) };
}
const checks: ScenarioCheck[] = [];
for (const scenario of CHECKED_SCENARIOS) for (const strategy of STRATEGIES) checks.push(await checkScenario(scenario, strategy, scenarioRuns));

const pair = (a: string, b: string) => `${a} · ${b}`;
const withRatio = (a: number, b: number, digits = 1) => `${pair(num(a, digits), num(b, digits))} (${ratio(a, b)})`;
const per = (c: CellResult, k: keyof WorkCounts) => perAction(c.work[k], c.done);

const timing = markdownTable(
  ["world", "clients", "done ours · ref", "throughput req/virtual s ours · ref (ours/ref)", "outcome p50 virtual ms", "outcome p90", "outcome p99", "CPU ms per request, ours/ref", "wall ms per request, ours/ref"],
  cells.map(({ ours, reference: ref }) => [
    ours.config,
    ours.clients,
    pair(`${ours.done}/${ours.requests}`, `${ref.done}/${ref.requests}`),
    withRatio(ours.throughputPerVirtualSecond, ref.throughputPerVirtualSecond, 2),
    withRatio(ours.outcomeLatencyMs.p50, ref.outcomeLatencyMs.p50, 0),
    withRatio(ours.outcomeLatencyMs.p90, ref.outcomeLatencyMs.p90, 0),
    withRatio(ours.outcomeLatencyMs.p99, ref.outcomeLatencyMs.p99, 0),
    ratio(ours.cpuMsPerAction, ref.cpuMsPerAction),
    ratio(ours.wallMsPerAction, ref.wallMsPerAction),
  ]),
);
const costs = markdownTable(
  ["world", "clients", "API writes", "conflicts", "API reads", "Docker calls", "Docker reads", "action passes", "Containers examined", "status-sync writes", "out-of-band exits"],
  cells.map(({ ours, reference: ref }) => [
    ours.config,
    ours.clients,
    pair(per(ours, "actionWrites"), per(ref, "actionWrites")),
    pair(per(ours, "conflicts"), per(ref, "conflicts")),
    pair(per(ours, "apiReads"), per(ref, "apiReads")),
    pair(per(ours, "dockerCalls"), per(ref, "dockerCalls")),
    pair(per(ours, "dockerReads"), per(ref, "dockerReads")),
    pair(per(ours, "actionPasses"), per(ref, "actionPasses")),
    pair(per(ours, "examined"), per(ref, "examined")),
    pair(per(ours, "mirrorWrites"), per(ref, "mirrorWrites")),
    pair(String(ours.crashes), String(ref.crashes)),
  ]),
);
const checked = markdownTable(
  ["scenario (3 containers, 20 virtual s)", "runs", "requests", "broken invariants ours · ref", "reference's by invariant", "conflicts per request", "action writes per request", "Docker calls per request"],
  CHECKED_SCENARIOS.map((scenario) => {
    const ours = checks.find((c) => c.scenario === scenario && c.strategy === "ours") as ScenarioCheck;
    const ref = checks.find((c) => c.scenario === scenario && c.strategy === "reference") as ScenarioCheck;
    return [
      scenario,
      ours.runs,
      pair(String(ours.requests), String(ref.requests)),
      pair(String(ours.violations), String(ref.violations)),
      Object.entries(ref.byInvariant).map(([k, v]) => `${k} ${v}`).join(", ") || "–",
      pair(perAction(ours.conflicts, ours.requests), perAction(ref.conflicts, ref.requests)),
      pair(perAction(ours.actionWrites, ours.requests), perAction(ref.actionWrites, ref.requests)),
      pair(perAction(ours.dockerCalls, ours.requests), perAction(ref.dockerCalls, ref.requests)),
    ];
  }),
);

const markdown = [
  `### 1. Action pipeline, in-process world (virtual clock, seed ${seed})`,
  "",
  `Closed-loop GUI clients, one container each, cycling ${CYCLE.join(" → ")}; every cell is ours · reference from the same run.`,
  `Counts and virtual times are deterministic (seed ${seed}); CPU and wall cost per request are the median of ${COST_REPEATS} repetitions of each cell.`,
  `API latency 0–${LATENCY.apiLatencyMsMax} ms and Docker latency 0–${LATENCY.engineLatencyMsMax} ms each way; lagging cache: each watch event ` +
    `0–${WATCH_LAG_MS_MAX} ms late; status writer: each container's process exits about once per ${CRASH_PERIOD_MS} virtual ms (restart policy always).`,
  "",
  "#### 1a. Throughput and latency",
  "",
  timing,
  "",
  "#### 1b. Cost per handled request (counts divided by requests done)",
  "",
  costs,
  "",
  `#### 1c. Named scenarios through World, every invariant checked (${scenarioRuns} seeds each)`,
  "",
  checked,
].join("\n");
console.log(markdown);
const file = writeResults({
  part: "pipeline",
  title: "Action pipeline: ours vs the original's strategy",
  status: "measured",
  wallMs: performance.now() - wallStartMs,
  command: "bun bench/pipeline/pipeline-bench.ts",
  notes: [],
  markdown,
  data: { seed, costRepeats: COST_REPEATS, latency: LATENCY, watchLagMsMax: WATCH_LAG_MS_MAX, crashPeriodMs: CRASH_PERIOD_MS, cycle: CYCLE, levels: LEVELS, cells, checks },
});
console.error(`wrote ${file}`);
