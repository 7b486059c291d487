/**
 * The object half of server-side apply, after structured-merge-diff v4: the field set an applied
 * configuration claims (`ToFieldSet`), the merge of a configuration into the live object by the
 * schema (maps and structs merge key by key, `set` lists union, `map` lists merge by their keys,
 * atomic lists and scalars are replaced), and the pruning of fields a manager stopped applying.
 * Both cluster stores call these from one write pipeline, so their answers cannot drift.
 */
import { type Json, type JsonObject, cloneJson, isJsonObject } from "./json.ts";
import { OBJECT_META_SCHEMA, SEP, STRIPPED, childSchema, fieldPaths, listType } from "./managed-fields.ts";
import type { SchemaNode } from "./structural-schema.ts";

/** The schema of a whole object: its own, with ObjectMeta's list semantics under `metadata`. */
export function rootSchema(schema: SchemaNode | undefined): SchemaNode {
  return { ...(schema ?? {}), properties: { ...(schema?.properties ?? {}), metadata: OBJECT_META_SCHEMA } };
}

function isStructField(s: SchemaNode | undefined, key: string): boolean {
  return s?.properties?.[key] !== undefined;
}

function mapKeyOf(item: JsonObject, s: SchemaNode | undefined): string {
  const key: JsonObject = {};
  for (const k of s?.["x-kubernetes-list-map-keys"] ?? []) if (item[k] !== undefined) key[k] = item[k] as Json;
  return `k:${JSON.stringify(key)}`;
}

function itemElement(item: Json, s: SchemaNode | undefined): string | undefined {
  const lt = listType(s);
  if (lt === "set") return `v:${JSON.stringify(item)}`;
  if (lt === "map" && isJsonObject(item)) return mapKeyOf(item, s);
  return undefined;
}

const join = (prefix: string, element: string) => (prefix === "" ? element : `${prefix}${SEP}${element}`);

/**
 * The fields an applied configuration claims (structured-merge-diff's toFieldSet): leaves, atomic
 * lists, list items, and map entries that are not struct fields or are empty; never the meta fields
 * the apiserver strips (name, namespace, uid, resourceVersion...).
 */
export function appliedFieldSet(config: JsonObject, schema: SchemaNode | undefined): Set<string> {
  const out = new Set<string>();
  const walk = (value: Json, s: SchemaNode | undefined, prefix: string): void => {
    if (isJsonObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        const p = join(prefix, `f:${k}`);
        const cs = childSchema(s, k);
        walk(v, cs, p);
        if (v === null || (isJsonObject(v) && Object.keys(v).length === 0) || !isStructField(s, k)) out.add(p);
      }
      return;
    }
    if (Array.isArray(value)) {
      if (listType(s) === "atomic") {
        out.add(prefix);
        return;
      }
      for (const item of value) {
        const element = itemElement(item, s);
        if (element === undefined) continue;
        const p = join(prefix, element);
        if (listType(s) === "map") walk(item, s?.items, p);
        out.add(p);
      }
      return;
    }
    out.add(prefix);
  };
  walk(config, rootSchema(schema), "");
  for (const p of [...out]) if (STRIPPED.has(p)) out.delete(p);
  return out;
}

/** `set` plus every struct-field ancestor of its members (EnsureNamedFieldsAreMembers). */
export function withNamedAncestors(set: Set<string>, schema: SchemaNode | undefined): Set<string> {
  const out = new Set(set);
  const root = rootSchema(schema);
  for (const p of set) {
    let s: SchemaNode | undefined = root;
    let prefix = "";
    const parts = p.split(SEP);
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i] as string;
      prefix = join(prefix, part);
      if (part.startsWith("f:")) {
        const name = part.slice(2);
        if (isStructField(s, name)) out.add(prefix);
        s = childSchema(s, name);
      } else s = s?.items;
    }
  }
  return out;
}

