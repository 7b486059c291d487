import type { Timers } from "@container-actions/core";

/**
 * Timers driven by the test: time moves only when `advance` is called, and due timers fire in order.
 * Does not model: timers that fire while a promise chain is still settling (call `settle()` between).
 */
export class ManualTimers implements Timers {
  private now = 0;
  private seq = 0;
  private readonly pending = new Map<number, { atMs: number; fire: () => void }>();

  nowMs(): number {
    return this.now;
  }

  setTimer(delayMs: number, fire: () => void): () => void {
    const id = this.seq++;
    this.pending.set(id, { atMs: this.now + Math.max(0, delayMs), fire });
    return () => this.pending.delete(id);
  }

  /** Moves time forward by `ms`, firing every timer that falls due (and letting promises settle between). */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    for (;;) {
      await settle();
      const next = [...this.pending.entries()].filter(([, t]) => t.atMs <= target).sort((a, b) => a[1].atMs - b[1].atMs || a[0] - b[0])[0];
      if (next === undefined) break;
      this.pending.delete(next[0]);
      this.now = Math.max(this.now, next[1].atMs);
      next[1].fire();
    }
    this.now = target;
    await settle();
  }

  /** Timers not yet fired. */
  count(): number {
    return this.pending.size;
  }
}

/** Lets queued promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
