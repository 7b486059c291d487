/**
 * The controller's moving parts shared by the real process and the simulator: the two per-key queues and
 * the dispatch of each key to the core procedures. Imports every other core folder; nothing imports it.
 */
export * from "./container-controller.ts";
