/**
 * Part 2: what one request event costs as the number of Containers grows — 100, 1 000, 10 000 — for ours
 * (per-object keys: O(1) per event) and the reference (one key, every pass lists everything: O(N) per
 * pass). Counted, not timed: reconcile passes, Containers examined, apiserver reads, from the request's
 * write until the controller is idle again. Wall time of the same span is shown as secondary information.
 *
 * One container is real (simulated Docker) and gets a `pause` request; the others are idle mirrors
 * written straight into the store with their status. No faults: counts do not depend on latency.
 *
 * Run: bun bench/scale/scale-bench.ts [--sizes 100,1000,10000]
 * Prints a Markdown table and writes bench/results/scale.json.
 */
import { benchOptions } from "../harness/bench-options.ts";
import { NO_FAULTS } from "@container-actions/sim-world";
import { BenchWorld, STRATEGIES, type Strategy, type WorkCounts } from "../harness/bench-world.ts";
import { markdownTable } from "../report/markdown-table.ts";
import { num, ratio } from "../report/number-format.ts";
import { cpuMs } from "../report/cpu-time.ts";
import { distribution } from "../report/percentiles.ts";
import { writeResults } from "../report/results-file.ts";
import { seedIdleMirrors, withIdleContainers, type IdleMirrors } from "./idle-mirrors.ts";

const values = benchOptions({
  binary: "bun bench/scale/scale-bench.ts",
  summary: "The controller's cost as the number of mirrors grows.",
  flags: {
    sizes: { kind: "string", default: "100,1000,10000", help: "comma-separated mirror counts" },
    seed: { kind: "integer", default: "7", help: "the world's seed" },
  },
});
const sizes = values.sizes.split(",").map(Number);
const seed = values.seed;
const SETTLE_BUDGET_MS = 120_000;
const CONTROLLER_CONCURRENCY = 4;
/** Longer than any run here, so no periodic resync lands inside the measured span. */
const RESYNC_MS = 3_600_000;

interface ScaleResult {
  strategy: Strategy;
  containers: number;
  /** Requests measured one after another on the same world. */
  events: number;
  /** Summed over the events; divide by `events` for one event's cost. */
  work: WorkCounts;
  /** Median wall ms from a request's write until the controller was idle again (secondary: noisy). */
  wallMsMedian: number;
  /** Median CPU ms over the same span. */
  cpuMsMedian: number;
}

const EVENTS = 20;
const ACTIONS = ["pause", "unpause"] as const;

async function measure(strategy: Strategy, containers: number): Promise<ScaleResult> {
  let idle: IdleMirrors | undefined;
  const world = await BenchWorld.create({
    strategy,
    seed,
    faults: NO_FAULTS,
    concurrency: CONTROLLER_CONCURRENCY,
    resyncMs: RESYNC_MS,
    source: (inner) => withIdleContainers(inner, idle as IdleMirrors),
  });
  await world.dockerRun(1, false);
  const target = world.ids[0] as string;
  const described = await world.models.source.describe(target);
  if (described.kind !== "found") throw new Error("the target container is not there");
  idle = await seedIdleMirrors(world.models.store, containers - 1, described.inspect);
  world.start();
  if (!(await world.runUntil(async () => world.pending() === null && (await world.mirrored([target])), SETTLE_BUDGET_MS))) {
    throw new Error(`${strategy}/${containers}: did not settle`);
  }
  const cleared = new Set<string>();
  world.onEvent((e) => {
    if (e.kind === "cleared" && e.requestId !== undefined) cleared.add(e.requestId);
  });
  const before = world.work();
  const wallMs: number[] = [];
  const cpuSpentMs: number[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const requestId = `scale-${i}`;
    const wallStartMs = performance.now();
    const cpuStartMs = cpuMs();
    await world.request(0, ACTIONS[i % ACTIONS.length] as (typeof ACTIONS)[number], requestId);
    const idleAgain = await world.runUntil(() => cleared.has(requestId) && world.pending() === null, SETTLE_BUDGET_MS, 10);
    wallMs.push(performance.now() - wallStartMs);
    cpuSpentMs.push(cpuMs() - cpuStartMs);
    if (!idleAgain) throw new Error(`${strategy}/${containers}: request ${requestId} was not handled`);
  }
  const after = world.work();
  world.stop();
  const work = { ...after };
  for (const k of Object.keys(work) as Array<keyof WorkCounts>) work[k] = after[k] - before[k];
  return { strategy, containers, events: EVENTS, work, wallMsMedian: distribution(wallMs).p50, cpuMsMedian: distribution(cpuSpentMs).p50 };
}

