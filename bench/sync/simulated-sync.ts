/**
 * Initial sync on the simulated world: a simulated Docker with `containers` containers, the store, and
 * either the real controller (ControllerProcess: core's ContainerController, its full sync and mirror
 * queue) or the direct baseline (one loop: list, inspect, create, write status — the least work that
 * yields the same mirrors). Timed until every mirror exists with Docker's status; peak RSS sampled.
 * Run each measurement in a fresh process, so its RSS is its own.
 */
import { mirrorStatusFromInspect } from "@container-actions/core";
import { NO_FAULTS } from "@container-actions/sim-world";
import { KubeMirrorLedger } from "@container-actions/kube-adapters";
import { controllerKubeTransport } from "@container-actions/sim-world";
import { NAMESPACE } from "@container-actions/sim-world";
import { BenchWorld } from "../harness/bench-world.ts";
import { cpuMs } from "../report/cpu-time.ts";
import { RssSampler, rssMb } from "./rss-sampler.ts";

export const SYNC_MODES = ["controller", "direct"] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

export interface SimulatedSync {
  mode: SyncMode;
  containers: number;
  /** Wall ms from start until every mirror exists with its status (secondary: noisy). */
  ms: number;
  /** CPU ms over the same span. */
  cpuMs: number;
  /** RSS once Docker holds the containers, before the sync starts, MiB. */
  rssBeforeMb: number;
  peakRssMb: number;
  /** Mirrors with Docker's status afterwards (must equal `containers`). */
  mirrored: number;
  /** Store writes the sync made. */
  writes: number;
}

const BUDGET_MS = 3_600_000;
const SAMPLE_INTERVAL_MS = 5;
const CONTROLLER_CONCURRENCY = 4;

export async function measureSimulatedSync(mode: SyncMode, containers: number): Promise<SimulatedSync> {
  const world = await BenchWorld.create({ strategy: "ours", seed: 1, faults: NO_FAULTS, concurrency: CONTROLLER_CONCURRENCY, resyncMs: BUDGET_MS });
  await world.dockerRun(containers, false);
  Bun.gc(true);
  const rssBeforeMb = rssMb();
  const sampler = new RssSampler();
  sampler.start(SAMPLE_INTERVAL_MS);
  const t0 = performance.now();
  const cpu0 = cpuMs();
  if (mode === "controller") {
    world.start();
    const done = await world.runUntil(() => (sampler.sample(), world.work().mirrorPasses >= containers && world.pending() === null), BUDGET_MS, 10);
    if (!done) throw new Error(`controller sync of ${containers} did not finish`);
  } else {
    await directSync(world, sampler);
  }
  const ms = performance.now() - t0;
  const cpuSpentMs = cpuMs() - cpu0;
  const peakRssMb = sampler.stop();
  world.stop();
  const statuses = await world.models.docker.statuses();
  const mirrored = world.models.cluster.list(NAMESPACE).items.filter((m) => m.status?.status !== undefined && m.status.status === statuses.get(m.metadata.name)).length;
  return { mode, containers, ms, cpuMs: cpuSpentMs, rssBeforeMb, peakRssMb, mirrored, writes: mode === "controller" ? world.counters.apiWrites : 2 * containers };
}

async function directSync(world: BenchWorld, sampler: RssSampler): Promise<void> {
  // The controller's own mirror ledger; create and writeStatus never read its cache.
  const ledger = new KubeMirrorLedger(controllerKubeTransport(world.models.store), { get: () => undefined, list: () => [] });
  const listed = await world.models.source.list();
  if (listed.kind !== "listed") throw new Error("simulated Docker did not list");
  for (const [i, id] of listed.ids.entries()) {
    const described = await world.models.source.describe(id);
    if (described.kind !== "found") throw new Error(`inspect ${id}: ${described.kind}`);
    const ref = { namespace: NAMESPACE, name: id };
    await ledger.create(ref);
    await ledger.writeStatus(ref, mirrorStatusFromInspect(described.inspect), []);
    if (i % 100 === 0) sampler.sample();
  }
}
