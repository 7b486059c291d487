/**
 * Server-side apply (`PATCH` with `application/apply-patch+yaml`), as current kube-apiservers do it
 * with structured-merge-diff v4: the configuration is merged into the live object by the schema, the
 * applier's previous fields it no longer applies are pruned, and ownership moves: a field another
 * manager owns and the apply changes is a conflict (409, one cause per field) unless `force` takes it.
 * The applier's managedFields entry (`operation: Apply`) holds exactly the fields it applied.
 * One implementation for both cluster stores: they call {@link planApply} and {@link applyOwnership}
 * from their shared write pipeline.
 */
import { parse as parseYaml } from "yaml";
import { appliedFieldSet, duplicateListEntry, mergeApplied, printPath, pruneUnapplied, rootSchema } from "./apply-merge.ts";
import { type Json, type JsonObject, isJsonObject, jsonEqual } from "./json.ts";
import { type KubeStatus, badRequest, invalid } from "./kube-status.ts";
import { required } from "./field-errors.ts";
import { type ManagerEntry, type Writer, SEP, compareObjects, decodeManagedFields, encodeEntry, reconcileWithLiveObject, sortEntries } from "./managed-fields.ts";
import { rfc3339Seconds } from "./object-meta.ts";
import { duplicateYamlKeys } from "./strict-decoding.ts";
import type { SchemaNode } from "./structural-schema.ts";

/** The manager the apiserver books an untracked object's existing fields to on its first apply. */
export const BEFORE_FIRST_APPLY = "before-first-apply";

/** The options of one apply request. */
export interface ApplyIntent {
  /** The applied configuration, already parsed. */
  config: JsonObject;
  writer: Writer;
  force: boolean;
  /** The resource has a status subresource: status is not the main resource's to apply (and vice versa). */
  statusSplit: boolean;
  /** go-yaml's strict errors for the configuration's repeated keys (`line 3: key "a" already set in map`). */
  duplicateKeys: readonly string[];
}

/** Parses an apply body (YAML, JSON being YAML too) into one object. */
export function parseApplyBody(body: unknown): { kind: "ok"; config: JsonObject; duplicateKeys: string[] } | { kind: "failure"; status: KubeStatus } {
  let value: unknown = body;
  let duplicateKeys: string[] = [];
  if (typeof body === "string") {
    try {
      // sigs.k8s.io/yaml reads YAML 1.1: `y`, `on`, `no`... are booleans, even as keys; a repeated
      // key is not an error there (the last one wins).
      value = parseYaml(body, { version: "1.1", uniqueKeys: false });
    } catch (e) {
      return { kind: "failure", status: badRequest(`error decoding YAML: ${(e as Error).message}`) };
    }
    duplicateKeys = duplicateYamlKeys(body);
  }
  if (!isJsonObject(value)) return { kind: "failure", status: badRequest("error decoding YAML: the applied configuration is not an object") };
  return { kind: "ok", config: value, duplicateKeys };
}

/**
 * fieldValidation over an apply, checked once the apply itself succeeded (conflicts come first): the
 * configuration's repeated keys, as go-yaml's YAMLToJSONStrict reports them (handlers/patch.go,
 * applyPatcher). Strict: 400 `error strict decoding YAML: ...`; Warn: one warning per key; Ignore: none.
 * Unknown fields are no concern here: the typed apply refuses them whatever the directive.
 */
export function applyStrictness(intent: ApplyIntent, fieldValidation: "Strict" | "Warn" | "Ignore" | undefined): { kind: "ok"; warnings: string[] } | { kind: "failure"; status: KubeStatus } {
  const mode = fieldValidation ?? "Warn";
  if (mode === "Ignore" || intent.duplicateKeys.length === 0) return { kind: "ok", warnings: [] };
  if (mode === "Warn") return { kind: "ok", warnings: [...intent.duplicateKeys] };
  return { kind: "failure", status: badRequest(`error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  ${intent.duplicateKeys.join("\n  ")}`) };
}

/** 422 for an apply without `fieldManager` (PatchOptions validation). */
export function missingFieldManager(): KubeStatus {
  return invalid({ group: "meta.k8s.io", kind: "PatchOptions" }, "", [required("fieldManager", "is required for apply patch")]);
}

