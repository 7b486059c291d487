/**
 * The small port the client needs from a Kubernetes API server: read, list, annotate and watch
 * Containers in one namespace. {@link kubeContainerApi} implements it on client-node's KubeConfig; tests
 * use an in-memory fake. Only plain data crosses it.
 */
import type { Container } from "@container-actions/core";

/** The answer to one API call. Every expected answer is a value. */
export type ApiAnswer<T> =
  | { kind: "ok"; value: T }
  /** The Container (or its namespace) does not exist. */
  | { kind: "not-found"; message: string }
  /** The server refused the write: an admission denial, RBAC, or invalid content. `message` is the server's. */
  | { kind: "refused"; code: number; message: string }
  /** No answer, or a 5xx/429: nothing is known about the outcome. */
  | { kind: "unavailable"; detail: string };

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

/** A running watch; `stop` ends it without calling `onEnd`. */
export interface WatchHandle {
  stop(): void;
}

export interface ContainerApi {
  /** One Container. */
  get(namespace: string, name: string): Promise<ApiAnswer<Container>>;
  /** Every Container of the namespace, with the list's resourceVersion to watch from. */
  list(namespace: string): Promise<ApiAnswer<{ items: Container[]; resourceVersion: string }>>;
  /** A JSON merge patch of `metadata.annotations` (null removes a key), no resourceVersion; the object after it. */
  annotate(namespace: string, name: string, annotations: Record<string, string | null>, fieldManager: string): Promise<ApiAnswer<Container>>;
  /**
   * Follows changes after `resourceVersion` (of one object when `name` is set). `onEnd` is called once
   * when the server or the network ends the stream; the caller resumes from a fresh read.
   */
  watch(
    namespace: string,
    options: { resourceVersion: string; name?: string },
    onEvent: (type: WatchEventType, object: Container) => void,
    onEnd: (error?: unknown) => void,
  ): Promise<WatchHandle>;
}
