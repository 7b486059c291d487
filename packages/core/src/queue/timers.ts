/** Cancels a timer; calling it after the timer fired does nothing. */
export type CancelTimer = () => void;

/**
 * Time for the queue: read the clock and run something later. The controller passes real timers, the
 * simulator its virtual clock, so both run the same queue.
 */
export interface Timers {
  nowMs(): number;
  setTimer(delayMs: number, fire: () => void): CancelTimer;
}

/** Wall-clock timers for real processes. */
export const realTimers: Timers = {
  nowMs: () => Date.now(),
  setTimer(delayMs, fire) {
    const handle = setTimeout(fire, delayMs);
    return () => clearTimeout(handle);
  },
};
