import { keyOf, type ActionPorts, type ContainerRef, type MirrorSource } from "@container-actions/core";

/** The queue a pass ran on: `actions` (requests and deletions, keyed ns/name) or `mirrors` (keyed by id). */
export type QueueName = "actions" | "mirrors";

/**
 * Times passes without touching the protocol: the port wrappers below mark a key when its pass makes
 * its first port call, and the report hook takes the elapsed time when the pass reports. One key runs on
 * one worker per queue at a time, so a mark always belongs to the pass that reports next.
 * (ContainerController's report does not carry a duration; docs/operations.md notes the core change that
 * would make this unnecessary.)
 */
export class PassTimer {
  private readonly started = new Map<string, number>();

  constructor(private readonly nowMs: () => number = () => performance.now()) {}

  mark(queue: QueueName, key: string): void {
    const k = `${queue}\u0000${key}`;
    if (!this.started.has(k)) this.started.set(k, this.nowMs());
  }

  /** Seconds since the pass's first port call, or 0 when it made none; forgets the mark. */
  take(queue: QueueName, key: string): number {
    const k = `${queue}\u0000${key}`;
    const started = this.started.get(k);
    this.started.delete(k);
    return started === undefined ? 0 : (this.nowMs() - started) / 1000;
  }

  /** Marks outstanding, to show the map stays bounded. */
  size(): number {
    return this.started.size;
  }
}

/** Action ports that mark the actions queue's key (`namespace/id`) on every call. */
export function timedActionPorts(ports: ActionPorts, timer: PassTimer, namespace: string): ActionPorts {
  const byId = (id: string) => timer.mark("actions", keyOf({ namespace, name: id }));
  const byRef = (ref: ContainerRef) => timer.mark("actions", keyOf(ref));
  return {
    ...ports,
    engine: {
      inspect: (id) => (byId(id), ports.engine.inspect(id)),
      perform: (id, action) => (byId(id), ports.engine.perform(id, action)),
      restartedSince: (id, sinceMs) => (byId(id), ports.engine.restartedSince(id, sinceMs)),
    },
    ledger: {
      recordOutcome: (ref, lastAction) => (byRef(ref), ports.ledger.recordOutcome(ref, lastAction)),
      clearRequest: (ref, request) => (byRef(ref), ports.ledger.clearRequest(ref, request)),
    },
  };
}

/**
 * A mirror source that marks the key of the pass calling it: `describe` starts every mirror pass;
 * `remove` starts every finalize pass (which runs on the actions queue).
 */
export function timedMirrorSource(source: MirrorSource, timer: PassTimer, namespace: string): MirrorSource {
  return {
    list: () => source.list(),
    describe: (id) => (timer.mark("mirrors", id), source.describe(id)),
    remove: (id) => (timer.mark("actions", keyOf({ namespace, name: id })), source.remove(id)),
  };
}
