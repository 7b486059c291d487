import { KubeConfig } from "@kubernetes/client-node";
import type { ContainerApi } from "./container-api.ts";
import { kubeContainerApi } from "./kube-container-api.ts";

/** What the client's functions accept: client-node's KubeConfig, or any {@link ContainerApi}. */
export type KubeLike = KubeConfig | ContainerApi;

export function toContainerApi(kube: KubeLike): ContainerApi {
  return kube instanceof KubeConfig ? kubeContainerApi(kube) : kube;
}
