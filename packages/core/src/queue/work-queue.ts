import { backoffDelayMs, type BackoffPolicy } from "./backoff.ts";
import type { Timers } from "./timers.ts";

/** What processing one key came to: `retry` requeues it after the key's backoff, `done` resets the backoff. */
export type ProcessResult = "done" | "retry";

export interface WorkQueueOptions {
  /** Handles one key. A throw counts as `retry` and is reported to `onError`. */
  process: (key: string, attempt: number) => Promise<ProcessResult>;
  timers: Timers;
  /** How many keys may be processed at once. */
  concurrency: number;
  backoff: BackoffPolicy;
  /** Called with what a `process` call threw (a bug, by the project's rules). */
  onError?: (key: string, error: unknown) => void;
}

/** Counters a metrics adapter can read. */
export interface WorkQueueStats {
  /** Keys waiting to run now (not those waiting out a backoff). */
  depth: number;
  /** Keys running now. */
  active: number;
  /** Keys waiting out a backoff. */
  delayed: number;
  adds: number;
  retries: number;
}

/**
 * A per-key work queue like client-go's: keys, not objects; a key waiting is never added twice; one key
 * never runs on two workers at once, and a key added while it runs runs once more afterwards; failures
 * back off per key (exponential, capped); at most `concurrency` keys run together.
 *
 * Time comes only from the injected {@link Timers}, so the simulator runs the very same queue.
 */
export class WorkQueue {
  private readonly ready: string[] = [];
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  /** Keys added while running: they go back to `ready` when their run ends. */
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, () => void>();
  private readonly idleWaiters: Array<() => void> = [];
  private stopping = false;
  private counters = { adds: 0, retries: 0 };

  constructor(private readonly options: WorkQueueOptions) {
    if (options.concurrency < 1) throw new Error("concurrency must be at least 1");
  }

  /** Asks for `key` to be processed. Cheap and idempotent while the key waits. */
  add(key: string): void {
    if (this.stopping) return;
    this.counters.adds++;
    this.cancelDelay(key);
    if (this.running.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.ready.push(key);
    this.pump();
  }

  /** Adds `key` after `delayMs`, unless it is added sooner. */
  addAfter(key: string, delayMs: number): void {
    if (this.stopping || this.delayed.has(key) || this.queued.has(key)) return;
    const cancel = this.options.timers.setTimer(delayMs, () => {
      this.delayed.delete(key);
      this.add(key);
    });
    this.delayed.set(key, cancel);
  }

  /** Drops a key's backoff history, e.g. when its object is deleted. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  stats(): WorkQueueStats {
    return {
      depth: this.ready.length,
      active: this.running.size,
      delayed: this.delayed.size,
      adds: this.counters.adds,
      retries: this.counters.retries,
    };
  }

  /** True when nothing runs, waits or waits out a backoff. */
  isIdle(): boolean {
    return this.ready.length === 0 && this.running.size === 0 && this.delayed.size === 0;
  }

  /** Resolves when no key is running or ready (backoffs may still be pending). */
  drained(): Promise<void> {
    if (this.running.size === 0 && this.ready.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking keys, cancels backoffs, and resolves once the keys in flight have finished. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    for (const cancel of this.delayed.values()) cancel();
    this.delayed.clear();
    this.ready.length = 0;
    this.queued.clear();
    await this.drained();
  }

  private cancelDelay(key: string): void {
    const cancel = this.delayed.get(key);
    if (cancel === undefined) return;
    cancel();
    this.delayed.delete(key);
  }

  private pump(): void {
    while (!this.stopping && this.running.size < this.options.concurrency && this.ready.length > 0) {
      const key = this.ready.shift() as string;
      this.queued.delete(key);
      this.running.add(key);
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    const attempt = this.failures.get(key) ?? 0;
    let result: ProcessResult;
    try {
      result = await this.options.process(key, attempt);
    } catch (error) {
      this.options.onError?.(key, error);
      result = "retry";
    }
    this.running.delete(key);
    if (result === "retry") {
      this.failures.set(key, attempt + 1);
      this.counters.retries++;
      if (this.dirty.delete(key)) this.add(key);
      else this.addAfter(key, backoffDelayMs(this.options.backoff, attempt));
    } else {
      this.failures.delete(key);
      if (this.dirty.delete(key)) this.add(key);
    }
    this.pump();
    if (this.running.size === 0 && this.ready.length === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }
}
