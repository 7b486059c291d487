/**
 * Part 4: simulator throughput — scenario runs per second of 20-step scenarios (`gui-clicks`, `swarm`),
 * each a full world: store, Docker model, the real controller code, invariant checks — once with the
 * store the world uses (FastClusterStore) and once with ClusterStore, the oracle it replaced, in the same
 * process, alternating, so the two are measured under the same load. Then where a run's
 * time goes, in the same run: what a run does (store operations, writes, history events), the share of
 * model setup, the share of CPU by area from a `bun --cpu-prof` profile of the same loop, and the one
 * cheap improvement the bench itself can make (runs on every CPU in worker threads).
 *
 * Run: bun bench/sim/sim-bench.ts [--runs 60] [--json FILE]
 * Prints Markdown tables and writes bench/results/sim.json.
 * (`--profile-only` is internal: the child the profiler watches runs the timing loop and nothing else.)
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ClusterStore } from "@container-actions/fake-apiserver";
import { Prng, VirtualClock } from "@container-actions/sim-kernel";
import { createWorldModels, type ModelFactory, World } from "@container-actions/sim-world";
import { benchOptions } from "../harness/bench-options.ts";
import { cpuMs } from "../report/cpu-time.ts";
import { markdownTable } from "../report/markdown-table.ts";
import { num, ratio } from "../report/number-format.ts";
import { resultsPath, writeResults } from "../report/results-file.ts";
import { countingModels, zeroTally } from "./counting-models.ts";
import { breakdownOf, type Breakdown } from "./profile-breakdown.ts";
import type { WorkerJob, WorkerReport } from "./sim-worker.ts";
import { ACTOR_STEPS, SIM_SCENARIOS, twentySteps } from "./twenty-step-scenarios.ts";

const values = benchOptions({
  binary: "bun run bench:sim",
  summary: "Simulator scenario runs per second (the fast store and its oracle), what one run does, and where its CPU goes.",
  flags: {
    runs: { kind: "integer", default: "60", min: 1, help: "runs per scenario" },
    json: { kind: "string", valueName: "FILE", help: "also write the results here" },
    "profile-only": { kind: "boolean", help: "internal: the profiled child runs only the timing loop" },
  },
});
const runs = values.runs;
const SELF = fileURLToPath(import.meta.url);
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WARM_UP_SEED = 999_999;
/** Runs before any timing, so the JIT has compiled the hot paths (each worker thread has its own JIT). */
const WARM_UP_RUNS = 5;

/** The two stores compared: the fast one the world uses, and the oracle it replaced. */
const STORES = {
  FastClusterStore: createWorldModels,
  "ClusterStore (oracle)": ((prng, clock, admission) => createWorldModels(prng, clock, admission, (options) => new ClusterStore(options))) as ModelFactory,
} satisfies Record<string, ModelFactory>;
type StoreName = keyof typeof STORES;
const FAST: StoreName = "FastClusterStore";
/** Rounds per measurement: the stores take turns, so load changes hit both alike. */
const ROUNDS = 3;

interface Throughput {
  scenario: string;
  store: string;
  runsPerSecond: number;
  /** Runs per second of this process's CPU time: what the runs cost, whatever else the machine is doing. */
  runsPerCpuSecond: number;
  msPerRun: number;
  virtualSecondsPerRun: number;
  violations: number;
}

/**
 * Runs `runs` scenarios (seeds 0…runs-1) one after another in this thread on each store, the stores
 * taking turns in ROUNDS slices; one figure per store.
 */
async function serialThroughput(scenario: string, stores: StoreName[]): Promise<Throughput[]> {
  const sums = new Map(stores.map((s) => [s, { wallMs: 0, cpuMs: 0, virtualMs: 0, violations: 0, runs: 0 }]));
  for (const store of stores) for (let i = 0; i < WARM_UP_RUNS; i++) await new World(twentySteps(scenario, WARM_UP_SEED + i), STORES[store]).run();
  for (let round = 0; round < ROUNDS; round++) {
    for (const store of stores) {
      const sum = sums.get(store) as { wallMs: number; cpuMs: number; virtualMs: number; violations: number; runs: number };
      const t0 = performance.now();
      const cpu0 = cpuMs();
      for (let seed = round; seed < runs; seed += ROUNDS) {
        const result = await new World(twentySteps(scenario, seed), STORES[store]).run();
        sum.virtualMs += result.endMs - result.startMs;
        sum.violations += result.violations.length;
        sum.runs++;
      }
      sum.wallMs += performance.now() - t0;
      sum.cpuMs += cpuMs() - cpu0;
    }
  }
  return stores.map((store) => {
    const s = sums.get(store) as { wallMs: number; cpuMs: number; virtualMs: number; violations: number; runs: number };
    return { scenario, store, runsPerSecond: (s.runs / s.wallMs) * 1000, runsPerCpuSecond: (s.runs / s.cpuMs) * 1000, msPerRun: s.wallMs / s.runs, virtualSecondsPerRun: s.virtualMs / s.runs / 1000, violations: s.violations };
  });
}

