/**
 * The action protocol: the procedure for one Container, its ports, and the per-key memory that keeps a
 * lagging cache from causing a second dispatch. Imports api/, action/ and engine/.
 */
export * from "./ports.ts";
export * from "./reconcile-action.ts";
export { dispatch, type DispatchResult } from "./dispatch.ts";
export { RequestMemory } from "./request-memory.ts";
