/**
 * LIST paging and reads at a resourceVersion, as the apiserver serves them from etcd: `limit` cuts a
 * list in key order, the `continue` token (base64url JSON `{"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}`,
 * the key relative to the listed prefix) resumes it at the first page's snapshot, `remainingItemCount`
 * counts what is left when no selector filters, and a snapshot older than the store's history window
 * is compacted: 410 Expired, with a token that continues inconsistently at the latest state.
 * Snapshots are rebuilt from the current objects by undoing the resource's recorded changes.
 */
import type { ChangeRecord } from "./watch-hub.ts";
import { type JsonObject, isJsonObject } from "./json.ts";
import { type KubeStatus, StatusReason, badRequest, invalid } from "./kube-status.ts";
import { type FieldError, forbiddenField, notSupported } from "./field-errors.ts";
import type { ListPaging } from "./api-request.ts";

export interface ContinueToken {
  /** The snapshot's resourceVersion; -1: continue at the latest state (after a compaction). */
  rv: number;
  /** The first key to return (relative to the listed prefix). */
  start: string;
}

const TOKEN_VERSION = "meta.k8s.io/v1";

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: TOKEN_VERSION, rv: token.rv, start: token.start })).toString("base64url");
}

/** Decodes a continue token; the 400 the apiserver answers for a malformed one. */
export function decodeContinue(text: string): { kind: "ok"; token: ContinueToken } | { kind: "failure"; status: KubeStatus } {
  const invalid = (why: string) => ({ kind: "failure" as const, status: badRequest(`invalid continue token: ${why}`) });
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return invalid("continue key is not valid: illegal base64 data");
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return invalid("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  }
  if (!isJsonObject(parsed) || parsed.v !== TOKEN_VERSION) return invalid("continue key is not valid: server does not recognize this encoded version");
  if (typeof parsed.rv !== "number" || parsed.rv === 0) return invalid("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  if (typeof parsed.start !== "string" || parsed.start === "") return invalid("continue key is not valid: encoded start key empty");
  return { kind: "ok", token: { rv: parsed.rv, start: parsed.start } };
}

const COMPACTED_CONTINUE =
  "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

/** 410 for a continue token whose snapshot was compacted, carrying a token that continues at the latest state. */
export function compactedContinue(start: string): KubeStatus {
  return { kind: "Status", apiVersion: "v1", metadata: { continue: encodeContinue({ rv: -1, start }) }, status: "Failure", message: COMPACTED_CONTINUE, reason: StatusReason.expired, code: 410 };
}

/** 410 for a list at an exact resourceVersion that was compacted. */
export function compactedList(requested: number, oldest: number): KubeStatus {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `too old resource version: ${requested} (${oldest})`, reason: StatusReason.expired, code: 410 };
}

/** 504 for a read at a resourceVersion the store has not reached. */
export function tooLargeResourceVersion(requested: number, current: number): KubeStatus {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `Timeout: Too large resource version: ${requested}, current: ${current}`,
    reason: StatusReason.timeout,
    details: { causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }], retryAfterSeconds: 1 },
    code: 504,
  };
}

/**
 * The objects as they were at a resourceVersion: the current ones (`key -> object`) with every later
 * change undone. `changes` are the resource's changes after that resourceVersion, in commit order.
 */
export function snapshotBefore(current: Map<string, JsonObject>, changes: readonly ChangeRecord[], keyOf: (namespace: string, o: JsonObject) => string): Map<string, JsonObject> {
  const out = new Map(current);
  for (let i = changes.length - 1; i >= 0; i--) {
    const c = changes[i] as ChangeRecord;
    const key = keyOf(c.namespace, c.object);
    if (c.type === "ADDED" || c.previous === undefined) out.delete(key);
    else out.set(key, c.previous);
  }
  return out;
}