if (values["profile-only"]) {
  for (const scenario of SIM_SCENARIOS) await serialThroughput(scenario, [FAST]);
  process.exit(0);
}

interface RunAnatomy {
  scenario: string;
  storeWrites: number;
  controllerWrites: number;
  storeGets: number;
  storeLists: number;
  listedObjects: number;
  dockerCalls: number;
  historyEvents: number;
  requests: number;
}

/** What one run does, averaged over the same seeds (counts, not time). */
async function anatomy(scenario: string): Promise<RunAnatomy> {
  const tally = zeroTally();
  const sum = { controllerWrites: 0, dockerCalls: 0, historyEvents: 0, requests: 0 };
  for (let seed = 0; seed < runs; seed++) {
    const result = await new World(twentySteps(scenario, seed), countingModels(tally)).run();
    sum.controllerWrites += result.counters.apiWrites;
    sum.dockerCalls += result.counters.dockerCalls;
    sum.historyEvents += result.history.length;
    sum.requests += result.requests;
  }
  const per = (n: number) => n / runs;
  return {
    scenario,
    storeWrites: per(tally.writes),
    controllerWrites: per(sum.controllerWrites),
    storeGets: per(tally.gets),
    storeLists: per(tally.lists),
    listedObjects: per(tally.listedObjects),
    dockerCalls: per(sum.dockerCalls),
    historyEvents: per(sum.historyEvents),
    requests: per(sum.requests),
  };
}

/** Wall ms of a world's setup alone (store with the CRD and webhook installed, Docker model, 3 containers). */
async function setupMs(): Promise<number> {
  const once = async (seed: number) => {
    const models = await createWorldModels(new Prng(seed), new VirtualClock());
    for (let i = 0; i < 3; i++) await models.docker.run({ name: `c${i}`, slowStop: false, restartAlways: false });
  };
  await once(WARM_UP_SEED);
  const t0 = performance.now();
  for (let seed = 0; seed < runs; seed++) await once(seed);
  return (performance.now() - t0) / runs;
}

/** The same runs spread over `workers` worker threads (each warmed up first); runs/s per scenario. */
async function parallelThroughput(workers: number): Promise<Array<{ scenario: string; runsPerSecond: number }>> {
  const pool = Array.from({ length: workers }, () => new Worker(new URL("./sim-worker.ts", import.meta.url)));
  const ask = (w: Worker, job: WorkerJob) =>
    new Promise<WorkerReport>((resolve, reject) => {
      w.onmessage = (m: MessageEvent<WorkerReport>) => resolve(m.data);
      w.onerror = (e) => reject(new Error(e.message));
      w.postMessage(job);
    });
  try {
    const out: Array<{ scenario: string; runsPerSecond: number }> = [];
    for (const scenario of SIM_SCENARIOS) {
      const warmUp = Array.from({ length: WARM_UP_RUNS }, (_, i) => WARM_UP_SEED + i);
      await Promise.all(pool.map((w) => ask(w, { scenario, seeds: warmUp })));
      const shares = pool.map((_, i) => Array.from({ length: runs }, (_, seed) => seed).filter((seed) => seed % workers === i));
      const t0 = performance.now();
      const reports = await Promise.all(pool.map((w, i) => ask(w, { scenario, seeds: shares[i] as number[] })));
      const done = reports.reduce((n, r) => n + r.runs, 0);
      out.push({ scenario, runsPerSecond: (done / (performance.now() - t0)) * 1000 });
    }
    return out;
  } finally {
    for (const w of pool) w.terminate();
  }
}

