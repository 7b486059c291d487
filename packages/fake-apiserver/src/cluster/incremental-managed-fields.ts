/**
 * managedFields as {@link updateManagedFields} computes them, with the work a faster store can skip:
 * the stored object's decoded entries and field paths are remembered from the write that stored it
 * instead of being decoded and walked again (one walk per write instead of four); a manager
 * whose fields the write did not touch keeps its field set, and so its already-encoded fieldsV1 tree;
 * the duplicate-entry check walks only the parts of an object whose schema has a set or map list; the
 * live-object reconciliation finds a member's children by prefix lookup instead of a scan per member.
 * Field paths are kept for the most recently stored {@link PATHS_KEPT} objects only: at 10 000 objects
 * they would cost more memory than the walk costs time. Same inputs, byte-identical output: the store differential
 * (fast-store.prop.test.ts) compares the two on random writes.
 */
import {
  type Leaf,
  type ManagerEntry,
  type Writer,
  MAP_NODE,
  OBJECT_META_SCHEMA,
  SEP,
  STRIPPED,
  childSchema,
  comparePaths,
  decodeManagedFields,
  encodeFieldsV1,
  fieldPaths,
  listType,
  sortEntries,
} from "./managed-fields.ts";
import type { SchemaNode } from "./structural-schema.ts";
import { type Json, type JsonObject, isJsonObject } from "./json.ts";
import { shareSorted } from "./frozen-json.ts";
import { rfc3339Seconds } from "./object-meta.ts";

/** Per stored (shared, never changed) object: its decoded managedFields entries. */
const entriesByStored = new WeakMap<JsonObject, ManagerEntry[]>();
/** Per written object (before it is stored): the entries {@link nextManagedFields} computed for it. */
const entriesByWritten = new WeakMap<JsonObject, ManagerEntry[]>();
/** How many stored objects keep their field paths (a world has a handful; a 10 000-object sync more). */
export const PATHS_KEPT = 256;
/** Field paths of the last stored objects, oldest first; of written ones until they are stored. */
const pathsByStored = new Map<JsonObject, Map<string, Leaf>>();
const pathsByWritten = new WeakMap<JsonObject, Map<string, Leaf>>();
/** The encoded fieldsV1 tree (shared) of a canonical field set; a set is never changed once built. */
const encodedFields = new WeakMap<Set<string>, JsonObject>();
/** How many distinct field sets are interned (one tree and one set each, shared by every object). */
export const FIELD_SETS_INTERNED = 1024;
/** Interned field sets by content, oldest first: 10 000 mirrors written alike share one tree per manager. */
const internedFields = new Map<string, Set<string>>();

/** The interned set equal to `fields` (itself when new), with its tree encoded. */
function canonicalFields(fields: Set<string>): Set<string> {
  if (encodedFields.has(fields)) return fields;
  const key = JSON.stringify([...fields].sort());
  const known = internedFields.get(key);
  if (known !== undefined) return known;
  encodedFields.set(fields, shareSorted(encodeFieldsV1(fields)));
  internedFields.set(key, fields);
  if (internedFields.size > FIELD_SETS_INTERNED) internedFields.delete(internedFields.keys().next().value as string);
  return fields;
}

function withoutManagedFields(o: JsonObject): JsonObject {
  if (!isJsonObject(o.metadata) || o.metadata.managedFields === undefined) return o;
  const meta = { ...o.metadata };
  delete meta.managedFields;
  return { ...o, metadata: meta };
}

/** Carries what was computed for `written` over to `stored`, the object the store keeps for it. */
export function rememberStored(written: JsonObject, stored: JsonObject): void {
  const entries = entriesByWritten.get(written);
  if (entries !== undefined) entriesByStored.set(stored, entries);
  const paths = pathsByWritten.get(written);
  if (paths === undefined) return;
  pathsByStored.set(stored, paths);
  if (pathsByStored.size > PATHS_KEPT) pathsByStored.delete(pathsByStored.keys().next().value as JsonObject);
}

function entriesOf(stored: JsonObject): ManagerEntry[] {
  const known = entriesByStored.get(stored);
  if (known !== undefined) return known;
  const meta = isJsonObject(stored.metadata) ? stored.metadata : {};
  return decodeManagedFields(meta);
}

// ---- duplicate entries in set and map lists, walking only where the schema has such lists ----------

const granularCache = new WeakMap<SchemaNode, boolean>();
function granular(s: SchemaNode | undefined): boolean {
  if (s === undefined) return false;
  const cached = granularCache.get(s);
  if (cached !== undefined) return cached;
  const own =
    listType(s) !== "atomic" ||
    Object.values(s.properties ?? {}).some(granular) ||
    (typeof s.additionalProperties === "object" && granular(s.additionalProperties)) ||
    granular(s.items);
  granularCache.set(s, own);
  return own;
}

const rootCache = new WeakMap<SchemaNode, SchemaNode>();
const BARE_ROOT: SchemaNode = { properties: { metadata: OBJECT_META_SCHEMA } };
function rootSchema(schema: SchemaNode | undefined): SchemaNode {
  if (schema === undefined) return BARE_ROOT;
  let root = rootCache.get(schema);
  if (root === undefined) {
    root = { ...schema, properties: { ...(schema.properties ?? {}), metadata: OBJECT_META_SCHEMA } };
    rootCache.set(schema, root);
  }
  return root;
}