/** One page of `items` (already filtered and in key order, each with its relative key). */
export function page<T>(items: ReadonlyArray<{ key: string; item: T }>, start: string, limit: number | undefined): { items: T[]; nextStart: string | undefined; remaining: number } {
  const from = start === "" ? 0 : items.findIndex((e) => e.key >= start);
  const rest = from < 0 ? [] : items.slice(from);
  if (limit === undefined || limit <= 0 || rest.length <= limit) return { items: rest.map((e) => e.item), nextStart: undefined, remaining: 0 };
  const taken = rest.slice(0, limit);
  const last = taken[taken.length - 1] as { key: string };
  return { items: taken.map((e) => e.item), nextStart: `${last.key}\u0000`, remaining: rest.length - limit };
}

/** What a LIST can read: the store's revision, its latest objects, and snapshots of the past. */
export interface ListSource {
  revision: number;
  latest(): JsonObject[];
  /** The objects at a resourceVersion, in key order; undefined when compacted. */
  at(rv: number): JsonObject[] | undefined;
  /** The oldest resourceVersion still readable (for the 410's wording). */
  oldest(): number;
}

export type ListRead = { kind: "ok"; objects: JsonObject[]; rv: number; start: string; limit: number | undefined } | { kind: "failure"; status: KubeStatus };

/** Which state a LIST reads (latest, or a snapshot), from which key, and how much; or why it cannot. */
export function planListRead(options: ListPaging, source: ListSource): ListRead {
  const rv = options.resourceVersion ?? "";
  const match = options.resourceVersionMatch;
  const cont = options.continue ?? "";
  const listOptionsInvalid = (errors: FieldError[]): ListRead => ({ kind: "failure", status: invalid({ group: "meta.k8s.io", kind: "ListOptions" }, "", errors) });
  if (match !== undefined && (match as string) !== "") {
    if (rv === "") return listOptionsInvalid([forbiddenField("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided")]);
    if (cont !== "") return listOptionsInvalid([forbiddenField("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided")]);
    if (match !== "Exact" && match !== "NotOlderThan") return listOptionsInvalid([notSupported("resourceVersionMatch", match, ["Exact", "NotOlderThan", ""])]);
    if (match === "Exact" && rv === "0") return listOptionsInvalid([forbiddenField("resourceVersionMatch", 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"')]);
  }
  if (rv !== "" && !/^\d+$/.test(rv)) return { kind: "failure", status: badRequest(`invalid resource version: ${rv}`) };
  const limit = options.limit !== undefined && options.limit > 0 ? options.limit : undefined;
  if (cont !== "") {
    if (rv !== "") return { kind: "failure", status: badRequest("specifying resource version is not allowed when using continue") };
    const decoded = decodeContinue(cont);
    if (decoded.kind === "failure") return decoded;
    const { token } = decoded;
    if (token.rv === -1) return { kind: "ok", objects: source.latest(), rv: source.revision, start: token.start, limit };
    const snapshot = source.at(token.rv);
    if (snapshot === undefined) return { kind: "failure", status: compactedContinue(token.start) };
    return { kind: "ok", objects: snapshot, rv: token.rv, start: token.start, limit };
  }
  // "0": any state, from the watch cache, which does not page.
  if (rv === "" || rv === "0") return { kind: "ok", objects: source.latest(), rv: source.revision, start: "", limit: rv === "0" ? undefined : limit };
  const wanted = Number(rv);
  if (wanted > source.revision) return { kind: "failure", status: tooLargeResourceVersion(wanted, source.revision) };
  // An exact read (asked for, or implied by a limit without a match: the legacy paging rule).
  if (match === "Exact" || (match === undefined && limit !== undefined)) {
    const snapshot = source.at(wanted);
    if (snapshot === undefined) return { kind: "failure", status: compactedList(wanted, source.oldest()) };
    return { kind: "ok", objects: snapshot, rv: wanted, start: "", limit };
  }
  return { kind: "ok", objects: source.latest(), rv: source.revision, start: "", limit };
}
