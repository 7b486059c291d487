/**
 * The one place that reads Kubernetes API status codes and client-node errors, and turns them into the
 * kinds the core ports and this app's adapters speak. Measured on kube-apiserver v1.20.2
 * (docs/design/real-apiserver.md): a failed JSON Patch `test` is 422, a stale resourceVersion 409.
 */
import type { ClearResult, MirrorWrite, RecordResult, StampResult } from "@container-actions/core";
import type { KubeAnswer } from "./kube-transport.ts";

/** A Kubernetes answer, classified once. */
export type KubeReply =
  | { kind: "ok"; status: number; body: unknown }
  /** 404: the object (or its namespace, or the resource) does not exist. */
  | { kind: "not-found"; detail: string }
  /** 409: AlreadyExists on create, or a resourceVersion precondition failed. */
  | { kind: "conflict"; detail: string }
  /** 422 (a failed JSON Patch test, a schema violation) or 400: the same request cannot succeed. */
  | { kind: "invalid"; detail: string }
  /**
   * No answer, 429, 5xx, 401/403 (credentials or RBAC, fixed outside this process), anything else:
   * the outcome is unknown or the condition is transient; try again later.
   */
  | { kind: "unavailable"; detail: string };

export function classifyKubeAnswer(answer: KubeAnswer): KubeReply {
  if (answer.kind === "failed") return { kind: "unavailable", detail: answer.detail };
  const { status, body } = answer;
  if (status >= 200 && status < 300) return { kind: "ok", status, body };
  const detail = `HTTP ${status}: ${statusMessage(body)}`;
  switch (status) {
    case 404:
      return { kind: "not-found", detail };
    case 409:
      return { kind: "conflict", detail };
    case 400:
    case 422:
      return { kind: "invalid", detail };
    default:
      return { kind: "unavailable", detail };
  }
}

/** The `message` of a metav1.Status body, or a short rendering of whatever came back. */
export function statusMessage(body: unknown): string {
  if (body !== null && typeof body === "object" && typeof (body as { message?: unknown }).message === "string") {
    return (body as { message: string }).message;
  }
  if (typeof body === "string") return body.slice(0, 200);
  return "no message";
}

/** metadata.resourceVersion of an object in a response body ("" when absent). */
export function resourceVersionOf(body: unknown): string {
  const rv = (body as { metadata?: { resourceVersion?: unknown } } | undefined)?.metadata?.resourceVersion;
  return typeof rv === "string" ? rv : "";
}

/** status.lastAction written through the status subresource (merge patch, no precondition). */
export function recordResultOf(reply: KubeReply): RecordResult {
  switch (reply.kind) {
    case "ok":
      return { kind: "written", resourceVersion: resourceVersionOf(reply.body) };
    case "not-found":
      return { kind: "gone" };
    case "invalid":
      return { kind: "rejected", detail: reply.detail };
    case "conflict":
    case "unavailable":
      return { kind: "unavailable", detail: reply.detail };
  }
}

/**
 * A guarded JSON Patch on the request slot (`test` ops, then the change): the stamp of an id-less
 * request's id, or the removal of a handled request. A failed test (422) means a client wrote a newer
 * request meanwhile: superseded.
 */
function guardedSlotPatchOf<Done extends string>(done: Done, reply: KubeReply): { kind: Done; resourceVersion: string } | { kind: "gone" } | { kind: "superseded" } | { kind: "unavailable"; detail: string } {
  switch (reply.kind) {
    case "ok":
      return { kind: done, resourceVersion: resourceVersionOf(reply.body) };
    case "not-found":
      return { kind: "gone" };
    case "invalid":
      return { kind: "superseded" };
    case "conflict":
    case "unavailable":
      return { kind: "unavailable", detail: reply.detail };
  }
}

/** The id stamped on an id-less request. */
export function stampResultOf(reply: KubeReply): StampResult {
  return guardedSlotPatchOf("stamped", reply);
}

/** The guarded removal of a handled request. */
export function clearResultOf(reply: KubeReply): ClearResult {
  return guardedSlotPatchOf("cleared", reply);
}

/** Which mirror write answered; they read 409 and 422 differently. */
export type MirrorOp = "create" | "add-finalizer" | "write-status" | "remove-finalizer" | "delete";

/**
 * A mirror write's answer. 409 on create is AlreadyExists: the mirror is there, which is what create
 * wants. 422 means the object is not in the shape the write expected (a guarded finalizer test failed,
 * or the finalizer list moved): `changed`, which the sync settles on its next pass.
 */
export function mirrorWriteOf(op: MirrorOp, reply: KubeReply): MirrorWrite {
  switch (reply.kind) {
    case "ok":
      return { kind: "written" };
    case "not-found":
      return { kind: "gone" };
    case "conflict":
      return op === "create" ? { kind: "written" } : { kind: "unavailable", detail: reply.detail };
    case "invalid":
      return { kind: "changed" };
    case "unavailable":
      return { kind: "unavailable", detail: reply.detail };
  }
}

/**
 * The HTTP status carried by an error thrown by client-node 1.4.0: `ApiException.code` from the generated
 * API (the informer's list), `statusCode` from `Watch`. Undefined for transport errors.
 */
export function clientNodeStatusOf(error: unknown): number | undefined {
  if (error === null || typeof error !== "object") return undefined;
  const e = error as { code?: unknown; statusCode?: unknown };
  if (typeof e.statusCode === "number") return e.statusCode;
  if (typeof e.code === "number") return e.code;
  return undefined;
}

/** What an informer error means for the restart loop. */
export type InformerFailure =
  /** 410 Gone: the resourceVersion expired; client-node relists by itself. */
  | { kind: "expired" }
  /** 401/403: credentials or RBAC; retrying helps only once someone fixes them, so back off as usual. */
  | { kind: "forbidden"; status: number }
  | { kind: "unavailable"; detail: string };

export function informerFailureOf(error: unknown): InformerFailure {
  const status = clientNodeStatusOf(error);
  if (status === 410) return { kind: "expired" };
  if (status === 401 || status === 403) return { kind: "forbidden", status };
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const detail = status !== undefined ? `HTTP ${status}: ${message}` : typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message;
  return { kind: "unavailable", detail };
}

/** The metrics `code` label for an error thrown by client-node. */
export function clientNodeCodeLabel(error: unknown): string {
  const status = clientNodeStatusOf(error);
  return status === undefined ? "error" : String(status);
}