function hasDuplicates(value: Json, s: SchemaNode | undefined): boolean {
  if (!granular(s)) return false;
  if (isJsonObject(value)) {
    for (const k in value) if (hasDuplicates(value[k] as Json, childSchema(s, k))) return true;
    return false;
  }
  if (!Array.isArray(value)) return false;
  const lt = listType(s);
  if (lt === "atomic") return false;
  const keys = new Set<string>();
  for (const item of value) {
    const key = lt === "set" || !isJsonObject(item) ? JSON.stringify(item) : JSON.stringify((s?.["x-kubernetes-list-map-keys"] ?? []).map((k) => item[k] ?? null));
    if (keys.has(key)) return true;
    keys.add(key);
  }
  return lt === "map" && value.some((item) => hasDuplicates(item, s?.items));
}

// ---- the update ----------------------------------------------------------------------------------

/** parentsOf per field set: stored entries' sets are interned, so this stays as small as they are. */
const parentsCache = new WeakMap<Set<string>, Set<string>>();

/** The members that have children: every proper prefix, at a separator, of every member. */
function parentsOf(fields: Set<string>): Set<string> {
  const cached = parentsCache.get(fields);
  if (cached !== undefined) return cached;
  const out = new Set<string>();
  parentsCache.set(fields, out);
  for (const q of fields) for (let i = q.indexOf(SEP); i >= 0; i = q.indexOf(SEP, i + 1)) out.add(q.slice(0, i));
  return out;
}

function reconcileWithLiveObject(entries: ManagerEntry[], livePaths: Map<string, Leaf>): ManagerEntry[] {
  return entries.map((e) => {
    let fields: Set<string> | undefined;
    let parents: Set<string> | undefined;
    for (const p of e.fields) {
      if (livePaths.get(p) !== MAP_NODE) continue;
      parents ??= parentsOf(e.fields);
      if (parents.has(p)) continue;
      const prefix = `${p}${SEP}`;
      for (const q of livePaths.keys()) {
        if (!q.startsWith(prefix) || STRIPPED.has(q)) continue;
        fields ??= new Set(e.fields);
        fields.add(q);
      }
    }
    return fields === undefined ? e : { ...e, fields };
  });
}

/** Encodes an entry whose field set is canonical. */
function encodeEntry(e: ManagerEntry): JsonObject {
  const fieldsV1 = encodedFields.get(e.fields) as JsonObject;
  const out: JsonObject = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, time: e.time, fieldsType: "FieldsV1", fieldsV1 };
  if (e.subresource !== undefined) out.subresource = e.subresource;
  return out;
}

/**
 * The encoded managedFields after `writer` turned `before` into `after`, exactly as
 * updateManagedFields(before, after, tracked ? decoded entries of before : [], …) gives them.
 */
export function nextManagedFields(before: JsonObject, after: JsonObject, tracked: boolean, writer: Writer, schema: SchemaNode | undefined, nowMs: number): Json[] {
  const remember = (computed: ManagerEntry[]): Json[] => {
    const entries = computed.map((e) => {
      const fields = canonicalFields(e.fields);
      return fields === e.fields ? e : { ...e, fields };
    });
    entriesByWritten.set(after, entries);
    return entries.map(encodeEntry);
  };
  if (hasDuplicates(after, rootSchema(schema))) return remember([]);
  const entries = tracked ? entriesOf(before) : [];
  const beforeMeta = isJsonObject(before.metadata) ? before.metadata : {};
  if (entries.length === 0 && typeof beforeMeta.uid === "string" && beforeMeta.uid !== "") return remember([]);
  const beforePaths = pathsByStored.get(before) ?? fieldPaths(withoutManagedFields(before), schema);
  const reconciled = reconcileWithLiveObject(entries, beforePaths);
  const afterPaths = fieldPaths(withoutManagedFields(after), schema);
  const { changed, removed } = comparePaths(beforePaths, afterPaths);
  const sameWriter = (e: ManagerEntry) =>
    e.manager === writer.manager && e.operation === "Update" && e.apiVersion === writer.apiVersion && (e.subresource ?? "") === (writer.subresource ?? "");
  let mine = reconciled.find(sameWriter);
  const next: ManagerEntry[] = [];
  for (const e of reconciled) {
    if (e === mine) continue;
    let touched = false;
    for (const p of e.fields) {
      if (changed.has(p) || removed.has(p)) {
        touched = true;
        break;
      }
    }
    if (!touched) next.push(e);
    else {
      const fields = new Set([...e.fields].filter((p) => !changed.has(p) && !removed.has(p)));
      if (fields.size > 0) next.push({ ...e, fields });
    }
  }
  if (mine === undefined && changed.size > 0) {
    mine = { manager: writer.manager, operation: "Update", apiVersion: writer.apiVersion, time: rfc3339Seconds(nowMs), fields: new Set() };
    if (writer.subresource !== undefined) mine.subresource = writer.subresource;
  }
  if (mine !== undefined) {
    let fields = mine.fields;
    if (changed.size > 0 || [...fields].some((p) => removed.has(p))) {
      fields = new Set([...mine.fields].filter((p) => !removed.has(p)));
      for (const p of changed) fields.add(p);
    }
    const time = changed.size > 0 ? rfc3339Seconds(nowMs) : mine.time;
    if (fields.size > 0) next.push(fields === mine.fields && time === mine.time ? mine : { ...mine, fields, time });
  }
  pathsByWritten.set(after, afterPaths);
  return remember(sortEntries(next));
}
