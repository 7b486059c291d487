/**
 * The controller's Kubernetes wiring over @kubernetes/client-node 1.4.0: the Container informer (the
 * ContainerCache port) and the kubeconfig connection. The ledgers, the Event recorder and the transport
 * are @container-actions/kube-adapters. Imports core, kube-adapters, reconnect/ and the config types.
 */
export { clientNodeInformerParts, WATCH_TIMEOUT_SECONDS } from "./client-node-informer.ts";
export { ContainerInformer, type ContainerInformerOptions, type ListWatchLike } from "./container-informer.ts";
export { describeSource, kubeConnectionSource, loadKubeConfig } from "./kube-connection.ts";
