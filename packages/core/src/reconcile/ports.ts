/**
 * The ports of the action protocol: everything the procedure may touch, and nothing else.
 * Only plain data crosses them: no client library types, no HTTP status numbers.
 */
import type { ContainerRef, LastAction } from "../api/container-schema.ts";
import type { RawRequest } from "../action/action-request.ts";
import type { ContainerEngine } from "../engine/container-engine.ts";
import type { OwnershipJudge } from "../ownership/engine-inventory.ts";

/** The answer to writing status.lastAction. */
export type RecordResult =
  /** Written; `resourceVersion` is the object's version after the write. */
  | { kind: "written"; resourceVersion: string }
  /** The Container no longer exists: the request went with it. */
  | { kind: "gone" }
  /** The server refused the content (422); retrying the same write cannot help. */
  | { kind: "rejected"; detail: string }
  /** The server did not answer or answered 429/5xx; the outcome of the write is unknown. */
  | { kind: "unavailable"; detail: string };

/** The answer to removing a handled request. */
export type ClearResult =
  | { kind: "cleared"; resourceVersion: string }
  /** The slot no longer holds that request: a client wrote a newer one, which must survive. */
  | { kind: "superseded" }
  | { kind: "gone" }
  | { kind: "unavailable"; detail: string };

/**
 * Where requests are read from and outcomes written to: the Container object in the cluster.
 * Neither method reads; each is exactly one API write.
 */
export interface ActionLedger {
  /**
   * Sets status.lastAction through the status subresource, with no resourceVersion precondition, so
   * unrelated status writes never make it conflict. Idempotent.
   */
  recordOutcome(ref: ContainerRef, lastAction: LastAction): Promise<RecordResult>;
  /**
   * Removes the request annotations only if they still hold exactly `request` — a server-side test, so a
   * newer request written at any moment survives (answer `superseded`). Idempotent.
   */
  clearRequest(ref: ContainerRef, request: RawRequest): Promise<ClearResult>;
  /**
   * Adds the request id annotation `requestId` only if the slot still holds `action` without an id — a
   * server-side test, so a newer request is never renamed (answer `superseded`). One API write.
   */
  stampRequestId(ref: ContainerRef, action: string, requestId: string): Promise<StampResult>;
}

/** The answer to giving an id-less request a server-chosen id. */
export type StampResult =
  | { kind: "stamped"; resourceVersion: string }
  /** The slot no longer holds that id-less request: a client wrote a newer one, seen on a later pass. */
  | { kind: "superseded" }
  | { kind: "gone" }
  | { kind: "unavailable"; detail: string };

export type EventType = "Normal" | "Warning";

/** A Kubernetes Event about one Container, as `kubectl describe` shows it. */
export interface ContainerEvent {
  type: EventType;
  reason: string;
  message: string;
}

/** Emits Events. Best effort: a failure to emit is the adapter's to log, never the procedure's concern. */
export interface EventRecorder {
  record(ref: ContainerRef, event: ContainerEvent): void;
}

/** Reads time. The only clock core sees; the simulator's virtual clock implements it. */
export interface Clock {
  nowMs(): number;
}

/**
 * Mints the ids the controller gives id-less requests: unique across processes and restarts (a random
 * UUID in the controller; the seeded PRNG in the simulator). Core draws no randomness itself.
 */
export interface RequestIds {
  newRequestId(): string;
}

export interface ActionPorts {
  engine: ContainerEngine;
  /** Which Containers are the engine's own; requests on any other are removed without a Docker call. */
  owner: OwnershipJudge;
  ledger: ActionLedger;
  events: EventRecorder;
  clock: Clock;
  ids: RequestIds;
}
