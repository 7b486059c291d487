/**
 * The invariants every simulated run is checked against, one checker per file, fed the run's history
 * and its settled state. Imports core types only.
 */
export * from "./history.ts";
export * from "./final-state.ts";
export { NoLostRequest } from "./no-lost-request.ts";
export { NoDuplicateDispatch } from "./no-duplicate-dispatch.ts";
export { NoWedge } from "./no-wedge.ts";
export { Truth } from "./truth.ts";
export { SucceededState } from "./succeeded-state.ts";
export { DeletionRemoves } from "./deletion-removes.ts";
export { MirrorFields, mirrorFieldDiffs, type InspectFields } from "./mirror-fields.ts";
export { ForeignInput } from "./foreign-input.ts";
export { LatencyBound, PROTOCOL_MS } from "./latency-bound.ts";
export { CreateCarriesNoRequest } from "./create-carries-no-request.ts";
export { RemovalWarnings, DROP_REASONS } from "./removal-warnings.ts";
export { NoCrossTalk, type FleetView } from "./no-cross-talk.ts";
