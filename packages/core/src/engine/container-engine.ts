import type { ActionName, ContainerStatusValue } from "../api/container-schema.ts";

/** Docker's view of one container, as much of it as the action protocol needs. */
export interface EngineState {
  /** Docker's State.Status, passed through. */
  status: ContainerStatusValue;
  running: boolean;
  paused: boolean;
  restarting: boolean;
  /** State.StartedAt in epoch ms; undefined when the container never started. */
  startedAtMs?: number;
}

/** The answer to one engine call. Every expected answer is a value; only a bug throws. */
export type EngineReply =
  /** The engine did it (2xx). */
  | { kind: "done" }
  /** The container was already in the target state (304 on start/stop). */
  | { kind: "already" }
  /** The engine refused (409, 500, 400); `message` is the daemon's own text. */
  | { kind: "refused"; message: string }
  /** No such container (404). */
  | { kind: "gone"; message: string }
  /** The engine could not be reached or did not answer; nothing is known about the outcome. */
  | { kind: "unreachable"; detail: string };

export type RestartHistoryReply =
  | { kind: "restarted" }
  | { kind: "not-restarted" }
  | { kind: "unreachable"; detail: string };

export type InspectReply =
  | { kind: "found"; state: EngineState }
  | { kind: "gone"; message: string }
  | { kind: "unreachable"; detail: string };

/**
 * The engine port: what the action protocol may ask of Docker.
 * Both methods are safe to call again after any reply; `perform` is as idempotent as Docker makes it.
 */
export interface ContainerEngine {
  /** Reads the container's state. */
  inspect(id: string): Promise<InspectReply>;
  /** Makes the one Docker call for `action` (start, stop, pause, unpause or restart). */
  perform(id: string, action: ActionName): Promise<EngineReply>;
  /**
   * Whether Docker restarted the container (a `restart` event: an API restart completed) at or after
   * `sinceMs`. A fresh start or a restart policy's start emits no `restart` event. Read-only.
   */
  restartedSince(id: string, sinceMs: number): Promise<RestartHistoryReply>;
}
