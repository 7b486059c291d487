/**
 * The store's request vocabulary: one discriminated union per REST verb, the caller's context (user,
 * field manager, dry run) and the outcome every verb answers — an object with its HTTP code, or a
 * `Status` failure. Expected failures are values, never exceptions.
 */
import type { KubeStatus } from "./kube-status.ts";
import type { JsonObject } from "./json.ts";
import type { ResourceRef } from "./resource-registry.ts";
import type { UserInfo } from "./validating-admission.ts";
import type { WatchEndReason, WatchEvent, WatchHandle } from "./watch-hub.ts";

/** PATCH bodies by Content-Type. */
export const PatchType = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
} as const;
export type PatchType = (typeof PatchType)[keyof typeof PatchType];

/** Who is asking and how: the identity admission sees, the field manager, dry run. */
export interface RequestContext {
  /** Defaults to the admin of the served kubeconfig (`admin`, groups system:masters). */
  user?: UserInfo;
  /** The User-Agent; its part before the first `/` is the field manager when none is given. */
  userAgent?: string;
  /** The `fieldManager` query parameter. */
  fieldManager?: string;
  /** `fieldValidation`: what to do with unknown fields (default Warn, as since 1.27). */
  fieldValidation?: "Strict" | "Warn" | "Ignore";
  /**
   * What the strict decoder found wrong with the request body itself, in its words and order (repeated
   * keys, a JSON Patch's unknown keys: see strict-decoding.ts). Only the HTTP layer sees the raw body.
   */
  bodyStrictErrors?: readonly string[];
  /** `force=true` on an apply: take the conflicting fields from their managers. */
  force?: boolean;
  /** `dryRun=All`: everything but the commit. */
  dryRun?: boolean;
  /** Write as if no ValidatingWebhookConfiguration existed (a webhook not yet registered). */
  skipAdmission?: boolean;
}

export interface DeleteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
}

interface Addressed {
  resource: ResourceRef;
  /** Required for namespaced resources (defaults to "default"), ignored for cluster-scoped ones. */
  namespace?: string;
  context?: RequestContext;
}

export type ApiRequest =
  | (Addressed & { verb: "get"; name: string; subresource?: "status"; resourceVersion?: string })
  | (Addressed & { verb: "list"; labelSelector?: string; fieldSelector?: string } & ListPaging)
  | (Addressed & { verb: "create"; body: unknown })
  | (Addressed & { verb: "update"; name: string; subresource?: "status"; body: unknown })
  | (Addressed & { verb: "patch"; name: string; subresource?: "status"; patchType: PatchType; patch: unknown })
  | (Addressed & { verb: "delete"; name: string; options?: DeleteOptions });

/** LIST's paging and consistency options (query parameters of the same names). */
export interface ListPaging {
  limit?: number;
  continue?: string;
  /** "" (latest), "0" (any: the cache, no paging), or a number (not older than it, or exactly it). */
  resourceVersion?: string;
  resourceVersionMatch?: "Exact" | "NotOlderThan";
}

export type Verb = ApiRequest["verb"];
export const VERBS: readonly Verb[] = ["get", "list", "create", "update", "patch", "delete"];

/**
 * The answer to a request: `ok` with the HTTP code and body (the object, a list, or for a completed
 * delete the `Success` Status), or `failure` with the apiserver's Status (its `code` is the HTTP code).
 */
export type ApiOutcome =
  | { kind: "ok"; code: 200 | 201; object: JsonObject; warnings?: string[] }
  | { kind: "failure"; status: KubeStatus };

export function ok(object: JsonObject, code: 200 | 201 = 200, warnings: string[] = []): ApiOutcome {
  return warnings.length > 0 ? { kind: "ok", code, object, warnings } : { kind: "ok", code, object };
}

export function fail(status: KubeStatus): ApiOutcome {
  return { kind: "failure", status };
}

/** The HTTP status code of an outcome. */
export function codeOf(outcome: ApiOutcome): number {
  return outcome.kind === "ok" ? outcome.code : (outcome.status.code ?? 500);
}

/** What a client of the cluster talks to: the store itself, or a wrapper that injects faults. */
export interface KubeApi {
  request(req: ApiRequest): Promise<ApiOutcome>;
  watch(ref: ResourceRef, options: WatchOptions, onEvent: (event: WatchEvent) => void, onEnd?: (reason: WatchEndReason) => void): WatchHandle;
}

export interface WatchOptions {
  namespace?: string;
  /** "" or "0": the current objects as ADDED first; a number: every change after it. */
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  /** Watch-list: the current objects first (true) or not at all (false); needs resourceVersionMatch=NotOlderThan. */
  sendInitialEvents?: boolean;
  /** Only "NotOlderThan", and only with sendInitialEvents (anything else is a 422). */
  resourceVersionMatch?: string;
}
