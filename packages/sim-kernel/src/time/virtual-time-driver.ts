/**
 * Driving the virtual clock until a promise settles: how a test or a simulation awaits an engine call
 * that needs virtual time to pass (a stop waiting out its grace period).
 */
import type { VirtualClock } from "./virtual-clock.ts";

/** The most timers one {@link settle} call fires before it gives up, so a wedged call fails loudly. */
export const SETTLE_TIMERS_MAX = 100_000;

/**
 * Resolves with `promise`'s value, firing the clock's timers one due-time at a time whenever nothing
 * else can make progress. Throws (a bug: the call can never finish) when no timer is left to fire.
 */
export async function settle<T>(clock: VirtualClock, promise: Promise<T>): Promise<T> {
  let done = false;
  const watched = promise.finally(() => {
    done = true;
  });
  watched.catch(() => {});
  for (let fired = 0; fired < SETTLE_TIMERS_MAX; fired++) {
    await flushMicrotasks();
    if (done) return watched;
    if (!clock.fireNext()) throw new Error("settle: the promise is still pending and no timer is left");
  }
  throw new Error(`settle: still pending after ${SETTLE_TIMERS_MAX} timers`);
}

/**
 * Runs `clock` for `ms` of virtual time, firing its timers one due time at a time and letting every
 * reply settle in between, so causality holds and a run stays a pure function of its inputs.
 * One macrotask turn per due time and one more at the start, no more: after the last turn nothing
 * is queued, and moving the clock past no due timer queues nothing either.
 */
export async function runFor(clock: VirtualClock, ms: number): Promise<void> {
  const until = clock.nowMs() + ms;
  for (;;) {
    await flushMicrotasks();
    const due = clock.nextDueMs();
    if (due === undefined || due > until) break;
    clock.fireNext();
  }
  clock.advance(until - clock.nowMs());
}

/** Lets every queued promise continuation run: a macrotask turn comes only after all of them. */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
