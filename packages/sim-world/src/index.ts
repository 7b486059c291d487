/**
 * @container-actions/sim-world: the deterministic world (the controller's processes against the fake
 * apiserver and the fake Docker engine), its faults, invariants, named scenarios, the property runner
 * and the naive variants the properties must catch.
 */
export * from "./faults/index.ts";
export * from "./invariants/index.ts";
export * from "./scenarios/scenario.ts";
export * from "./scenarios/named-scenarios.ts";
export * from "./world/world.ts";
export * from "./world/world-models.ts";
export * from "./world/world-ports.ts";
export * from "./world/controller-process.ts";
export * from "./world/recording-api.ts";
export * from "./world/in-process-kube.ts";
export * from "./world/in-process-docker.ts";
export * from "./world/reference-process.ts";
export * from "./properties/world-property.ts";
export * from "./properties/naive/naive-reconciler.ts";
export * from "./properties/scenario-arbitraries.ts";
