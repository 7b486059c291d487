/**
 * The simulated cluster: an in-memory, deterministic kube-apiserver (storage, REST semantics, CRDs,
 * watches, validating admission), plus fault wrappers (injected API errors, lagging or dropped watches).
 * Imports the virtual clock and the seeded PRNG; no I/O.
 */
export { ClusterStore, ADMIN_USER, managerOf, type ClusterStoreOptions, type ListOptions } from "./cluster-store.ts";
export {
  PatchType,
  VERBS,
  codeOf,
  type ApiOutcome,
  type ApiRequest,
  type DeleteOptions,
  type KubeApi,
  type RequestContext,
  type Verb,
  type WatchOptions,
} from "./api-request.ts";
export { FaultyCluster, NO_CLUSTER_FAULTS, type ClusterFaultOptions, type InjectedFault } from "./cluster-faults.ts";
export { laggedWatch, NO_WATCH_LAG, type LaggedWatchHandle, type WatchLagOptions } from "./lagged-watch.ts";
export { WatchEndReason, WatchEventType, type WatchEvent, type WatchHandle } from "./watch-hub.ts";
export { RESOURCE_NOT_FOUND, StatusReason, type KubeStatus } from "./kube-status.ts";
export {
  AdmissionOperation,
  admissionReview,
  type CallWebhook,
  type UserInfo,
  type WebhookReply,
  type WebhookTarget,
} from "./validating-admission.ts";
export { CRD_REF, NAMESPACE_REF, WEBHOOK_CONFIG_REF, apiVersionOf, type PrinterColumn, type ResourceInfo, type ResourceRef } from "./resource-registry.ts";
export { rfc3339Seconds } from "./object-meta.ts";
export type { Json, JsonObject } from "./json.ts";
export { FastClusterStore } from "./fast-cluster-store.ts";
export { duplicateJsonFields, jsonPatchStrictErrors } from "./strict-decoding.ts";
