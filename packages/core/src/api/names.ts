/**
 * The names that make up the Container API: group, version, kind, annotation keys, the mirror finalizer
 * and the field managers. Literal strings (review S5): nothing here is computed or reassignable.
 */

export const GROUP = "containers.rancherdesktop.io";
export const VERSION = "v1alpha1";
export const API_VERSION = "containers.rancherdesktop.io/v1alpha1";
export const KIND = "Container";
export const LIST_KIND = "ContainerList";
export const PLURAL = "containers";
export const SINGULAR = "container";

/** The one-shot action request. Its value is one of {@link ActionName}. */
export const ANNOTATION_ACTION = "containers.rancherdesktop.io/action";
/** Optional request id (review S1): makes two requests with the same action distinct, echoed into lastAction. */
export const ANNOTATION_ACTION_ID = "containers.rancherdesktop.io/action-id";

/** Finalizer held by every mirror so that a Kubernetes delete removes the Docker container first. */
export const FINALIZER_MIRROR = "engine.rancherdesktop.io/mirror";

/** Field managers, so `managedFields` tells who wrote what. */
export const FieldManager = {
  /** Mirror sync: the finalizer and every status field except lastAction and conditions. */
  mirror: "container-actions-mirror",
  /** Action reconciler: status.lastAction and the removal of a handled request. */
  action: "container-actions-action",
  /** The web console, when it writes a request. */
  console: "container-actions-console",
} as const;
export type FieldManager = (typeof FieldManager)[keyof typeof FieldManager];

/**
 * True for a mirror's name: a full 64-hex Docker container ID. Anything else is foreign input — Docker
 * resolves a container name (`demo-worker`) or a short ID to whatever container answers to it, so such a
 * name must never reach Docker.
 */
export function isFullContainerId(name: string): boolean {
  return /^[0-9a-f]{64}$/.test(name);
}
