/**
 * The one fault model's options: every knob of every fault wrapper, all off by default.
 */
export { faultOptions, NO_FAULTS, type FaultOptions } from "./fault-options.ts";
