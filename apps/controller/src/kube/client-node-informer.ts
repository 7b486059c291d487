import { CustomObjectsApi, makeInformer, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { GROUP, PLURAL, VERSION } from "@container-actions/core";
import { containersPath } from "@container-actions/kube-adapters";
import { watchPathQuery, type ContainerList, type ListWatchLike } from "./container-informer.ts";

/** Server-side watch timeout: each watch ends (and is re-opened from its resourceVersion) within this. */
export const WATCH_TIMEOUT_SECONDS = 290;

/**
 * The client-node 1.4.0 pieces of the Container informer: `makeInformer` on the namespace's Containers,
 * listing through `CustomObjectsApi.listNamespacedCustomObject`, watching with bookmarks and a
 * server-side timeout.
 */
export function clientNodeInformerParts(kc: KubeConfig, namespace: string) {
  const api = kc.makeApiClient(CustomObjectsApi);
  const list = async (): Promise<ContainerList> =>
    (await api.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL })) as ContainerList;
  const makeListWatch = (wrappedList: () => Promise<ContainerList>): ListWatchLike =>
    makeInformer<KubernetesObject>(
      kc,
      containersPath(namespace) + watchPathQuery(WATCH_TIMEOUT_SECONDS),
      wrappedList as never,
    ) as unknown as ListWatchLike;
  return { list, makeListWatch, watchStaleMs: (WATCH_TIMEOUT_SECONDS + 60) * 1000 };
}
