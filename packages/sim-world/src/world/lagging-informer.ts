/**
 * A simulated controller process's informer cache — the lagging cache of the review: each watch event
 * arrives after its own delay drawn from the process PRNG, never before an earlier one; a dropped watch
 * or a 410 relists after RELIST_DELAY_MS. Used by ControllerProcess and by the reference process alike.
 *
 * Does not model: client-go's resync of the cache from its own store, or a watch that hangs silently.
 */
import { keyOf, type Container, type ContainerRef } from "@container-actions/core";
import type { Prng } from "@container-actions/sim-kernel";
import type { VirtualClock } from "@container-actions/sim-kernel";
import type { FaultState, ProcessLife } from "./process-ports.ts";
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
  private watchHandle: { stop(): void } | null = null;
  private generation = 0;
  private lastDeliveryMs = 0;
  private deliveries = 0;
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
    return this.deliveries > 0 || this.relisting;
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
    this.watchHandle = this.deps.cluster.watch(
      this.deps.namespace,
      resourceVersion,
      (event) => this.lagged(generation, event),
      () => {
        if (this.deps.life.alive && generation === this.generation) this.dropWatch();
      },
    );
  }

  private lagged(generation: number, event: ContainerWatchEvent): void {
    const { clock, faults, prng } = this.deps;
    const lag = faults.active && faults.options.watchLagMsMax > 0 ? prng.between(0, faults.options.watchLagMsMax) : 0;
    const at = Math.max(this.lastDeliveryMs, clock.nowMs() + lag);
    this.lastDeliveryMs = at;
    this.deliveries++;
    clock.setTimer(at - clock.nowMs(), () => {
      this.deliveries--;
      if (!this.deps.life.alive || generation !== this.generation) return;
      this.deliver(event);
      if (this.deps.life.chance(faults.options.watchDropChance)) this.dropWatch();
    });
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
