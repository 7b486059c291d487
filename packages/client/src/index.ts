/**
 * @container-actions/client: request Docker container actions through their Kubernetes mirrors and get
 * the outcome of your own request, with typed results. Depends on client-node and core's schema only.
 */
export type { ActionResult, ActionResultKind } from "./action-result.ts";
export type { ApiAnswer, ContainerApi, WatchEventType, WatchHandle } from "./container-api.ts";
export { kubeContainerApi } from "./kube-container-api.ts";
export type { KubeLike } from "./kube-like.ts";
export { CLIENT_FIELD_MANAGER, requestAction, type ActionTarget, type RequestOptions } from "./request-action.ts";
export { judgeProgress, type RequestProgress } from "./request-progress.ts";
export { pickContainer, resolveContainer, type Resolution } from "./resolve-container.ts";
export { watchContainers, type ContainerChange, type ContainerWatch, type WatchContainersOptions } from "./watch-containers.ts";
export { ACTION_NAMES, ActionName, type Container, type LastAction } from "@container-actions/core";
