/**
 * RFC 6902 JSON Patch with the exact quirks of evanphx/json-patch v4, the library kube-apiserver
 * v1.20 applies (verified against the real server):
 * - `test` with `"value": null` succeeds when the path is missing or null (kubectl and our controller
 *   rely on the first);
 * - `replace` of a missing object key adds it; `remove` of a missing key fails;
 * - `copy` from a missing object key copies null;
 * - a path without a leading slash addresses the root's children (`a/b` acts as `/b`);
 * - negative array indices count from the end for `add` and `remove`.
 * Does not model: Go's panics (negative index on get/replace/test, `test` without `value` on a
 * missing path) — those answer "failed" here, a 500 there; numbers compare by value, not by their
 * JSON spelling (`1` equals `1.0` here, not there).
 */
import type { Json, JsonObject } from "./json.ts";
import { isJsonObject, jsonEqual, cloneJson } from "./json.ts";

/** What applying a patch gave: the new document, a malformed patch (400), or a failed operation (422). */
export type JsonPatchOutcome =
  | { kind: "ok"; doc: Json }
  | { kind: "malformed"; message: string }
  | { kind: "failed"; detail: string };

type Container = { kind: "object"; value: JsonObject } | { kind: "array"; holder: { items: Json[] }; parent: ArrayParent };

/** Where an array lives, so that insertions (which replace the array) write back. */
interface ArrayParent {
  set(items: Json[]): void;
}

class PatchError extends Error {}

function decodeKey(k: string): string {
  return k.replaceAll("~1", "/").replaceAll("~0", "~");
}

function goTypeName(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "object" && v !== null) return "object";
  return typeof v;
}

/** Applies a JSON Patch (already parsed from JSON) to a deep copy of `doc`. */
export function applyJsonPatch(doc: Json, patch: unknown): JsonPatchOutcome {
  if (patch === null) return { kind: "ok", doc: cloneJson(doc) };
  if (!Array.isArray(patch)) {
    return { kind: "malformed", message: `json: cannot unmarshal ${goTypeName(patch)} into Go value of type jsonpatch.Patch` };
  }
  for (const op of patch) {
    if (op !== null && !isJsonObject(op)) {
      return { kind: "malformed", message: `json: cannot unmarshal ${goTypeName(op)} into Go value of type jsonpatch.Operation` };
    }
  }
  const root: { doc: Json } = { doc: cloneJson(doc) };
  try {
    for (const op of patch as (JsonObject | null)[]) applyOne(root, op ?? {});
  } catch (e) {
    if (e instanceof PatchError) return { kind: "failed", detail: e.message };
    throw e;
  }
  return { kind: "ok", doc: root.doc };
}

function stringField(op: JsonObject, name: string, what: string): string {
  const v = op[name];
  if (v === undefined || v === null) throw new PatchError(`${what}: operation missing ${name} field`);
  if (typeof v !== "string") throw new PatchError(`${what}: ${name} is not a string`);
  return v;
}

function applyOne(root: { doc: Json }, op: JsonObject): void {
  const kind = typeof op.op === "string" ? op.op : "unknown";
  switch (kind) {
    case "add": {
      const path = stringField(op, "path", "add operation failed to decode path");
      const con = findContainer(root, path);
      if (con === undefined) throw new PatchError(`add operation does not apply: doc is missing path: "${path}"`);
      add(con, lastKey(path), valueOf(op));
      return;
    }
    case "remove": {
      const path = stringField(op, "path", "remove operation failed to decode path");
      const con = findContainer(root, path);
      if (con === undefined) throw new PatchError(`remove operation does not apply: doc is missing path: "${path}"`);
      remove(con, lastKey(path));
      return;
    }
    case "replace": {
      const path = stringField(op, "path", "replace operation failed to decode path");
      const con = findContainer(root, path);
      if (con === undefined) throw new PatchError(`replace operation does not apply: doc is missing path: ${path}`);
      const key = lastKey(path);
      get(con, key); // arrays: the index must exist; objects: anything goes (v4 quirk)
      set(con, key, valueOf(op));
      return;
    }
    case "move": {
      const from = stringField(op, "from", "move operation failed to decode from");
      const src = findContainer(root, from);
      if (src === undefined) throw new PatchError(`move operation does not apply: doc is missing from path: ${from}`);
      const val = get(src, lastKey(from));
      remove(src, lastKey(from));
      const path = stringField(op, "path", "move operation failed to decode path");
      const dst = findContainer(root, path);
      if (dst === undefined) throw new PatchError(`move operation does not apply: doc is missing destination path: ${path}`);
      add(dst, lastKey(path), val ?? null);
      return;
    }
    case "copy": {
      const from = stringField(op, "from", "copy operation failed to decode from");
      const src = findContainer(root, from);
      if (src === undefined) throw new PatchError(`copy operation does not apply: doc is missing from path: ${from}`);
      const val = get(src, lastKey(from));
      const path = stringField(op, "path", "copy operation failed to decode path");
      const dst = findContainer(root, path);
      if (dst === undefined) throw new PatchError(`copy operation does not apply: doc is missing destination path: ${path}`);
      add(dst, lastKey(path), cloneJson(val ?? null));
      return;
    }
    case "test": {
      const path = stringField(op, "path", "test operation failed to decode path");
      const con = findContainer(root, path);
      if (con === undefined) throw new PatchError(`test operation does not apply: is missing path: ${path}`);
      const val = get(con, lastKey(path));
      const hasValue = Object.hasOwn(op, "value");
      if (val === undefined || val === null) {
        if (hasValue && op.value === null) return;
        throw new PatchError(`testing value ${path} failed`);
      }
      if (!hasValue || op.value === null || !jsonEqual(val, op.value as Json)) throw new PatchError(`testing value ${path} failed`);
      return;
    }
    default:
      throw new PatchError(`Unexpected kind: ${kind}`);
  }
}

