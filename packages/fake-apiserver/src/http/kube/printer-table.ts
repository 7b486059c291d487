/**
 * `meta.k8s.io/v1` Table output, what `kubectl get` asks for: the resource's printer columns (a CRD's
 * additionalPrinterColumns) evaluated per object, dates shown as the apiserver's human durations, and
 * each row carrying the object's metadata (PartialObjectMetadata) unless asked otherwise.
 */
import type { Json, JsonObject, PrinterColumn, ResourceInfo } from "../../cluster/index.ts";

/** duration.HumanDuration, as the apiserver prints an Age. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** Evaluates a simple JSONPath (`.status.lastAction.action`, `.spec.items[0].name`). */
export function evalJsonPath(obj: Json, path: string): Json | undefined {
  const trimmed = path.replace(/^\{|\}$/g, "").replace(/^\./, "");
  if (trimmed === "") return obj;
  let cur: Json | undefined = obj;
  for (const part of trimmed.split(".")) {
    const m = /^([^[\]]*)((\[\d+\])*)$/.exec(part);
    if (m === null || cur === undefined || cur === null) return undefined;
    if (m[1] !== "") cur = typeof cur === "object" && !Array.isArray(cur) ? cur[m[1] as string] : undefined;
    for (const idx of (m[2] ?? "").match(/\d+/g) ?? []) cur = Array.isArray(cur) ? cur[Number(idx)] : undefined;
  }
  return cur;
}

function cell(column: PrinterColumn, obj: JsonObject, nowMs: number): Json {
  const v = evalJsonPath(obj, column.jsonPath);
  if (v === undefined || v === null) return null;
  if (column.type === "date" && typeof v === "string") {
    const t = Date.parse(v);
    return Number.isNaN(t) ? v : humanDuration(nowMs - t);
  }
  if (typeof v === "object") return JSON.stringify(v);
  return v;
}

export type IncludeObject = "None" | "Metadata" | "Object";

/** The Table of `objects` for `info` (kubectl: `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`). */
export function toTable(info: ResourceInfo, objects: readonly JsonObject[], resourceVersion: string, nowMs: number, include: IncludeObject = "Metadata", paging: JsonObject = {}): JsonObject {
  const columns = info.printerColumns;
  // A paged list's table carries its continue token and remainingItemCount (kubectl --chunk-size reads them).
  const metadata: JsonObject = { resourceVersion };
  if (typeof paging.continue === "string" && paging.continue !== "") metadata.continue = paging.continue;
  if (typeof paging.remainingItemCount === "number") metadata.remainingItemCount = paging.remainingItemCount;
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata,
    columnDefinitions: columns.map((c) => ({ name: c.name, type: c.type, format: c.format, description: c.description, priority: c.priority })),
    rows: objects.map((o) => {
      const row: JsonObject = { cells: columns.map((c) => cell(c, o, nowMs)) };
      if (include === "Metadata") row.object = { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata ?? {} };
      else if (include === "Object") row.object = o;
      return row;
    }),
  };
}
