/**
 * Frozen JSON: how the fast store shares stored objects with every reader and watcher instead of
 * copying them. A frozen value is frozen all the way down (only deepFreeze freezes), so a consumer that
 * tries to change a delivered object fails loudly (a TypeError in strict-mode code) instead of
 * corrupting the store.
 */
import { type Json, type JsonObject, isJsonObject } from "./json.ts";

/** Freezes `v` and everything in it; already-frozen parts are skipped (they are frozen throughout). */
export function deepFreeze<T>(v: T): T {
  if (typeof v !== "object" || v === null || Object.isFrozen(v)) return v;
  Object.freeze(v);
  if (Array.isArray(v)) for (const x of v) deepFreeze(x);
  else for (const k in v) deepFreeze((v as Record<string, unknown>)[k]);
  return v;
}

/**
 * sortKeys for values that may contain frozen, already-sorted parts (fieldsV1 trees shared between
 * versions, subtrees of a stored custom resource): those are kept as they are instead of copied.
 */
export function sortKeysSharing(v: Json): Json {
  if (Array.isArray(v)) return Object.isFrozen(v) ? v : v.map(sortKeysSharing);
  if (!isJsonObject(v) || Object.isFrozen(v)) return v;
  const out: JsonObject = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeysSharing(v[k] as Json);
  return out;
}
