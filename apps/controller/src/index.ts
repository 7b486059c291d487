/**
 * @container-actions/controller's public surface for the drivers outside it (e2e/, bench/): its flag and
 * environment parsing (checked against the deploy/ manifests) and its kube connection. The process
 * itself starts from main.ts.
 */
export { parseConfig, type ConfigResult, type ControllerConfig } from "./config.ts";
export { kubeConnectionSource, loadKubeConfig } from "./kube/index.ts";
