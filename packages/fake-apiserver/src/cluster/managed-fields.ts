/**
 * `metadata.managedFields` for Update operations, as structured-merge-diff computes them: each write
 * compares the stored object before and after; the writer gains the fields it added or changed, every
 * other manager loses them, removed fields leave everyone. Timestamps are whole seconds and only move
 * when the writer changed something; a no-op write touches nothing.
 * Follows current apiservers (1.22+): status writes get their own entry with `subresource: status`,
 * and fields the strategy resets are not recorded. v1.20 differs here (see e2e/kube/KNOWN-GAPS.md).
 * A write that leaves duplicates in a set or map list (e.g. a finalizer twice) clears managedFields,
 * and an existing object without managedFields is not tracked again (both as in the apiserver).
 * Apply operations are server-side-apply.ts's. Does not model: the cap of 10 Update entries ("ancient-changes").
 */
import type { SchemaNode } from "./structural-schema.ts";
import { type Json, type JsonObject, isJsonObject, jsonEqual } from "./json.ts";
import { rfc3339Seconds } from "./object-meta.ts";

/** One decoded managedFields entry. */
export interface ManagerEntry {
  manager: string;
  operation: "Update" | "Apply";
  apiVersion: string;
  time: string;
  subresource?: string;
  fields: Set<string>;
}

export const SEP = "\u0000";
export const MAP_NODE = Symbol("map");
export type Leaf = Json | typeof MAP_NODE;

/** ObjectMeta's list semantics: finalizers are a set, ownerReferences a map keyed by uid. */
export const OBJECT_META_SCHEMA: SchemaNode = {
  type: "object",
  properties: {
    labels: { type: "object", additionalProperties: { type: "string" } },
    annotations: { type: "object", additionalProperties: { type: "string" } },
    finalizers: { type: "array", items: { type: "string" }, "x-kubernetes-list-type": "set" },
    ownerReferences: { type: "array", items: { type: "object" }, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["uid"] },
  },
};

/** Paths the apiserver never records as owned. */
export const STRIPPED = new Set(
  [
    ["f:apiVersion"],
    ["f:kind"],
    ["f:metadata"],
    ...["name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion"].map((f) => [
      "f:metadata",
      `f:${f}`,
    ]),
  ].map((p) => p.join(SEP)),
);

export function childSchema(s: SchemaNode | undefined, key: string): SchemaNode | undefined {
  if (s === undefined) return undefined;
  const p = s.properties?.[key];
  if (p !== undefined) return p;
  return typeof s.additionalProperties === "object" ? s.additionalProperties : undefined;
}

/** Every field path of an object with its leaf value (maps marked), keyed by the encoded path. */
export function fieldPaths(obj: JsonObject, schema: SchemaNode | undefined): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  const root: SchemaNode = { ...(schema ?? {}), properties: { ...(schema?.properties ?? {}), metadata: OBJECT_META_SCHEMA } };
  collect(obj, root, "", out);
  return out;
}

function collect(value: Json, s: SchemaNode | undefined, prefix: string, out: Map<string, Leaf>): void {
  if (isJsonObject(value)) {
    for (const k in value) {
      const v = value[k] as Json;
      if (v === null) continue; // structured-merge-diff reads null as absent
      const p = prefix === "" ? `f:${k}` : `${prefix}${SEP}f:${k}`;
      const cs = childSchema(s, k);
      out.set(p, isJsonObject(v) || (Array.isArray(v) && listType(cs) !== "atomic") ? MAP_NODE : v);
      collect(v, cs, p, out);
    }
    return;
  }
  if (!Array.isArray(value)) return;
  const lt = listType(s);
  if (lt === "set") {
    for (const item of value) out.set(`${prefix}${SEP}v:${JSON.stringify(item)}`, item);
  } else if (lt === "map") {
    const keys = s?.["x-kubernetes-list-map-keys"] ?? [];
    for (const item of value) {
      if (!isJsonObject(item)) continue;
      const key: JsonObject = {};
      for (const k of keys) if (item[k] !== undefined) key[k] = item[k] as Json;
      const p = `${prefix}${SEP}k:${JSON.stringify(key)}`;
      out.set(p, MAP_NODE);
      collect(item, s?.items, p, out);
    }
  }
}

export function listType(s: SchemaNode | undefined): "atomic" | "set" | "map" {
  const t = s?.["x-kubernetes-list-type"];
  return t === "set" || t === "map" ? t : "atomic";
}