/** Profiles the serial loop in a child process (`bun --cpu-prof`) and breaks the samples down. */
async function profile(): Promise<Breakdown> {
  const dir = mkdtempSync(join(tmpdir(), "sim-prof-"));
  try {
    const child = Bun.spawn([process.execPath, "--cpu-prof", `--cpu-prof-dir=${dir}`, SELF, "--profile-only", "--runs", String(runs)], { stdout: "ignore", stderr: "inherit" });
    if ((await child.exited) !== 0) throw new Error(`profiled run exited with ${child.exitCode}`);
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (file === undefined) throw new Error("bun --cpu-prof wrote no profile");
    return breakdownOf(join(dir, file), REPO_ROOT);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const wallStartMs = performance.now();
const serial: Throughput[] = [];
for (const scenario of SIM_SCENARIOS) serial.push(...(await serialThroughput(scenario, Object.keys(STORES) as StoreName[])));
const anatomies: RunAnatomy[] = [];
for (const scenario of SIM_SCENARIOS) anatomies.push(await anatomy(scenario));
const setupMsPerRun = await setupMs();
const workers = availableParallelism();
const parallel = await parallelThroughput(workers);
const breakdown = await profile();

const GOAL_RUNS_PER_SECOND = 1000;
const throughputTable = markdownTable(
  ["scenario (20 actor steps)", "store", "runs/s, 1 thread", "runs per CPU-second, 1 thread", "CPU-second ratio to the oracle", `runs/s, ${workers} worker threads`, "workers / 1 thread", `goal ${GOAL_RUNS_PER_SECOND} runs/s ÷ best`, "ms per run (1 thread)", "virtual s per run", "setup share of a run", "violations"],
  serial.map((s) => {
    const fast = s.store === FAST;
    const p = fast ? (parallel.find((x) => x.scenario === s.scenario)?.runsPerSecond ?? Number.NaN) : Number.NaN;
    const oracle = serial.find((x) => x.scenario === s.scenario && x.store !== FAST);
    return [
      s.scenario,
      s.store,
      num(s.runsPerSecond, 1),
      num(s.runsPerCpuSecond, 1),
      oracle === undefined ? "" : ratio(s.runsPerCpuSecond, oracle.runsPerCpuSecond),
      fast ? num(p, 1) : "",
      fast ? ratio(p, s.runsPerSecond) : "",
      ratio(GOAL_RUNS_PER_SECOND, fast ? Math.max(p, s.runsPerSecond) : s.runsPerSecond, 0),
      num(s.msPerRun, 1),
      num(s.virtualSecondsPerRun, 1),
      ratio(setupMsPerRun, s.msPerRun),
      s.violations,
    ];
  }),
);
const anatomyTable = markdownTable(
  ["scenario", "requests", "store writes (all)", "of them by the controller", "store gets", "store lists", "objects copied by lists", "Docker calls", "history events"],
  anatomies.map((a) => [a.scenario, num(a.requests, 1), num(a.storeWrites, 1), num(a.controllerWrites, 1), num(a.storeGets, 1), num(a.storeLists, 1), num(a.listedObjects, 1), num(a.dockerCalls, 1), num(a.historyEvents, 1)]),
);
const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
const areaTable = markdownTable(["area (innermost repository frame of each CPU sample)", "share of samples"], Object.entries(breakdown.byArea).map(([area, share]) => [area, pct(share)]));
const stackTable = markdownTable(["anywhere on the stack", "share of samples"], Object.entries(breakdown.onStack).map(([label, share]) => [label, pct(share)]));
const hotTable = markdownTable(["hottest repository functions (self)", "share"], breakdown.hottest.map((h) => [`\`${h.frame}\``, pct(h.share)]));

const markdown = [
  `### 4. Simulator: scenario runs per second (${runs} runs per scenario and store, ${ACTOR_STEPS} actor steps each; the stores alternate in ${ROUNDS} rounds; worker threads, 4b and 4c: FastClusterStore)`,
  "",
  throughputTable,
  "",
  "#### 4b. What one run does (per run, counts)",
  "",
  anatomyTable,
  "",
  `#### 4c. Where the CPU goes (\`bun --cpu-prof\` of the same loop, ${breakdown.samples} samples)`,
  "",
  areaTable,
  "",
  stackTable,
  "",
  hotTable,
].join("\n");
console.log(markdown);
const data = { runs, actorSteps: ACTOR_STEPS, workers, goalRunsPerSecond: GOAL_RUNS_PER_SECOND, serial, parallel, setupMsPerRun, anatomies, breakdown };
const file = writeResults({ part: "sim", title: "Simulator runs per second", status: "measured", wallMs: performance.now() - wallStartMs, command: "bun bench/sim/sim-bench.ts", notes: [], markdown, data });
if (values.json !== undefined && values.json !== resultsPath("sim")) await Bun.write(values.json, `${JSON.stringify(data, null, 2)}\n`);
console.error(`wrote ${file}`);
