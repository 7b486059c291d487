/**
 * The apiserver's per-resource REST strategies: what create and update may set (system fields,
 * generation, the status subresource split, namespace and CRD specifics) and how each is validated.
 * Pure functions over plain objects; the store calls them in the apiserver's order.
 */
import type { FieldError } from "./field-errors.ts";
import { invalidValue } from "./field-errors.ts";
import { type Json, type JsonObject, child, isJsonObject, jsonEqual, sortKeys, cloneJson } from "./json.ts";
import { OBJECT_META_FIELDS, validateMetaForCreate, validateMetaForUpdate } from "./object-meta.ts";
import type { ResourceInfo } from "./resource-registry.ts";
import { validateAgainstSchema } from "./structural-schema.ts";

export function metaOf(obj: JsonObject): JsonObject {
  return child(obj, "metadata");
}

function isNamespaces(info: ResourceInfo): boolean {
  return info.group === "" && info.resource === "namespaces";
}

function isCrds(info: ResourceInfo): boolean {
  return info.group === "apiextensions.k8s.io" && info.resource === "customresourcedefinitions";
}

/** System fields the store fills on create. */
export interface CreateStamp {
  uid: string;
  creationTimestamp: string;
  namespace: string;
}

/** The immutable label every namespace carries since 1.21 (not on v1.20; KNOWN-GAPS.md), set by the strategy so no manager owns it. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

function labelNamespaceName(meta: JsonObject): void {
  const labels = isJsonObject(meta.labels) ? meta.labels : {};
  meta.labels = { ...labels, [NAMESPACE_NAME_LABEL]: String(meta.name ?? "") };
}

/** BeforeCreate + PrepareForCreate: system fields set, what create may not set dropped. */
export function prepareCreate(info: ResourceInfo, obj: JsonObject, stamp: CreateStamp): void {
  const meta = metaOf(obj);
  if (info.namespaced) meta.namespace = stamp.namespace;
  else delete meta.namespace;
  meta.uid = stamp.uid;
  meta.creationTimestamp = stamp.creationTimestamp;
  for (const f of ["resourceVersion", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", "clusterName"]) delete meta[f];
  if (info.generation === "none") delete meta.generation;
  else meta.generation = 1;
  if (info.custom && info.statusSubresource) delete obj.status;
  if (isNamespaces(info)) {
    const spec = child(obj, "spec");
    const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers : [];
    if (!finalizers.includes("kubernetes")) spec.finalizers = [...finalizers, "kubernetes"];
    obj.status = { phase: "Active" };
    labelNamespaceName(meta);
  }
  if (isCrds(info)) obj.status = { conditions: [], acceptedNames: { plural: "", kind: "" }, storedVersions: [] };
}

/** Everything but metadata (and, with a status subresource, status): what bumps generation when changed. */
function nonMetadata(info: ResourceInfo, obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === "metadata" || (info.statusSubresource && k === "status")) continue;
    out[k] = v;
  }
  return out;
}

/**
 * BeforeUpdate + PrepareForUpdate: turns the requested object into what would be stored. Main-resource
 * writes keep the old status; status writes keep everything but status. Takes ownership of
 * `requested` (a private copy), which it may return changed.
 */
export function prepareUpdate(info: ResourceInfo, requested: JsonObject, old: JsonObject, subresource: "status" | undefined): JsonObject {
  let next: JsonObject;
  if (subresource === "status") {
    next = cloneJson(old);
    if (requested.status !== undefined) next.status = requested.status;
    else delete next.status;
  } else {
    next = requested;
    if (info.statusSubresource) {
      if (old.status !== undefined) next.status = cloneJson(old.status);
      else delete next.status;
    }
    if (isNamespaces(info)) {
      const spec = child(next, "spec");
      const oldSpec = isJsonObject(old.spec) ? old.spec : {};
      if (oldSpec.finalizers !== undefined) spec.finalizers = cloneJson(oldSpec.finalizers);
    }
  }
  const meta = metaOf(next);
  const oldMeta = metaOf(old);
  if (info.namespaced && meta.namespace === undefined) meta.namespace = oldMeta.namespace ?? "";
  if (oldMeta.generation !== undefined) meta.generation = oldMeta.generation;
  else delete meta.generation;
  if (meta.uid === undefined) meta.uid = oldMeta.uid ?? "";
  if (oldMeta.creationTimestamp !== undefined) meta.creationTimestamp = oldMeta.creationTimestamp;
  if (oldMeta.deletionTimestamp !== undefined) meta.deletionTimestamp = oldMeta.deletionTimestamp;
  if (oldMeta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds === undefined) {
    meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
  }
  delete meta.selfLink;
  if (isNamespaces(info)) labelNamespaceName(meta);
  if (info.generation === "non-metadata" && typeof oldMeta.generation === "number") {
    if (!jsonEqual(nonMetadata(info, next), nonMetadata(info, old))) meta.generation = oldMeta.generation + 1;
  }
  return next;
}

