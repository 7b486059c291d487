/**
 * @container-actions/fake-apiserver: an in-memory, deterministic kube-apiserver (the cluster store) and
 * its HTTP face, served to real clients (client-node, kubectl).
 */
export * from "./cluster/index.ts";
export * from "./http/kube/index.ts";