/** 422 for `force` on another patch type. */
export function forceOnNonApply(): KubeStatus {
  return invalid({ group: "meta.k8s.io", kind: "PatchOptions" }, "", [{ type: "FieldValueForbidden", field: "force", body: "Forbidden: may not be specified for non-apply patch" }]);
}

const sameIdentity = (e: ManagerEntry, w: Writer, operation: "Apply" | "Update") =>
  e.manager === w.manager && e.operation === operation && (operation === "Apply" || e.apiVersion === w.apiVersion) && (e.subresource ?? "") === (w.subresource ?? "");

/** Keeps the part of a field set the writer's endpoint may change (status on /status, the rest elsewhere). */
function reachable(set: Set<string>, intent: ApplyIntent): Set<string> {
  if (!intent.statusSplit) return set;
  const status = (p: string) => p === "f:status" || p.startsWith(`f:status${SEP}`);
  const onStatus = intent.writer.subresource === "status";
  return new Set([...set].filter((p) => status(p) === onStatus));
}

/** The entries an apply starts from: the live ones, or for an untracked live object the emulated first owner. */
function startingEntries(live: JsonObject, schema: SchemaNode | undefined, apiVersion: string, nowMs: number): ManagerEntry[] {
  const meta = isJsonObject(live.metadata) ? live.metadata : {};
  const entries = decodeManagedFields(meta);
  // Apply, like every update, first reads a manager of a granular map with no children as owning all of it.
  if (entries.length > 0) return reconcileWithLiveObject(entries, withoutManagedFields(live), schema);
  const fields = compareObjects({}, withoutManagedFields(live), schema).changed;
  return fields.size === 0 ? [] : [{ manager: BEFORE_FIRST_APPLY, operation: "Update", apiVersion, time: rfc3339Seconds(nowMs), fields }];
}

function withoutManagedFields(o: JsonObject): JsonObject {
  if (!isJsonObject(o.metadata) || o.metadata.managedFields === undefined) return o;
  const meta = { ...o.metadata };
  delete meta.managedFields;
  return { ...o, metadata: meta };
}

/** The object an apply asks for: the configuration merged into `live` (absent: a create), with unapplied fields pruned. */
export function planApply(live: JsonObject | undefined, intent: ApplyIntent, schema: SchemaNode | undefined, nowMs: number): JsonObject {
  const config = withoutManagedFields(intent.config);
  if (live === undefined) return mergeApplied(undefined, config, rootSchema(schema)) as JsonObject;
  const entries = startingEntries(live, schema, intent.writer.apiVersion, nowMs);
  const mine = entries.find((e) => sameIdentity(e, intent.writer, "Apply"));
  const applied = reachable(appliedFieldSet(config, schema), intent);
  const owned = new Set(applied);
  for (const e of entries) if (e !== mine) for (const p of e.fields) owned.add(p);
  const merged = mergeApplied(withoutManagedFields(live), config, rootSchema(schema)) as JsonObject;
  return pruneUnapplied(merged, mine?.fields ?? new Set(), owned, schema);
}

/**
 * The 500 an apply gets when the live object is untracked and repeats a set or map list item: the
 * emulated first owner cannot be built (verified on v1.20.2).
 */
export function untypableLive(live: JsonObject, info: { group: string; version: string; kind: string }, schema: SchemaNode | undefined): KubeStatus | undefined {
  const meta = isJsonObject(live.metadata) ? live.metadata : {};
  if (decodeManagedFields(meta).length > 0) return undefined;
  const duplicate = duplicateListEntry(withoutManagedFields(live), schema);
  if (duplicate === undefined) return undefined;
  const gvk = `${info.group === "" ? "" : `${info.group}/`}${info.version}, Kind=${info.kind}`;
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `failed to create manager for existing fields: failed to convert new object (${gvk}) to smd typed: ${duplicate}`,
    code: 500,
  };
}

export type Ownership = { kind: "ok"; managedFields: Json[] } | { kind: "failure"; status: KubeStatus };

/**
 * structured-merge-diff's set order: at each level the members ending there (sorted) come before the
 * children (sorted), so `.status.status` precedes `.status.lastAction.action`.
 */