/** Whether a set list repeats a value or a map list repeats a key anywhere in the object. */
export function hasDuplicateListEntries(obj: JsonObject, schema: SchemaNode | undefined): boolean {
  const root: SchemaNode = { ...(schema ?? {}), properties: { ...(schema?.properties ?? {}), metadata: OBJECT_META_SCHEMA } };
  const walk = (value: Json, s: SchemaNode | undefined): boolean => {
    if (isJsonObject(value)) return Object.entries(value).some(([k, v]) => walk(v, childSchema(s, k)));
    if (!Array.isArray(value)) return false;
    const lt = listType(s);
    if (lt === "atomic") return false;
    const keys = value.map((item) => {
      if (lt === "set" || !isJsonObject(item)) return JSON.stringify(item);
      return JSON.stringify((s?.["x-kubernetes-list-map-keys"] ?? []).map((k) => item[k] ?? null));
    });
    if (new Set(keys).size !== keys.length) return true;
    return lt === "map" && value.some((item) => walk(item, s?.items));
  };
  return walk(obj, root);
}

/** The paths added or changed, and the paths removed, between two versions of an object. */
export function compareObjects(
  before: JsonObject,
  after: JsonObject,
  schema: SchemaNode | undefined,
): { changed: Set<string>; removed: Set<string> } {
  return comparePaths(fieldPaths(before, schema), fieldPaths(after, schema));
}

/** The paths added or changed, and the paths removed, between two versions' field paths. */
export function comparePaths(a: Map<string, Leaf>, b: Map<string, Leaf>): { changed: Set<string>; removed: Set<string> } {
  const changed = new Set<string>();
  const removed = new Set<string>();
  for (const [p, v] of b) {
    if (STRIPPED.has(p)) continue;
    if (!a.has(p)) changed.add(p);
    else {
      const old = a.get(p) as Leaf;
      if (old === MAP_NODE && v === MAP_NODE) continue;
      if (old === MAP_NODE || v === MAP_NODE || !jsonEqual(old, v)) changed.add(p);
    }
  }
  for (const p of a.keys()) if (!b.has(p) && !STRIPPED.has(p)) removed.add(p);
  return { changed, removed };
}

/**
 * structured-merge-diff's ReconcileFieldSetWithSchema, run on every entry before each update: a
 * manager that owns a granular map or list (annotations, finalizers...) but none of its children is
 * read as owning it atomically, and so is given every child the live object has. This is why a
 * manager that lost all its annotations to others gets them back on the next unrelated write.
 */
export function reconcileWithLiveObject(entries: ManagerEntry[], live: JsonObject, schema: SchemaNode | undefined): ManagerEntry[] {
  const livePaths = fieldPaths(live, schema);
  return entries.map((e) => {
    let fields: Set<string> | undefined;
    for (const p of e.fields) {
      if (livePaths.get(p) !== MAP_NODE) continue;
      const prefix = `${p}${SEP}`;
      if ([...e.fields].some((q) => q.startsWith(prefix))) continue;
      for (const q of livePaths.keys()) {
        if (!q.startsWith(prefix) || STRIPPED.has(q)) continue;
        fields ??= new Set(e.fields);
        fields.add(q);
      }
    }
    return fields === undefined ? e : { ...e, fields };
  });
}

/** Encodes a path set as a FieldsV1 tree (`{"f:metadata":{"f:annotations":{".":{},"f:x":{}}}}`). */
export function encodeFieldsV1(fields: Set<string>): JsonObject {
  const root: JsonObject = {};
  const members = [...fields].sort();
  for (const p of members) {
    let node = root;
    for (const part of p.split(SEP)) {
      const next = node[part];
      if (isJsonObject(next)) node = next;
      else {
        const created: JsonObject = {};
        node[part] = created;
        node = created;
      }
    }
  }
  // A member that also has children is marked with ".".
  const mark = (node: JsonObject, prefix: string) => {
    for (const [k, v] of Object.entries(node)) {
      if (k === "." || !isJsonObject(v)) continue;
      const p = prefix === "" ? k : `${prefix}${SEP}${k}`;
      if (Object.keys(v).length > 0 && fields.has(p)) v["."] = {};
      mark(v, p);
    }
  };
  mark(root, "");
  return sortTree(root);
}

function sortTree(node: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(node).sort()) {
    const v = node[k];
    out[k] = isJsonObject(v) ? sortTree(v) : (v as Json);
  }
  return out;
}

/** Decodes a FieldsV1 tree back into a path set. */
export function decodeFieldsV1(tree: Json | undefined): Set<string> {
  const out = new Set<string>();
  const walk = (node: JsonObject, prefix: string) => {
    for (const [k, v] of Object.entries(node)) {
      if (k === ".") continue;
      const p = prefix === "" ? k : `${prefix}${SEP}${k}`;
      if (!isJsonObject(v)) continue;
      const children = Object.keys(v).filter((c) => c !== ".");
      if (children.length === 0 || Object.hasOwn(v, ".")) out.add(p);
      walk(v, p);
    }
  };
  if (isJsonObject(tree)) walk(tree, "");
  return out;
}