function valueOf(op: JsonObject): Json {
  return cloneJson((op.value ?? null) as Json);
}

function lastKey(path: string): string {
  const parts = path.split("/");
  return decodeKey(parts[parts.length - 1] ?? "");
}

/** evanphx's findObject: the container holding the last path segment, or undefined when missing. */
function findContainer(root: { doc: Json }, path: string): Container | undefined {
  const split = path.split("/");
  if (split.length < 2) return undefined;
  let con = containerOf(root.doc, { set: (items) => (root.doc = items) });
  if (con === undefined) return undefined;
  for (const part of split.slice(1, -1)) {
    let next: Json | undefined;
    try {
      next = get(con, decodeKey(part));
    } catch {
      return undefined;
    }
    if (next === undefined || next === null) return undefined;
    const holderCon: Container = con;
    const key = decodeKey(part);
    con = containerOf(next, {
      set: (items) => {
        if (holderCon.kind === "object") holderCon.value[key] = items;
        else holderCon.holder.items[Number(key)] = items;
      },
    });
    if (con === undefined) return undefined;
  }
  return con;
}

function containerOf(value: Json, parent: ArrayParent): Container | undefined {
  if (Array.isArray(value)) return { kind: "array", holder: { items: value }, parent };
  if (isJsonObject(value)) return { kind: "object", value };
  return undefined;
}

/** Go's strconv.Atoi: an optional sign and decimal digits only. */
function atoi(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw new PatchError(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  return Number(key);
}

function get(con: Container, key: string): Json | undefined {
  if (con.kind === "object") return Object.hasOwn(con.value, key) ? con.value[key] : undefined;
  const idx = atoi(key);
  const items = con.holder.items;
  if (idx >= items.length || idx < 0) throw new PatchError(`Unable to access invalid index: ${idx}`);
  return items[idx];
}

function set(con: Container, key: string, value: Json): void {
  if (con.kind === "object") {
    con.value[key] = value;
    return;
  }
  con.holder.items[atoi(key)] = value;
}

function add(con: Container, key: string, value: Json): void {
  if (con.kind === "object") {
    con.value[key] = value;
    return;
  }
  const items = con.holder.items;
  if (key === "-") {
    items.push(value);
    return;
  }
  let idx = atoi(key);
  const size = items.length + 1;
  if (idx >= size) throw new PatchError(`Unable to access invalid index: ${idx}`);
  if (idx < 0) {
    if (idx < -size) throw new PatchError(`Unable to access invalid index: ${idx}`);
    idx += size;
  }
  const next = [...items.slice(0, idx), value, ...items.slice(idx)];
  con.holder.items = next;
  con.parent.set(next);
}

function remove(con: Container, key: string): void {
  if (con.kind === "object") {
    if (!Object.hasOwn(con.value, key)) throw new PatchError(`Unable to remove nonexistent key: ${key}`);
    delete con.value[key];
    return;
  }
  const items = con.holder.items;
  let idx = atoi(key);
  if (idx >= items.length) throw new PatchError(`Unable to access invalid index: ${idx}`);
  if (idx < 0) {
    if (idx < -items.length) throw new PatchError(`Unable to access invalid index: ${idx}`);
    idx += items.length;
  }
  const next = [...items.slice(0, idx), ...items.slice(idx + 1)];
  con.holder.items = next;
  con.parent.set(next);
}