/** The kind check of custom resources: a body of another kind in the same group is invalid. */
export function typeMetaErrors(info: ResourceInfo, obj: JsonObject): FieldError[] {
  if (!info.custom || obj.kind === info.kind) return [];
  return [invalidValue("kind", obj.kind ?? "", `must be ${info.kind}`)];
}

function crdErrors(obj: JsonObject): FieldError[] {
  const spec = isJsonObject(obj.spec) ? obj.spec : {};
  const names = isJsonObject(spec.names) ? spec.names : {};
  const name = metaOf(obj).name;
  if (name !== `${String(names.plural)}.${String(spec.group)}`) {
    return [invalidValue("metadata.name", name ?? "", 'must be spec.names.plural+"."+spec.group')];
  }
  return [];
}

/** core v1 Events' legacy rule: involvedObject.namespace must match the event's namespace. */
function eventErrors(info: ResourceInfo, obj: JsonObject): FieldError[] {
  if (info.group !== "" || info.resource !== "events" || (obj.eventTime !== undefined && obj.eventTime !== null)) return [];
  const involved = isJsonObject(obj.involvedObject) ? obj.involvedObject : {};
  const involvedNs = typeof involved.namespace === "string" ? involved.namespace : "";
  const ns = String(metaOf(obj).namespace ?? "");
  const ok = involvedNs === "" ? ns === "" || ns === "default" : ns === involvedNs;
  return ok ? [] : [invalidValue("involvedObject.namespace", involvedNs, "does not match event.namespace")];
}

/** Create validation: object metadata, then the schema (custom resources) or the built-in's own rules. */
export function validateCreate(info: ResourceInfo, obj: JsonObject): FieldError[] {
  const typeErrors = typeMetaErrors(info, obj);
  if (typeErrors.length > 0) return typeErrors;
  const events = eventErrors(info, obj);
  if (info.nameRule === "none") return events;
  const errors = validateMetaForCreate(metaOf(obj), info.namespaced, info.nameRule);
  if (info.schema !== undefined) errors.push(...validateAgainstSchema(obj, info.schema));
  if (isCrds(info)) errors.push(...crdErrors(obj));
  return errors;
}

/** Update validation; the metadata rules run twice, as in the apiserver (common fields, then strategy). */
export function validateUpdate(info: ResourceInfo, next: JsonObject, old: JsonObject): FieldError[] {
  const typeErrors = typeMetaErrors(info, next);
  if (typeErrors.length > 0) return typeErrors;
  const metaErrors = validateMetaForUpdate(metaOf(next), metaOf(old));
  const errors = [...metaErrors, ...metaErrors];
  if (info.schema !== undefined) errors.push(...validateAgainstSchema(next, info.schema));
  return errors;
}

const META_ORDER = new Map<string, number>(OBJECT_META_FIELDS.map((f, i) => [f, i]));

/** The key order the apiserver serializes in: sorted for custom resources, Go field order for built-ins. */
export function canonicalOrder(info: ResourceInfo, obj: JsonObject): JsonObject {
  if (info.custom) return sortKeys(obj) as JsonObject;
  const out: JsonObject = {};
  out.kind = obj.kind ?? info.kind;
  out.apiVersion = obj.apiVersion ?? "";
  if (isJsonObject(obj.metadata)) {
    const meta: JsonObject = {};
    const keys = Object.keys(obj.metadata).sort((a, b) => (META_ORDER.get(a) ?? 99) - (META_ORDER.get(b) ?? 99));
    for (const k of keys) meta[k] = obj.metadata[k] as Json;
    out.metadata = meta;
  }
  for (const [k, v] of Object.entries(obj)) if (!(k in out)) out[k] = v;
  return out;
}
