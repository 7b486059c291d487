/**
 * Fault knobs for the simulated world (the one options type, from sim-kernel), and the named presets.
 */
export { faultOptions, NO_FAULTS, type FaultOptions } from "@container-actions/sim-kernel";
export * from "./presets.ts";