const wallStartMs = performance.now();
const WARM_UP_SIZE = 100;
for (const strategy of STRATEGIES) await measure(strategy, WARM_UP_SIZE); // JIT and module load
const results: ScaleResult[] = [];
for (const containers of sizes) {
  for (const strategy of STRATEGIES) results.push(await measure(strategy, containers));
  console.error(`scale: ${containers} Containers: done`);
}

const of = (strategy: Strategy, n: number) => results.find((r) => r.strategy === strategy && r.containers === n) as ScaleResult;
const smallest = sizes[0] as number;
const pair = (a: number, b: number) => `${num(a, 1)} · ${num(b, 1)}`;
const perEvent = (r: ScaleResult, k: keyof WorkCounts) => r.work[k] / r.events;
const table = markdownTable(
  ["Containers", "action passes ours · ref", "Containers examined ours · ref", "examined, ref/ours", "examined vs smallest N, ours · ref", "API reads ours · ref", "API writes ours · ref", "conflicts ours · ref", "Docker calls ours · ref", "median CPU ms write → idle, ours · ref (secondary)", "median wall ms, ours · ref (secondary)"],
  sizes.map((n) => {
    const [ours, ref] = [of("ours", n), of("reference", n)];
    const [ours0, ref0] = [of("ours", smallest), of("reference", smallest)];
    return [
      n,
      pair(perEvent(ours, "actionPasses"), perEvent(ref, "actionPasses")),
      pair(perEvent(ours, "examined"), perEvent(ref, "examined")),
      ratio(ref.work.examined, ours.work.examined, 0),
      `${ratio(ours.work.examined, ours0.work.examined, 1)} · ${ratio(ref.work.examined, ref0.work.examined, 1)}`,
      pair(perEvent(ours, "apiReads"), perEvent(ref, "apiReads")),
      pair(perEvent(ours, "actionWrites"), perEvent(ref, "actionWrites")),
      pair(perEvent(ours, "conflicts"), perEvent(ref, "conflicts")),
      pair(perEvent(ours, "dockerCalls"), perEvent(ref, "dockerCalls")),
      `${num(ours.cpuMsMedian, 1)} · ${num(ref.cpuMsMedian, 1)} (${ratio(ours.cpuMsMedian, ref.cpuMsMedian)})`,
      `${num(ours.wallMsMedian, 1)} · ${num(ref.wallMsMedian, 1)}`,
    ];
  }),
);
const markdown = [
  "### 2. Cost of one request event vs the number of Containers",
  "",
  `${EVENTS} requests (${ACTIONS.join(", ")}, alternating) on one real container among idle mirrors, one at a time; per request`,
  "event, everything it set off (its own writes' watch events, the mirror sync of Docker's event) until the controller is",
  "idle again. Counts are exact (per event); CPU and wall time are medians over the events, secondary (they include the",
  "simulated store and the driver of the virtual clock, not only the controller).",
  "",
  table,
].join("\n");
console.log(markdown);
const file = writeResults({
  part: "scale",
  title: "Cost per request event vs size",
  status: "measured",
  wallMs: performance.now() - wallStartMs,
  command: "bun bench/scale/scale-bench.ts",
  notes: [],
  markdown,
  data: { seed, sizes, events: EVENTS, results },
});
console.error(`wrote ${file}`);
