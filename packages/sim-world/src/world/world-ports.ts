/**
 * What the world needs from the cluster store and the Docker model: the narrow surface the actors, the
 * informer and the checkers use (the simulated controller writes and calls Docker through its real
 * adapters). `world-models.ts` implements them over the one model that the wire faces serve too.
 */
import type { Container, ContainerRef } from "@container-actions/core";
import type { EngineFaults } from "@container-actions/fake-docker";

/** An API answer: the HTTP status code and, on success, the object; on failure the Status reason and message. */
export interface ApiAnswer<T = Container> {
  code: number;
  object?: T;
  reason?: string;
  message?: string;
}

export type JsonPatchOp =
  | { op: "test" | "add" | "replace"; path: string; value: unknown }
  | { op: "remove"; path: string };

export interface WriteOptions {
  fieldManager: string;
  /** The authenticated user, for admission. */
  user: string;
  /** Write through the status subresource. */
  subresource?: "status";
  /** False to write as if no webhook were registered (the window E22 describes). */
  admission?: boolean;
}

export interface ContainerWatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: Container;
}

export interface ClusterPort {
  create(container: Container, options: WriteOptions): Promise<ApiAnswer>;
  mergePatch(ref: ContainerRef, patch: unknown, options: WriteOptions): Promise<ApiAnswer>;
  jsonPatch(ref: ContainerRef, ops: JsonPatchOp[], options: WriteOptions): Promise<ApiAnswer>;
  /** Server-side apply of `config` (`kubectl apply --server-side`); `force` takes fields other managers own. */
  apply(ref: ContainerRef, config: unknown, options: WriteOptions & { force?: boolean }): Promise<ApiAnswer>;
  delete(ref: ContainerRef, options: WriteOptions): Promise<ApiAnswer<unknown>>;
  /** The stored object now (for actors and checkers; the controller reads only its informer). */
  peek(ref: ContainerRef): Container | undefined;
  list(namespace: string): { items: Container[]; resourceVersion: string };
  /** Watches Containers from `resourceVersion`, delivering synchronously in order. */
  watch(namespace: string, resourceVersion: string, onEvent: (event: ContainerWatchEvent) => void, onEnd?: () => void): { stop(): void };
}

/** A Docker container event, as much as the controller reads of it. */
export interface DockerEventSummary {
  id: string;
  action: string;
}

export interface DockerPort {
  /** `docker run -d`: returns the new id. `slowStop`: PID 1 ignores SIGTERM; `restartAlways`: restart policy always. */
  run(options: { name: string; slowStop: boolean; restartAlways: boolean }): Promise<string>;
  /** An out-of-band CLI call; answers the HTTP status code. */
  cli(op: "stop" | "start" | "kill" | "rm" | "pause", id: string): Promise<number>;
  /** Makes the daemon answer nobody (true) or everybody again (false): an outage, over the faults below. */
  setUnreachable(unreachable: boolean): void;
  /** The engine's one fault gate: the scenario's engine knobs while the world's faults are on, none after. */
  setEngineFaults(faults: EngineFaults): void;
  /** The container's main process exits by itself with `code` (restart policy may bring it back). */
  exitProcess(id: string, code: number): void;
  /** Every container's id and State.Status. */
  statuses(): Promise<Map<string, string>>;
  subscribe(onEvent: (event: DockerEventSummary) => void): { stop(): void };
}
