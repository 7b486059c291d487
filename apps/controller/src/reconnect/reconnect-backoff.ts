/**
 * The delay before the next reconnect attempt of a long-lived stream (the Container watch, Docker's
 * event stream): exponential from `baseMs` to `maxMs`, reset once a connection proves healthy.
 */
export interface ReconnectPolicy {
  baseMs: number;
  maxMs: number;
}

/** Watches and event streams: 250 ms doubling to 30 s (kube-rs' watcher uses 800 ms → 30 s). */
export const DEFAULT_RECONNECT: ReconnectPolicy = { baseMs: 250, maxMs: 30_000 };

export class ReconnectBackoff {
  private failures = 0;

  constructor(private readonly policy: ReconnectPolicy = DEFAULT_RECONNECT) {}

  /** The delay before the next attempt; each call counts one more failure. */
  nextDelayMs(): number {
    const delay = Math.min(this.policy.maxMs, this.policy.baseMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return delay;
  }

  /** The connection works again: the next failure starts from the base delay. */
  reset(): void {
    this.failures = 0;
  }

  /** Failures since the last reset. */
  attempts(): number {
    return this.failures;
  }
}
