interface Timer {
  atMs: number;
  seq: number;
  fire: () => void;
  /** pending until fired or cancelled; a cancelled timer stays in the heap until it reaches the top. */
  state: "pending" | "fired" | "cancelled";
}

/** Timers fire by due time, then by the order they were set: a total order, so the heap is deterministic. */
function before(a: Timer, b: Timer): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
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
  /** A binary min-heap in {@link before} order: the next due timer is found without scanning them all. */
  private heap: Timer[] = [];
  private pending = 0;
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
    const timer: Timer = { atMs: this.nowMs() + Math.max(0, delayMs), seq: this.seq++, fire, state: "pending" };
    this.push(timer);
    this.pending++;
    return () => {
      if (timer.state !== "pending") return;
      timer.state = "cancelled";
      this.pending--;
    };
  }

  /** A promise that resolves after `delayMs` of virtual time. */
  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(delayMs, resolve));
  }

  /** When the next live timer is due, or undefined when none is pending. */
  nextDueMs(): number | undefined {
    return this.top()?.atMs;
  }

  /** Moves time to the next due timer and fires every timer due then. Returns false when none is pending. */
  fireNext(): boolean {
    const due = this.nextDueMs();
    if (due === undefined) return false;
    this.now = Math.max(this.now, due);
    // Everything due is taken out before any fires: a timer set by one of them waits for the next call.
    const firing: Timer[] = [];
    for (let t = this.top(); t !== undefined && t.atMs <= this.now; t = this.top()) {
      this.pop();
      t.state = "fired";
      this.pending--;
      firing.push(t);
    }
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
    return this.pending;
  }

  /** The next pending timer, dropping cancelled ones from the top. */
  private top(): Timer | undefined {
    let t = this.heap[0];
    while (t !== undefined && t.state === "cancelled") {
      this.pop();
      t = this.heap[0];
    }
    return t;
  }

  private push(timer: Timer): void {
    const h = this.heap;
    let i = h.length;
    h.push(timer);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent] as Timer;
      if (!before(timer, p)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = timer;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop() as Timer;
    if (h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && before(h[r] as Timer, h[l] as Timer) ? r : l;
      if (!before(h[c] as Timer, last)) break;
      h[i] = h[c] as Timer;
      i = c;
    }
    h[i] = last;
  }
}
