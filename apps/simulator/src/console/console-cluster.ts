/**
 * The cluster as the console sees it: list and watch Containers, and write a request. Any cluster works —
 * the simulated apiserver or a real one — through a kubeconfig and @kubernetes/client-node.
 */
import { CustomObjectsApi, KubeConfig, PatchStrategy, Watch, setHeaderOptions } from "@kubernetes/client-node";
import {
  ACTION_NAMES,
  ANNOTATION_ACTION,
  ANNOTATION_ACTION_ID,
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
      try {
        await api.patchNamespacedCustomObject(
          { ...base, name, fieldManager: FieldManager.console, body: { metadata: { annotations: { [ANNOTATION_ACTION]: action, [ANNOTATION_ACTION_ID]: requestId } } } },
          setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
        );
        return { kind: "written", requestId };
      } catch (error) {
        return refusal(error);
      }
    },
  };
}

/** The apiserver's Status message (an admission denial, a NotFound) as the user should read it. */
function refusal(error: unknown): RequestAnswer {
  const e = error as { code?: number; body?: string | { message?: string } };
  let message = "request failed";
  if (typeof e.body === "string") {
    try {
      message = (JSON.parse(e.body) as { message?: string }).message ?? e.body;
    } catch {
      message = e.body;
    }
  } else if (e.body?.message) message = e.body.message;
  else if (error instanceof Error) message = error.message;
  return { kind: "refused", status: e.code ?? 502, message };
}
