/**
 * RFC 7386 JSON merge patch as evanphx/json-patch v4 (kube-apiserver v1.20) applies it: null deletes,
 * objects merge, anything else replaces; nulls inside a newly added subtree are dropped.
 * A patch that is not a JSON object is refused as the apiserver refuses it (500 "Invalid JSON Patch").
 */
import { type Json, type JsonObject, isJsonObject, cloneJson } from "./json.ts";

export type MergePatchOutcome = { kind: "ok"; doc: JsonObject } | { kind: "malformed"; message: string };

/** Merges `patch` (already parsed) into a deep copy of `doc`. */
export function applyMergePatch(doc: JsonObject, patch: unknown): MergePatchOutcome {
  if (!isJsonObject(patch)) return { kind: "malformed", message: "Invalid JSON Patch" };
  const out = cloneJson(doc);
  mergeInto(out, patch);
  return { kind: "ok", doc: out };
}

function mergeInto(doc: JsonObject, patch: JsonObject): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete doc[k];
      continue;
    }
    const cur = doc[k];
    if (cur === undefined || cur === null) {
      doc[k] = pruneNulls(cloneJson(v));
    } else if (!isJsonObject(cur)) {
      doc[k] = pruneNulls(cloneJson(v));
    } else if (!isJsonObject(v)) {
      doc[k] = cloneJson(v);
    } else {
      mergeInto(cur, v);
    }
  }
}

function pruneNulls(v: Json): Json {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(pruneNulls);
  if (isJsonObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else v[k] = pruneNulls(x);
    }
  }
  return v;
}
