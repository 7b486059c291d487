/**
 * @container-actions/simulator: a deterministic world (cluster store, Docker engine, virtual clock,
 * seeded faults) driven in-process by property tests and served over the wire to real clients.
 */
export * from "./time/index.ts";
export * from "./seed/index.ts";
export * from "./engine/index.ts";
export * from "./http/docker/index.ts";
export * from "./cluster/index.ts";
export * from "./http/kube/index.ts";
