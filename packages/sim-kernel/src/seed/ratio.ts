/**
 * A probability as an integer ratio `[numerator, denominator]`: the one way every fault and generator
 * states a chance, so a run draws the same on every machine (no floating point).
 */
export type Ratio = readonly [numerator: number, denominator: number];

/** The ratio that never happens; drawing it takes nothing from the PRNG. */
export const NEVER: Ratio = [0, 1];

/** The ratio that always happens: a fault that is on for good (an engine that is down). */
export const ALWAYS: Ratio = [1, 1];

/** Whether `ratio` happens on every draw, so a wrapper may act without drawing. */
export function isCertain(ratio: Ratio): boolean {
  return ratio[0] >= ratio[1];
}
