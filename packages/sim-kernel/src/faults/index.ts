/**
 * The one fault model's options: every knob of every fault wrapper, all off by default.
 */
export { faultOptions, NO_FAULTS, pickKnobs, WIRE_KNOBS, type ApiVerb, type FaultOptions, type PerVerb } from "./fault-options.ts";
