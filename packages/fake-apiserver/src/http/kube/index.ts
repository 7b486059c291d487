/**
 * The wire face of the simulated cluster: a fake kube-apiserver over HTTPS that kubectl and
 * client-node talk to, serving the same ClusterStore the in-process tests drive.
 * Imports the cluster model, the virtual clock's wall-clock follower, node:http/tls and openssl.
 */
export { serveKubeApi, type KubeApiServer, type ServeKubeApiOptions } from "./serve-kube-api.ts";
export { handleKubeRequest, type KubeHandlerDeps, type WireRequest, type WireResponse } from "./kube-handler.ts";
export { httpsWebhookCaller } from "./https-webhook-caller.ts";
export { generateTlsMaterial, kubeconfigYaml, type TlsMaterial } from "./tls-material.ts";
export { toTable, humanDuration } from "./printer-table.ts";