function comparePaths(a: string, b: string): number {
  const pa = a.split(SEP);
  const pb = b.split(SEP);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const aEnds = i === pa.length - 1;
    const bEnds = i === pb.length - 1;
    if (pa[i] === pb[i] && !aEnds && !bEnds) continue;
    if (aEnds !== bEnds) return aEnds ? -1 : 1;
    return (pa[i] as string) < (pb[i] as string) ? -1 : (pa[i] as string) > (pb[i] as string) ? 1 : 0;
  }
  return pa.length - pb.length;
}

function conflictStatus(conflicts: { entry: ManagerEntry; path: string }[]): KubeStatus {
  const who = (e: ManagerEntry) => {
    let s = JSON.stringify(e.manager);
    if (e.subresource !== undefined) s += ` with subresource ${JSON.stringify(e.subresource)}`;
    // The manager identifier conflicts carry has no time (BuildManagerIdentifier drops it), so
    // printManager's "at <time>" branch never shows (verified on v1.20.2; same code in 1.28+).
    return e.operation === "Update" ? `${s} using ${e.apiVersion}` : s;
  };
  const sorted = [...conflicts].sort((a, b) => (who(a.entry) < who(b.entry) ? -1 : who(a.entry) > who(b.entry) ? 1 : comparePaths(a.path, b.path)));
  let message: string;
  if (sorted.length === 1) {
    const only = sorted[0] as { entry: ManagerEntry; path: string };
    message = `Apply failed with 1 conflict: conflict with ${who(only.entry)}: ${printPath(only.path)}`;
  } else {
    const lines: string[] = [];
    let last = "";
    for (const c of sorted) {
      if (who(c.entry) !== last) lines.push(`conflicts with ${who(c.entry)}:`);
      last = who(c.entry);
      lines.push(`- ${printPath(c.path)}`);
    }
    message = `Apply failed with ${sorted.length} conflicts: ${lines.join("\n")}`;
  }
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason: "Conflict",
    details: { causes: sorted.map((c) => ({ reason: "FieldManagerConflict", message: `conflict with ${who(c.entry)}`, field: printPath(c.path) })) },
    code: 409,
  };
}

/**
 * The managedFields after an apply turned `live` (absent: a create) into `next` (as the strategy left
 * it), or the 409 when it changed fields other managers own and was not forced.
 */
export function applyOwnership(live: JsonObject | undefined, next: JsonObject, intent: ApplyIntent, schema: SchemaNode | undefined, nowMs: number): Ownership {
  const config = withoutManagedFields(intent.config);
  const applied = reachable(appliedFieldSet(config, schema), intent);
  const entries = live === undefined ? [] : startingEntries(live, schema, intent.writer.apiVersion, nowMs);
  const mine = entries.find((e) => sameIdentity(e, intent.writer, "Apply"));
  const before = live === undefined ? {} : withoutManagedFields(live);
  const after = withoutManagedFields(next);
  const { changed, removed } = compareObjects(before, after, schema);
  const conflicts: { entry: ManagerEntry; path: string }[] = [];
  for (const e of entries) if (e !== mine) for (const p of e.fields) if (changed.has(p)) conflicts.push({ entry: e, path: p });
  if (conflicts.length > 0 && !intent.force) return { kind: "failure", status: conflictStatus(conflicts) };
  const out: ManagerEntry[] = [];
  for (const e of entries) {
    if (e === mine) continue;
    const fields = new Set([...e.fields].filter((p) => !changed.has(p) && !removed.has(p)));
    if (fields.size > 0) out.push(fields.size === e.fields.size ? e : { ...e, fields });
  }
  if (applied.size > 0) {
    const touched = mine === undefined || !jsonEqual(before, after);
    const entry: ManagerEntry = {
      manager: intent.writer.manager,
      operation: "Apply",
      apiVersion: intent.writer.apiVersion,
      time: touched ? rfc3339Seconds(nowMs) : mine.time,
      fields: applied,
    };
    if (intent.writer.subresource !== undefined) entry.subresource = intent.writer.subresource;
    out.push(entry);
  }
  return { kind: "ok", managedFields: sortEntries(out).map(encodeEntry) };
}
