/**
 * @container-actions/sim-kernel: the things every simulated part shares — the one seed source (a
 * seeded PRNG), virtual time (a manual clock and the driver that advances it) and the one fault
 * options type every fault wrapper reads.
 */
export * from "./seed/index.ts";
export * from "./time/index.ts";
export * from "./faults/index.ts";
