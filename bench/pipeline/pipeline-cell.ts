/**
 * One cell of the action-pipeline matrix: one strategy (ours or the reference), one world configuration,
 * one number of concurrent clients. Builds a fresh world, lets it settle, runs the closed-loop clients
 * (and the out-of-band crasher, when configured) to the end, and returns what it cost.
 */
import type { ActionName } from "@container-actions/core";
import type { FaultOptions } from "@container-actions/sim-world";
import { BenchWorld, type Strategy, type WorkCounts } from "../harness/bench-world.ts";
import { cpuMs } from "../report/cpu-time.ts";
import { distribution, type Distribution } from "../report/percentiles.ts";
import { ClosedLoopClients } from "./closed-loop-clients.ts";
import { startCrasher } from "./out-of-band-crasher.ts";

export interface WorldConfig {
  name: string;
  faults: FaultOptions;
  /** Each container's process exits on average once per this many virtual ms; 0 for never. */
  crashPeriodMs: number;
}

export interface Level {
  clients: number;
  requestsPerClient: number;
}

export interface CellResult {
  strategy: Strategy;
  config: string;
  clients: number;
  requests: number;
  /** Requests done (outcome recorded and request removed) within the budget. */
  done: number;
  /** Requests done per virtual second, from the first write to the last removal. */
  throughputPerVirtualSecond: number;
  /** Virtual ms from the client's write to the first lastAction carrying its id. */
  outcomeLatencyMs: Distribution;
  /** Virtual ms from the client's write to the removal of its request. */
  doneLatencyMs: Distribution;
  /** Wall-clock ms of the measured phase divided by the requests done (noisy on a shared machine). */
  wallMsPerAction: number;
  /** CPU ms (user + system) of the measured phase divided by the requests done. */
  cpuMsPerAction: number;
  /** What the measured phase cost, summed (divide by `done` for per-action figures). */
  work: WorkCounts;
  /** Out-of-band process exits during the measured phase. */
  crashes: number;
}

export const CYCLE: readonly ActionName[] = ["pause", "unpause", "stop", "start", "restart"];
const SETTLE_BUDGET_MS = 60_000;
const RUN_BUDGET_MS = 600_000;
const CONTROLLER_CONCURRENCY = 4;
const RESYNC_MS = 300_000;

export async function measureCell(strategy: Strategy, config: WorldConfig, level: Level, seed: number): Promise<CellResult> {
  const world = await BenchWorld.create({ strategy, seed, faults: config.faults, concurrency: CONTROLLER_CONCURRENCY, resyncMs: RESYNC_MS });
  await world.dockerRun(level.clients, true);
  world.start();
  const settled = await world.runUntil(async () => world.pending() === null && (await world.mirrored()), SETTLE_BUDGET_MS);
  if (!settled) throw new Error(`${strategy}/${config.name}/${level.clients}: the world did not settle before the requests`);
  const before = world.work();
  const crasher = config.crashPeriodMs > 0 ? startCrasher(world, seed + 1, config.crashPeriodMs) : null;
  const clients = new ClosedLoopClients(world, { ...level, cycle: CYCLE, thinkMs: 0 });
  const startMs = world.clock.nowMs();
  const wallStartMs = performance.now();
  const cpuStartMs = cpuMs();
  await clients.start();
  await world.runUntil(() => clients.finished(), RUN_BUDGET_MS);
  const wallMs = performance.now() - wallStartMs;
  const cpuSpentMs = cpuMs() - cpuStartMs;
  crasher?.stop();
  clients.stop();
  const work = difference(world.work(), before);
  world.stop();

  const times = [...clients.requests.values()];
  const done = times.filter((t) => t.doneMs !== undefined);
  const lastDoneMs = Math.max(startMs, ...done.map((t) => t.doneMs as number));
  return {
    strategy,
    config: config.name,
    clients: level.clients,
    requests: level.clients * level.requestsPerClient,
    done: done.length,
    throughputPerVirtualSecond: done.length / ((lastDoneMs - startMs) / 1000),
    outcomeLatencyMs: distribution(times.filter((t) => t.outcomeMs !== undefined).map((t) => (t.outcomeMs as number) - t.writtenMs)),
    doneLatencyMs: distribution(done.map((t) => (t.doneMs as number) - t.writtenMs)),
    wallMsPerAction: wallMs / Math.max(1, done.length),
    cpuMsPerAction: cpuSpentMs / Math.max(1, done.length),
    work,
    crashes: crasher?.crashes() ?? 0,
  };
}

function difference(after: WorkCounts, before: WorkCounts): WorkCounts {
  const out = { ...after };
  for (const k of Object.keys(out) as Array<keyof WorkCounts>) out[k] = after[k] - before[k];
  return out;
}
