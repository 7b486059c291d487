/**
 * The controller's Kubernetes adapters over one {@link KubeTransport}: the action and mirror ledgers, the
 * Event recorder, the API paths, and the one mapping of API answers (and client-node errors) to kinds.
 * The controller app sends through {@link FetchKubeTransport}; the simulated world hands the same
 * requests to the fake apiserver in-process, so both run this code.
 */
export { containerPath, containersPath, JSON_PATCH, MERGE_PATCH } from "./api-paths.ts";
export { KubeActionLedger } from "./kube-action-ledger.ts";
export { KubeEventRecorder } from "./kube-event-recorder.ts";
export { KubeMirrorLedger } from "./kube-mirror-ledger.ts";
export {
  FetchKubeTransport,
  type FetchKubeTransportOptions,
  type KubeAnswer,
  type KubeCaller,
  type KubeConnection,
  type KubeRequest,
  type KubeRequestObserver,
  type KubeTransport,
  type KubeVerb,
  parseAnswerBody,
} from "./kube-transport.ts";
export { classifyKubeAnswer, clientNodeCodeLabel, informerFailureOf, resourceVersionOf, statusMessage, type InformerFailure, type KubeReply } from "./status-mapping.ts";