/** Reads `metadata.managedFields` into entries (unknown shapes are skipped). */
export function decodeManagedFields(meta: JsonObject): ManagerEntry[] {
  const raw = meta.managedFields;
  if (!Array.isArray(raw)) return [];
  const out: ManagerEntry[] = [];
  for (const e of raw) {
    if (!isJsonObject(e)) continue;
    const entry: ManagerEntry = {
      manager: typeof e.manager === "string" ? e.manager : "",
      operation: e.operation === "Apply" ? "Apply" : "Update",
      apiVersion: typeof e.apiVersion === "string" ? e.apiVersion : "",
      time: typeof e.time === "string" ? e.time : "",
      fields: decodeFieldsV1(e.fieldsV1),
    };
    if (typeof e.subresource === "string" && e.subresource !== "") entry.subresource = e.subresource;
    out.push(entry);
  }
  return out;
}

export function encodeEntry(e: ManagerEntry): JsonObject {
  const out: JsonObject = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, time: e.time, fieldsType: "FieldsV1", fieldsV1: encodeFieldsV1(e.fields) };
  if (e.subresource !== undefined) out.subresource = e.subresource;
  return out;
}

/** The order the apiserver keeps entries in: by operation, then time (seconds), manager, apiVersion. */
export function sortEntries(entries: ManagerEntry[]): ManagerEntry[] {
  return [...entries].sort((p, q) => {
    if (p.operation !== q.operation) return p.operation < q.operation ? -1 : 1;
    if (p.time !== q.time) return p.time < q.time ? -1 : 1;
    if (p.manager !== q.manager) return p.manager < q.manager ? -1 : 1;
    if (p.apiVersion !== q.apiVersion) return p.apiVersion < q.apiVersion ? -1 : 1;
    return (p.subresource ?? "") < (q.subresource ?? "") ? -1 : (p.subresource ?? "") > (q.subresource ?? "") ? 1 : 0;
  });
}

/** Who wrote: the manager name, the object's apiVersion and the subresource written through. */
export interface Writer {
  manager: string;
  apiVersion: string;
  subresource?: string;
}

/**
 * The encoded managedFields after `writer` turned `before` into `after` (both as stored; their own
 * managedFields are ignored). Unchanged entries keep their time; entries left empty disappear.
 */
export function updateManagedFields(
  before: JsonObject,
  after: JsonObject,
  entries: ManagerEntry[],
  writer: Writer,
  schema: SchemaNode | undefined,
  nowMs: number,
): Json[] {
  const strip = (o: JsonObject): JsonObject => {
    const copy = { ...o };
    if (isJsonObject(copy.metadata)) {
      const meta = { ...copy.metadata };
      delete meta.managedFields;
      copy.metadata = meta;
    }
    return copy;
  };
  // structured-merge-diff cannot build a field set with duplicates; the apiserver then drops
  // managedFields altogether rather than keep wrong ones (verified on v1.20).
  if (hasDuplicateListEntries(after, schema)) return [];
  // An existing object without managedFields stays untracked until an Apply (skipNonAppliedManager).
  const beforeMeta = isJsonObject(before.metadata) ? before.metadata : {};
  if (entries.length === 0 && typeof beforeMeta.uid === "string" && beforeMeta.uid !== "") return [];
  const reconciled = reconcileWithLiveObject(entries, strip(before), schema);
  const { changed, removed } = compareObjects(strip(before), strip(after), schema);
  const sameWriter = (e: ManagerEntry) =>
    e.manager === writer.manager && e.operation === "Update" && e.apiVersion === writer.apiVersion && (e.subresource ?? "") === (writer.subresource ?? "");
  let mine = reconciled.find(sameWriter);
  const next: ManagerEntry[] = [];
  for (const e of reconciled) {
    if (e === mine) continue;
    const fields = new Set([...e.fields].filter((p) => !changed.has(p) && !removed.has(p)));
    if (fields.size > 0) next.push({ ...e, fields });
  }
  if (mine === undefined && changed.size > 0) {
    mine = { manager: writer.manager, operation: "Update", apiVersion: writer.apiVersion, time: rfc3339Seconds(nowMs), fields: new Set() };
    if (writer.subresource !== undefined) mine.subresource = writer.subresource;
  }
  if (mine !== undefined) {
    const fields = new Set([...mine.fields].filter((p) => !removed.has(p)));
    for (const p of changed) fields.add(p);
    const time = changed.size > 0 ? rfc3339Seconds(nowMs) : mine.time;
    if (fields.size > 0) next.push({ ...mine, fields, time });
  }
  return sortEntries(next).map(encodeEntry);
}
