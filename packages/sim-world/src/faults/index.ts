/**
 * Fault knobs for the simulated world, and the named presets. Imports only the seed PRNG.
 */
export * from "./fault-options.ts";
export * from "./presets.ts";
