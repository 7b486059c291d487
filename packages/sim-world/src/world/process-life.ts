/**
 * The process boundary of one simulated controller process: after a crash, a call already made still
 * takes effect but its answer never arrives, and a call not yet made never happens — exactly as for a
 * killed process. Latency and faults are not here: the wire's own fault wrappers draw them (FaultyCluster
 * in front of the store, the fake engine's fault gate), so the world has one fault model per layer.
 */
import type { ContainerEngine, MirrorSource } from "@container-actions/core";
import type { KubeTransport } from "@container-actions/kube-adapters";
import type { FaultOptions } from "@container-actions/sim-kernel";

/** The fault state of the world: the options, and whether the safety phase (faults on) is running. */
export interface FaultState {
  options: FaultOptions;
  active: boolean;
}

export class ProcessLife {
  alive = true;
  private readonly never = new Promise<never>(() => {});

  /** Runs `call` unless the process is dead; a call made before death takes effect, its answer is never received. */
  async call<T>(call: () => Promise<T>): Promise<T> {
    if (!this.alive) return this.never;
    const answer = await call();
    if (!this.alive) return this.never;
    return answer;
  }
}

/** The process's API connection, mortal. */
export function mortalTransport(inner: KubeTransport, life: ProcessLife): KubeTransport {
  return { send: (request) => life.call(() => inner.send(request)) };
}

/** The process's Docker engine port, mortal. */
export function mortalEngine(inner: ContainerEngine, life: ProcessLife): ContainerEngine {
  return {
    inspect: (id) => life.call(() => inner.inspect(id)),
    perform: (id, action) => life.call(() => inner.perform(id, action)),
    restartedSince: (id, sinceMs) => life.call(() => inner.restartedSince(id, sinceMs)),
  };
}

/** The process's mirror source, mortal. */
export function mortalSource(inner: MirrorSource, life: ProcessLife): MirrorSource {
  return {
    list: () => life.call(() => inner.list()),
    describe: (id) => life.call(() => inner.describe(id)),
    remove: (id) => life.call(() => inner.remove(id)),
  };
}