/** The live object with the configuration merged in by the schema (neither argument is changed). */
export function mergeApplied(live: Json | undefined, config: Json, s: SchemaNode | undefined): Json {
  if (isJsonObject(config) && isJsonObject(live)) {
    const out: JsonObject = { ...live };
    for (const [k, v] of Object.entries(config)) out[k] = mergeApplied(live[k], v, childSchema(s, k));
    return out;
  }
  if (Array.isArray(config) && Array.isArray(live) && listType(s) !== "atomic") {
    const out: Json[] = [...live];
    const at = new Map<string, number>();
    live.forEach((item, i) => {
      const e = itemElement(item, s);
      if (e !== undefined && !at.has(e)) at.set(e, i);
    });
    for (const item of config) {
      const e = itemElement(item, s);
      const i = e === undefined ? undefined : at.get(e);
      if (i === undefined) {
        out.push(cloneJson(item));
        if (e !== undefined) at.set(e, out.length - 1);
      } else if (listType(s) === "map") out[i] = mergeApplied(out[i], item, s?.items);
    }
    return out;
  }
  return cloneJson(config);
}

/**
 * Removes the paths of `toRemove` from `value` as structured-merge-diff's RemoveItems does: a list
 * item or map entry that is itself to be removed goes whole (checked first, as there); a struct field
 * with removable children is descended into and kept, so fields nobody tracked survive under it.
 */
function removeItems(value: Json, toRemove: Set<string>, s: SchemaNode | undefined, prefix: string): Json {
  const hasUnder = (p: string) => {
    const start = `${p}${SEP}`;
    for (const q of toRemove) if (q.startsWith(start)) return true;
    return false;
  };
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const p = join(prefix, `f:${k}`);
      if (toRemove.has(p) && !(isStructField(s, k) && hasUnder(p))) continue;
      out[k] = hasUnder(p) ? removeItems(v, toRemove, childSchema(s, k), p) : v;
    }
    return out;
  }
  if (Array.isArray(value) && listType(s) !== "atomic") {
    const out: Json[] = [];
    for (const item of value) {
      const e = itemElement(item, s);
      if (e === undefined) {
        out.push(item);
        continue;
      }
      const p = join(prefix, e);
      if (toRemove.has(p)) continue;
      out.push(hasUnder(p) ? removeItems(item, toRemove, s?.items, p) : item);
    }
    return out;
  }
  return value;
}

/**
 * The merged object without the fields the applier owned last time (`lastSet`) and no longer applies,
 * unless a manager (the applier's new set included, in `owned`) still owns them (prune,
 * addBackOwnedItems and addBackDanglingItems of structured-merge-diff).
 */
export function pruneUnapplied(merged: JsonObject, lastSet: Set<string>, owned: Set<string>, schema: SchemaNode | undefined): JsonObject {
  if (lastSet.size === 0) return merged;
  const last = withNamedAncestors(lastSet, schema);
  const keep = withNamedAncestors(owned, schema);
  const toRemove = new Set<string>();
  for (const p of fieldPaths(merged, schema).keys()) if (last.has(p) && !keep.has(p)) toRemove.add(p);
  if (toRemove.size === 0) return merged;
  return removeItems(merged, toRemove, rootSchema(schema), "") as JsonObject;
}

/** A field path as the apiserver prints it in conflicts: `.spec.ports[port=80,protocol="TCP"]`. */
export function printPath(path: string): string {
  return path
    .split(SEP)
    .map((part) => {
      const body = part.slice(2);
      if (part.startsWith("f:")) return `.${body}`;
      if (part.startsWith("v:")) return `[=${body}]`;
      const key = JSON.parse(body) as JsonObject;
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(",")}]`;
    })
    .join("");
}


/**
 * The first repeated item of a `set` or `map` list, as structured-merge-diff reports it when it cannot
 * type an object: `.metadata.finalizers: duplicate entries for key [="x"]`; undefined when none.
 */
export function duplicateListEntry(obj: JsonObject, schema: SchemaNode | undefined): string | undefined {
  const walk = (value: Json, s: SchemaNode | undefined, prefix: string): string | undefined => {
    if (isJsonObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        const found = walk(v, childSchema(s, k), join(prefix, `f:${k}`));
        if (found !== undefined) return found;
      }
      return undefined;
    }
    if (!Array.isArray(value) || listType(s) === "atomic") return undefined;
    const seen = new Set<string>();
    for (const item of value) {
      const e = itemElement(item, s);
      if (e === undefined) continue;
      if (seen.has(e)) return `${printPath(prefix)}: duplicate entries for key ${printPath(e)}`;
      seen.add(e);
      const found = listType(s) === "map" ? walk(item, s?.items, join(prefix, e)) : undefined;
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(obj, rootSchema(schema), "");
}
