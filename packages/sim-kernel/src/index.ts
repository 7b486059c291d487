/**
 * @container-actions/sim-kernel: the two things every simulated part shares — the one seed source (a
 * seeded PRNG) and virtual time (a manual clock and the driver that advances it).
 */
export * from "./seed/index.ts";
export * from "./time/index.ts";
