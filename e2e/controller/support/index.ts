/**
 * The harness that starts the controller as a process against a cluster and a Docker engine, shared
 * with bench/ (which measures the same processes).
 */
export { startCluster, type Cluster } from "./cluster.ts";
export { ControllerProcess } from "./controller-process.ts";
export { dockerFor, IMAGE } from "./test-docker.ts";
export type { TestKube } from "./test-kube.ts";
