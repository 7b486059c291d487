/**
 * {@link ContainerApi} on @kubernetes/client-node: CustomObjectsApi for reads and the merge patch, Watch
 * for changes. Works with any KubeConfig (a kubeconfig file, in-cluster, or built in code).
 */
import { CustomObjectsApi, PatchStrategy, Watch, setHeaderOptions, type KubeConfig } from "@kubernetes/client-node";
import { GROUP, PLURAL, VERSION, type Container } from "@container-actions/core";
import type { ApiAnswer, ContainerApi, WatchEventType } from "./container-api.ts";
import { answerOfError } from "./status-mapping.ts";

/** The Container API of the cluster `kc` points at. */
export function kubeContainerApi(kc: KubeConfig): ContainerApi {
  const api = kc.makeApiClient(CustomObjectsApi);
  const at = (namespace: string) => ({ group: GROUP, version: VERSION, namespace, plural: PLURAL });
  const call = async <T>(run: () => Promise<T>): Promise<ApiAnswer<T>> => {
    try {
      return { kind: "ok", value: await run() };
    } catch (error) {
      return answerOfError(error);
    }
  };
  return {
    get: (namespace, name) => call(async () => (await api.getNamespacedCustomObject({ ...at(namespace), name })) as Container),
    list: (namespace) =>
      call(async () => {
        const list = (await api.listNamespacedCustomObject(at(namespace))) as { items: Container[]; metadata: { resourceVersion: string } };
        return { items: list.items, resourceVersion: list.metadata.resourceVersion };
      }),
    annotate: (namespace, name, annotations, fieldManager) =>
      call(async () =>
        (await api.patchNamespacedCustomObject(
          { ...at(namespace), name, fieldManager, body: { metadata: { annotations } } },
          setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
        )) as Container,
      ),
    async watch(namespace, options, onEvent, onEnd) {
      const path = `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${PLURAL}`;
      const query = {
        resourceVersion: options.resourceVersion,
        allowWatchBookmarks: true,
        ...(options.name !== undefined ? { fieldSelector: `metadata.name=${options.name}` } : {}),
      };
      let stopped = false;
      const controller = await new Watch(kc).watch(
        path,
        query,
        (type: string, object: Container) => {
          if (type === "ADDED" || type === "MODIFIED" || type === "DELETED") onEvent(type as WatchEventType, object);
        },
        (error) => {
          if (!stopped) onEnd(error ?? undefined);
        },
      );
      return {
        stop() {
          stopped = true;
          controller.abort();
        },
      };
    },
  };
}
