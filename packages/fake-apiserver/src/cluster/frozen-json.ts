/**
 * Shared JSON: how the fast store hands stored objects to every reader and watcher instead of copying
 * them. A shared object is never changed again; under tests (and with SIM_FREEZE=1) it is also
 * deep-frozen, so a consumer that tries to change a delivered object fails loudly (a TypeError in
 * strict-mode code) instead of corrupting the store. Freezing costs a walk per write, so faster runs
 * (benches, chaos) leave it to the tests to prove nobody writes.
 */
import { type Json, type JsonObject, isJsonObject } from "./json.ts";

/** Whether shared objects are frozen: under `bun test`, or when SIM_FREEZE=1. */
export const FREEZE_SHARED = process.env.NODE_ENV === "test" || process.env.SIM_FREEZE === "1";

const shared = new WeakSet<object>();
const sorted = new WeakSet<object>();

/** Freezes `v` and everything in it; already-frozen parts are skipped (they are frozen throughout). */
export function deepFreeze<T>(v: T): T {
  if (typeof v !== "object" || v === null || Object.isFrozen(v)) return v;
  Object.freeze(v);
  if (Array.isArray(v)) for (const x of v) deepFreeze(x);
  else for (const k in v) deepFreeze((v as Record<string, unknown>)[k]);
  return v;
}

/** Marks `v` as shared (never to be changed again) and freezes it when {@link FREEZE_SHARED}. */
export function share<T extends object>(v: T): T {
  shared.add(v);
  return FREEZE_SHARED ? deepFreeze(v) : v;
}

export function isShared(v: object): boolean {
  return shared.has(v);
}

/** Marks a shared tree whose object keys are sorted all the way down (an encoded fieldsV1 tree). */
export function shareSorted<T extends object>(v: T): T {
  sorted.add(v);
  return share(v);
}

/**
 * sortKeys for values that may contain shared, already-sorted trees (fieldsV1 trees shared between
 * versions): those are kept as they are instead of copied.
 */
export function sortKeysSharing(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeysSharing);
  if (!isJsonObject(v) || sorted.has(v)) return v;
  const out: JsonObject = {};
  for (const k of sortedKeys(v)) out[k] = sortKeysSharing(v[k] as Json);
  return out;
}

/** `Object.keys(v).sort()`, without the sort when they are in order already (a copy of a stored object). */
function sortedKeys(v: JsonObject): string[] {
  const keys = Object.keys(v);
  for (let i = 1; i < keys.length; i++) if ((keys[i - 1] as string) > (keys[i] as string)) return keys.sort();
  return keys;
}
