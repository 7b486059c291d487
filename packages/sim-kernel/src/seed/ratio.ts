/**
 * A probability as an integer ratio `[numerator, denominator]`: the one way every fault and generator
 * states a chance, so a run draws the same on every machine (no floating point).
 */
export type Ratio = readonly [numerator: number, denominator: number];

/** The ratio that never happens; drawing it takes nothing from the PRNG. */
export const NEVER: Ratio = [0, 1];
