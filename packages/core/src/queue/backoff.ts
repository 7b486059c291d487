/** Per-key exponential backoff: `baseMs * 2^attempt`, capped at `maxMs` (controller-runtime: 5 ms → 1000 s). */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5, maxMs: 1_000_000 };

export function backoffDelayMs(policy: BackoffPolicy, attempt: number): number {
  // 2^attempt overflows to Infinity long after the cap is reached; min() keeps the result finite.
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 60));
}
