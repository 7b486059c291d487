/**
 * The one fault model's options: every knob of every fault wrapper, all off by default.
 */
export { faultOptions, NO_FAULTS, onWrites, pickKnobs, WIRE_KNOBS, WRITE_VERBS, type ApiVerb, type FaultOptions, type LegacyFaultOptions, type PerVerb } from "./fault-options.ts";
