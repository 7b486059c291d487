/**
 * Kubernetes adapters over @kubernetes/client-node 1.4.0 and the API's REST paths: the Container informer
 * (the ContainerCache port), the action and mirror ledgers, the Event recorder, and the one mapping of API
 * answers to kinds. Imports core, reconnect/ and the config types.
 */
export { clientNodeInformerParts, WATCH_TIMEOUT_SECONDS } from "./client-node-informer.ts";
export { ContainerInformer, type ContainerInformerOptions, type ListWatchLike } from "./container-informer.ts";
export { KubeActionLedger } from "./kube-action-ledger.ts";
export { KubeEventRecorder } from "./kube-event-recorder.ts";
export { KubeMirrorLedger } from "./kube-mirror-ledger.ts";
export { describeSource, kubeConnectionSource, loadKubeConfig } from "./kube-connection.ts";
export { FetchKubeTransport, type KubeAnswer, type KubeCaller, type KubeRequest, type KubeRequestObserver, type KubeTransport, type KubeVerb } from "./kube-transport.ts";
export { classifyKubeAnswer, resourceVersionOf, type KubeReply } from "./status-mapping.ts";
