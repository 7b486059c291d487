import type { LastAction } from "@container-actions/core";

/**
 * The result of one {@link requestAction} call: the outcome of THIS request (its fresh request id), or
 * why there is none. Every kind is an ordinary value; nothing is thrown for them.
 */
export type ActionResult =
  /** Docker did it: `lastAction.state` is Succeeded. */
  | { kind: "succeeded"; requestId: string; lastAction: LastAction }
  /** Docker refused: `error` is Docker's message (`Error response from daemon: …`). */
  | { kind: "failed"; requestId: string; lastAction: LastAction; error: string }
  /** Written, not waited for (`wait: false`). */
  | { kind: "requested"; requestId: string }
  /** The API server refused the write: the admission webhook's message (an invalid action), or RBAC. */
  | { kind: "denied"; requestId: string; code: number; message: string }
  /** No such Container in the namespace, or it was deleted while the request waited. */
  | { kind: "not-found"; requestId: string; message: string }
  /** Another request replaced this one before it ran (one slot, latest wins); `by` is the one that ran, when known. */
  | { kind: "superseded"; requestId: string; by: { action: string; requestId?: string } | null }
  /** The controller removed the request without running it (e.g. not a container of its engine); see the Container's Events. */
  | { kind: "dropped"; requestId: string }
  /** No outcome within `timeoutMs`; the request stays pending and may still run. */
  | { kind: "timeout"; requestId: string; timeoutMs: number }
  /** The caller's signal aborted the wait; the request stays pending and may still run. */
  | { kind: "aborted"; requestId: string }
  /** The API server could not be reached or answered 5xx; `written` says whether the request was written. */
  | { kind: "unavailable"; requestId: string; detail: string; written: boolean };

export type ActionResultKind = ActionResult["kind"];
