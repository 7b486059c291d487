/**
 * @container-actions/core: the pure heart of the project. No I/O, no clock, no randomness: every line
 * runs under the simulator and fast-check.
 */
export * from "./api/index.ts";
export * from "./action/index.ts";
export * from "./engine/index.ts";
export * from "./reconcile/index.ts";
export * from "./admission/index.ts";
export * from "./mirror/index.ts";
export * from "./ownership/index.ts";
export * from "./queue/index.ts";
export * from "./controller/index.ts";
