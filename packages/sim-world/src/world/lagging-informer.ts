/**
 * A simulated controller process's informer cache — the lagging cache of the review: list, then watch
 * through the simulation's one lag model (fake-apiserver's laggedWatch: each event after its own delay
 * drawn from the process PRNG, never before an earlier one, drops by chance); a dropped or ended watch
 * relists after RELIST_DELAY_MS. Lag and drops are on only while the world's faults are.
 * Used by ControllerProcess and by the reference process alike.
 *
 * Does not model: client-go's resync of the cache from its own store, or a watch that hangs silently.
 */
import { keyOf, type Container, type ContainerRef } from "@container-actions/core";
import { laggedWatch, WatchEndReason, type LaggedWatchHandle, type WatchLagOptions } from "@container-actions/fake-apiserver";
import { NO_FAULTS } from "@container-actions/sim-kernel";
import type { Prng } from "@container-actions/sim-kernel";
import type { VirtualClock } from "@container-actions/sim-kernel";
import type { FaultState, ProcessLife } from "./process-life.ts";
import type { ClusterPort, ContainerWatchEvent } from "./world-ports.ts";

export interface LaggingInformerDeps {
  namespace: string;
  clock: VirtualClock;
  prng: Prng;
  faults: FaultState;
  life: ProcessLife;
  cluster: ClusterPort;
  /** Called after the cache took the change, as informer handlers are. */
  onChange: (container: Container, deleted: boolean) => void;
  /** Called once, after the first list is in the cache. */
  onSynced?: () => void;
}

const RELIST_DELAY_MS = 500;

export class LaggingInformer {
  private readonly cache = new Map<string, Container>();
  private watchHandle: LaggedWatchHandle | null = null;
  private generation = 0;
  private relisting = false;

  constructor(private readonly deps: LaggingInformerDeps) {}

  /** The cached view of one Container, or undefined. */
  get(ref: ContainerRef): Container | undefined {
    return this.cache.get(keyOf(ref));
  }

  /** Every cached Container (no copy of the objects, as a cache-backed List in controller-runtime). */
  list(): Container[] {
    return [...this.cache.values()];
  }

  size(): number {
    return this.cache.size;
  }

  /** True while watch events are still on their way or a relist is pending. */
  catchingUp(): boolean {
    return (this.watchHandle?.pending() ?? 0) > 0 || this.relisting;
  }

  start(): void {
    this.relist();
    this.deps.onSynced?.();
  }

  stop(): void {
    this.watchHandle?.stop();
  }

  private relist(): void {
    this.relisting = false;
    const generation = ++this.generation;
    const { items, resourceVersion } = this.deps.cluster.list(this.deps.namespace);
    const seen = new Set<string>();
    for (const item of items) {
      const key = this.keyOfObject(item);
      seen.add(key);
      this.cache.set(key, item);
      this.deps.onChange(item, false);
    }
    for (const [key, gone] of this.cache) {
      if (seen.has(key)) continue;
      this.cache.delete(key);
      this.deps.onChange(gone, true);
    }
    const { clock, prng, cluster, namespace } = this.deps;
    this.watchHandle = laggedWatch<ContainerWatchEvent>(
      (emit, end) => cluster.watch(namespace, resourceVersion, emit, () => end(WatchEndReason.dropped)),
      () => this.lag(),
      { clock, prng },
      (event) => {
        if (this.deps.life.alive) this.deliver(event);
      },
      () => {
        if (this.deps.life.alive && generation === this.generation) this.dropWatch();
      },
    );
  }

  /** The world's watch faults as lag options: read at each event, so they follow the fault phases. */
  private lag(): WatchLagOptions {
    const { active, options } = this.deps.faults;
    return active ? options : NO_FAULTS;
  }

  private deliver(event: ContainerWatchEvent): void {
    const key = this.keyOfObject(event.object);
    if (event.type === "DELETED") this.cache.delete(key);
    else this.cache.set(key, event.object);
    this.deps.onChange(event.object, event.type === "DELETED");
  }

  private dropWatch(): void {
    this.watchHandle?.stop();
    this.generation++;
    this.relisting = true;
    this.deps.clock.setTimer(RELIST_DELAY_MS, () => {
      if (this.deps.life.alive) this.relist();
    });
  }

  private keyOfObject(object: Container): string {
    return keyOf({ namespace: object.metadata.namespace ?? this.deps.namespace, name: object.metadata.name });
  }
}
