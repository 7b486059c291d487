/**
 * The per-key work queue and its backoff. Pure apart from the injected Timers; imports nothing else.
 */
export { WorkQueue, type ProcessResult, type WorkQueueOptions, type WorkQueueStats } from "./work-queue.ts";
export { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.ts";
export { realTimers, type CancelTimer, type Timers } from "./timers.ts";
