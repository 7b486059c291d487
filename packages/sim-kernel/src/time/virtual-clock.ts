interface Timer {
  atMs: number;
  seq: number;
  fire: () => void;
  live: boolean;
}

/**
 * Virtual time for the simulated world: nothing moves until the driver advances it, and timers due at
 * the same instant fire in the order they were set, so a run is a pure function of its seed.
 *
 * Has the shape of core's `Timers` (nowMs, setTimer), so the real work queue runs on it unchanged; it
 * does not import core, so core's own tests can use it without a dependency cycle.
 * Does not model: drift, or timers that fire late under load.
 */
export class VirtualClock {
  private now: number;
  private seq = 0;
  private timers: Timer[] = [];
  /** Set while following wall time: reads never lag it, even when the event loop is too busy to tick. */
  private wallOffsetMs: number | undefined;

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.now = startMs;
  }

  nowMs(): number {
    if (this.wallOffsetMs !== undefined) this.now = Math.max(this.now, Date.now() + this.wallOffsetMs);
    return this.now;
  }

  /**
   * Makes reads follow wall time (plus the current offset) from now on; timers still fire only when
   * driven, so a busy process fires them late, as real timers are. For the wire faces only: a run that
   * follows wall time is no longer a pure function of its seed.
   */
  followWall(): void {
    this.wallOffsetMs = this.now - Date.now();
  }

  unfollowWall(): void {
    this.wallOffsetMs = undefined;
  }

  setTimer(delayMs: number, fire: () => void): () => void {
    const timer: Timer = { atMs: this.nowMs() + Math.max(0, delayMs), seq: this.seq++, fire, live: true };
    this.timers.push(timer);
    return () => {
      timer.live = false;
    };
  }

  /** A promise that resolves after `delayMs` of virtual time. */
  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(delayMs, resolve));
  }

  /** When the next live timer is due, or undefined when none is pending. */
  nextDueMs(): number | undefined {
    this.timers = this.timers.filter((t) => t.live);
    let next: number | undefined;
    for (const t of this.timers) if (next === undefined || t.atMs < next) next = t.atMs;
    return next;
  }

  /** Moves time to the next due timer and fires every timer due then. Returns false when none is pending. */
  fireNext(): boolean {
    const due = this.nextDueMs();
    if (due === undefined) return false;
    this.now = Math.max(this.now, due);
    const firing = this.timers.filter((t) => t.atMs <= this.now).sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
    this.timers = this.timers.filter((t) => t.atMs > this.now);
    for (const t of firing) t.fire();
    return true;
  }

  /** Moves time forward by `ms`, firing everything due on the way in order. */
  advance(ms: number): void {
    const until = this.nowMs() + ms;
    for (let due = this.nextDueMs(); due !== undefined && due <= until; due = this.nextDueMs()) this.fireNext();
    this.now = until;
  }

  pendingTimers(): number {
    return this.timers.filter((t) => t.live).length;
  }
}
