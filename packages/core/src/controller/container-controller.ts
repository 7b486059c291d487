import { readRequestSlot } from "../action/action-request.ts";
import { keyOf, type Container, type ContainerRef } from "../api/container-schema.ts";
import { WorkQueue, type ProcessResult } from "../queue/work-queue.ts";
import type { BackoffPolicy } from "../queue/backoff.ts";
import type { Timers } from "../queue/timers.ts";
import { finalizeMirror, syncMirror } from "../mirror/sync-mirror.ts";
import type { MirrorPorts } from "../mirror/ports.ts";
import { createActionReconciler, type ActionOutcome, type ActionReconciler } from "../reconcile/reconcile-action.ts";
import type { ActionPorts } from "../reconcile/ports.ts";
import type { EngineInventory } from "../ownership/engine-inventory.ts";

/** The informer's cache, as the controller reads it: the latest view of each Container it has seen. */
export interface ContainerCache {
  get(ref: ContainerRef): Container | undefined;
  list(): Container[];
}

/** What happened to one key, for logs, metrics and the simulator's checkers; `durationMs` is the pass's time. */
export type ControllerReport =
  | { kind: "action"; key: string; attempt: number; durationMs: number; outcome: ActionOutcome }
  | { kind: "finalize"; key: string; attempt: number; durationMs: number; outcome: Awaited<ReturnType<typeof finalizeMirror>> }
  | { kind: "mirror"; id: string; attempt: number; durationMs: number; outcome: Awaited<ReturnType<typeof syncMirror>> };

export interface ContainerControllerOptions {
  namespace: string;
  cache: ContainerCache;
  action: ActionPorts;
  mirror: MirrorPorts;
  /** The engine's container IDs; the controller feeds it from the mirror source. Pass the same one as `action.owner`. */
  inventory: EngineInventory;
  timers: Timers;
  /** Keys processed at once, per queue. */
  concurrency: number;
  backoff: BackoffPolicy;
  /** Replaces the action reconciler, for the simulator's deliberately naive variants. */
  reconciler?: ActionReconciler;
  report?: (report: ControllerReport) => void;
  onError?: (where: string, key: string, error: unknown) => void;
}

/**
 * The controller's moving parts, the same in the real process and in the simulator: two per-key work
 * queues (Container requests and deletions, keyed by namespace/name; mirrors, keyed by Docker id) fed by
 * the caller's watch events, and the core procedures that handle each key.
 *
 * Guarantees: an event costs O(1) — only the object it names is enqueued, and only when it needs work
 * (a request is present, or a deletion is pending); one key never runs twice at once; failures back
 * off per key. Assumptions: the caller updates the cache before reporting the event (as informers do).
 */
export class ContainerController {
  readonly actions: WorkQueue;
  readonly mirrors: WorkQueue;
  readonly reconciler: ActionReconciler;
  private readonly mirror: MirrorPorts;

  constructor(private readonly options: ContainerControllerOptions) {
    this.mirror = { ...options.mirror, source: options.inventory.tracking(options.mirror.source) };
    this.reconciler = options.reconciler ?? createActionReconciler(options.action);
    const common = { timers: options.timers, concurrency: options.concurrency, backoff: options.backoff };
    this.actions = new WorkQueue({
      ...common,
      process: (key, attempt) => this.processContainer(key, attempt),
      onError: (key, error) => options.onError?.("action", key, error),
    });
    this.mirrors = new WorkQueue({
      ...common,
      process: (id, attempt) => this.processMirror(id, attempt),
      onError: (id, error) => options.onError?.("mirror", id, error),
    });
  }

  /** A watch event (or relist) delivered `container`; `deleted` when it is gone from the cache. */
  onContainer(container: Container, deleted = false): void {
    const ref = { namespace: container.metadata.namespace ?? this.options.namespace, name: container.metadata.name };
    const key = keyOf(ref);
    if (deleted) {
      this.options.inventory.forget(ref.name);
      this.reconciler.forget(ref);
      this.actions.forget(key);
      // Docker decides whether the name is still ours (a deletion the cache tells late may follow the
      // mirror's re-creation): its describe re-notes the container, or answers gone.
      this.mirrors.add(ref.name);
      return;
    }
    if (needsWork(container)) this.actions.add(key);
  }

  /**
   * The informer's first list is in the cache: the requests it holds may have been a crashed
   * predecessor's (see the restart takeover in reconcile-action.ts); later ones are this process's own.
   */
  onSynced(): void {
    this.reconciler.inheritFrom(this.options.cache.list());
  }

  /** Docker reported a change of container `id` (any event that can change its mirror). */
  onEngineEvent(id: string): void {
    this.mirrors.add(id);
  }

  /** Enqueues every container Docker has and every cached mirror, to repair whatever events missed. */
  resync(engineIds: readonly string[]): void {
    this.options.inventory.noteListed(engineIds);
    for (const id of engineIds) this.mirrors.add(id);
    for (const container of this.options.cache.list()) {
      // Every cached object is checked, so one that mirrors nothing is deleted; syncMirror never asks
      // Docker about a name that is not a full ID (Docker would resolve it to some other container).
      this.mirrors.add(container.metadata.name);
      if (needsWork(container)) this.onContainer(container);
    }
  }

  async shutdown(): Promise<void> {
    await Promise.all([this.actions.shutdown(), this.mirrors.shutdown()]);
  }

  private refOf(key: string): ContainerRef {
    const slash = key.indexOf("/");
    return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
  }

  private async processContainer(key: string, attempt: number): Promise<ProcessResult> {
    const container = this.options.cache.get(this.refOf(key));
    if (container === undefined) return "done";
    const startMs = this.options.timers.nowMs();
    const durationMs = () => this.options.timers.nowMs() - startMs;
    if (container.metadata.deletionTimestamp !== undefined) {
      const outcome = await finalizeMirror(container, this.mirror, this.options.inventory.judge(container.metadata.name));
      this.options.report?.({ kind: "finalize", key, attempt, durationMs: durationMs(), outcome });
      return outcome.kind === "retry" ? "retry" : "done";
    }
    const outcome = await this.reconciler.reconcile(container, attempt);
    this.options.report?.({ kind: "action", key, attempt, durationMs: durationMs(), outcome });
    if (outcome.kind === "wait") this.actions.addAfter(key, outcome.afterMs);
    return outcome.kind === "retry" ? "retry" : "done";
  }

  private async processMirror(id: string, attempt: number): Promise<ProcessResult> {
    const ref = { namespace: this.options.namespace, name: id };
    const startMs = this.options.timers.nowMs();
    const outcome = await syncMirror(id, ref, this.options.cache.get(ref), this.mirror);
    this.options.report?.({ kind: "mirror", id, attempt, durationMs: this.options.timers.nowMs() - startMs, outcome });
    return outcome.kind === "retry" ? "retry" : "done";
  }
}

/** Only objects that need work are enqueued: a request is present, or a deletion waits for our finalizer. */
export function needsWork(container: Container): boolean {
  return readRequestSlot(container.metadata.annotations).kind !== "empty" || container.metadata.deletionTimestamp !== undefined;
}
