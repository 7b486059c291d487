/**
 * The cluster as the console sees it: list and watch Containers, and write a request. Any cluster works —
 * the simulated apiserver or a real one — through a kubeconfig and @kubernetes/client-node.
 */
import { CustomObjectsApi, KubeConfig, Watch } from "@kubernetes/client-node";
import { requestAction } from "@container-actions/client";
import {
  ACTION_NAMES,
  FieldManager,
  GROUP,
  PLURAL,
  VERSION,
  type ActionName,
  type Container,
} from "@container-actions/core";

export type ContainerChange = { type: "ADDED" | "MODIFIED" | "DELETED"; object: Container };

export type RequestAnswer = { kind: "written"; requestId: string } | { kind: "refused"; status: number; message: string };

export interface ConsoleCluster {
  list(): Promise<{ items: Container[]; resourceVersion: string }>;
  /** Follows changes from `resourceVersion`; calls `onEnd` when the stream ends (the caller resumes). */
  watch(resourceVersion: string, onChange: (change: ContainerChange) => void, onEnd: (error?: unknown) => void): Promise<{ stop(): void }>;
  /** Writes `action` with a fresh request id; the id tells the client when its own request is done. */
  request(name: string, action: ActionName, requestId: string): Promise<RequestAnswer>;
}

export function kubeConsoleCluster(kubeconfigPath: string, namespace: string): ConsoleCluster {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const api = kc.makeApiClient(CustomObjectsApi);
  const base = { group: GROUP, version: VERSION, namespace, plural: PLURAL };
  return {
    async list() {
      const list = (await api.listNamespacedCustomObject(base)) as { items: Container[]; metadata: { resourceVersion: string } };
      return { items: list.items, resourceVersion: list.metadata.resourceVersion };
    },
    async watch(resourceVersion, onChange, onEnd) {
      const path = `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${PLURAL}`;
      const controller = await new Watch(kc).watch(
        path,
        { resourceVersion, allowWatchBookmarks: true },
        (type: string, object: Container) => {
          if (type === "ADDED" || type === "MODIFIED" || type === "DELETED") onChange({ type, object });
        },
        (error) => onEnd(error ?? undefined),
      );
      return { stop: () => controller.abort() };
    },
    async request(name, action, requestId) {
      if (!(ACTION_NAMES as readonly string[]).includes(action)) return { kind: "refused", status: 400, message: `unknown action "${action}"` };
      // The page follows the outcome itself (by request id, over the stream), so the client only writes.
      const result = await requestAction(kc, { namespace, container: name, action }, { wait: false, requestId, fieldManager: FieldManager.console });
      switch (result.kind) {
        case "requested":
          return { kind: "written", requestId };
        case "denied":
          return { kind: "refused", status: result.code, message: result.message };
        case "not-found":
          return { kind: "refused", status: 404, message: result.message };
        case "unavailable":
          return { kind: "refused", status: 502, message: result.detail };
        default:
          return { kind: "refused", status: 500, message: `unexpected answer ${result.kind}` };
      }
    },
  };
}
