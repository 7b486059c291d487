/**
 * A CRD's structural schema applied as kube-apiserver v1.20 applies it to a custom resource: prune
 * unknown fields, drop non-nullable nulls, fill defaults, then validate with go-openapi's rules and
 * wording (`status.pid in body must be of type integer: "string"`).
 * Quirks kept from v1.20 (verified): an empty string fails a `type: string` node as if it were null
 * (`must be of type string: "null"`) and is then checked further; array item errors carry no index
 * (`status.conditions.type`); `format: int32` is not enforced.
 * Does not model: CEL rules (1.25+), `x-kubernetes-embedded-resource`, `oneOf/anyOf/allOf/not`,
 * list-type uniqueness (not enforced by v1.20 either), formats other than date-time and date.
 */
import { type FieldError, goValue, invalidRaw, notSupported, required } from "./field-errors.ts";
import { type Json, type JsonObject, isJsonObject, cloneJson } from "./json.ts";

/** The subset of JSONSchemaProps a structural schema uses. */
export interface SchemaNode {
  type?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  required?: string[];
  enum?: Json[];
  format?: string;
  default?: Json;
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-list-type"?: string;
  "x-kubernetes-list-map-keys"?: string[];
}

const ROOT_META_FIELDS = new Set(["apiVersion", "kind", "metadata"]);

function childSchema(s: SchemaNode | undefined, key: string): SchemaNode | undefined {
  if (s === undefined) return undefined;
  const p = s.properties?.[key];
  if (p !== undefined) return p;
  return typeof s.additionalProperties === "object" ? s.additionalProperties : undefined;
}

/** Removes every field the schema does not declare (apiVersion, kind and metadata survive at the root). */
export function pruneUnknownFields(obj: JsonObject, schema: SchemaNode, dropped: string[] = []): void {
  for (const key of Object.keys(obj)) {
    if (ROOT_META_FIELDS.has(key)) continue;
    pruneValue(obj, key, schema, "", dropped);
  }
}

function pruneValue(holder: JsonObject, key: string, parent: SchemaNode, prefix: string, dropped: string[]): void {
  if (parent["x-kubernetes-preserve-unknown-fields"] === true && parent.properties?.[key] === undefined && typeof parent.additionalProperties !== "object") return;
  const path = prefix === "" ? key : `${prefix}.${key}`;
  const s = childSchema(parent, key);
  if (s === undefined) {
    if (parent.additionalProperties === true) return;
    delete holder[key];
    dropped.push(path);
    return;
  }
  pruneNode(holder[key] as Json, s, path, dropped);
}

function pruneNode(value: Json, s: SchemaNode, path: string, dropped: string[]): void {
  if (Array.isArray(value)) {
    if (s.items !== undefined) value.forEach((item, i) => pruneNode(item, s.items as SchemaNode, `${path}[${i}]`, dropped));
    return;
  }
  if (!isJsonObject(value)) return;
  if (s.properties === undefined && s.additionalProperties === undefined) {
    if (s["x-kubernetes-preserve-unknown-fields"] === true) return;
    for (const k of Object.keys(value)) {
      delete value[k];
      dropped.push(`${path}.${k}`);
    }
    return;
  }
  for (const k of Object.keys(value)) pruneValue(value, k, s, path, dropped);
}

/** Drops map values that are null where the schema neither allows null nor has a default. */
export function pruneNonNullableNulls(value: Json, s: SchemaNode | undefined): void {
  if (Array.isArray(value)) {
    for (const item of value) pruneNonNullableNulls(item, s?.items);
    return;
  }
  if (!isJsonObject(value)) return;
  for (const k in value) {
    const v = value[k] as Json;
    const cs = childSchema(s, k);
    if (v === null && cs !== undefined && cs.nullable !== true && cs.default === undefined) delete value[k];
    else pruneNonNullableNulls(v, cs);
  }
}

/** Fills defaults of missing (or null) properties, depth first, as structural defaulting does. */
export function applyDefaults(value: Json, s: SchemaNode | undefined): void {
  if (s === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) applyDefaults(item, s.items);
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [k, d] of defaultsOf(s)) if (value[k] === undefined || value[k] === null) value[k] = cloneJson(d);
  for (const k in value) applyDefaults(value[k] as Json, childSchema(s, k));
}

/** Each schema node's property defaults, found once per node (a CRD's schema is not changed once registered). */
const defaultsByNode = new WeakMap<SchemaNode, Array<[string, Json]>>();

function defaultsOf(s: SchemaNode): Array<[string, Json]> {
  let defaults = defaultsByNode.get(s);
  if (defaults === undefined) {
    defaults = [];
    for (const k in s.properties) {
      const d = s.properties[k]?.default;
      if (d !== undefined) defaults.push([k, d]);
    }
    defaultsByNode.set(s, defaults);
  }
  return defaults;
}

/** go-openapi's name for the JSON type of a value. */
function typeName(v: Json): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "string") return "string";
  return "object";
}

function typeMatches(expected: string, v: Json): boolean {
  const actual = typeName(v);
  if (expected === actual) return true;
  return expected === "number" && actual === "integer";
}

const DATE_TIME_TAIL = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/;

/** Go's time.Parse("2006-01-02"): four-digit year, real month and day. */
export function isFullDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] ?? 0;
  return d <= days;
}

/** Verdicts of {@link isDateTime} on recent strings: a world writes the same few timestamps again and again. */
const dateTimeVerdicts = new Map<string, boolean>();
const DATE_TIME_VERDICTS_KEPT = 1024;

function isDateTimeRemembered(str: string): boolean {
  let verdict = dateTimeVerdicts.get(str);
  if (verdict === undefined) {
    if (dateTimeVerdicts.size >= DATE_TIME_VERDICTS_KEPT) dateTimeVerdicts.clear();
    verdict = isDateTime(str);
    dateTimeVerdicts.set(str, verdict);
  }
  return verdict;
}

/** go-openapi strfmt.IsDateTime, the check behind `format: date-time`. */
export function isDateTime(str: string): boolean {
  if (str.length < 4) return false;
  const parts = str.toLowerCase().split("t");
  if (parts.length < 2 || !isFullDate(parts[0] ?? "")) return false;
  const m = DATE_TIME_TAIL.exec(parts[1] ?? "");
  if (m === null) return false;
  return (m[1] ?? "") <= "23" && (m[2] ?? "") <= "59" && (m[3] ?? "") <= "59";
}

const FORMAT_CHECKS: Record<string, (s: string) => boolean> = {
  "date-time": isDateTimeRemembered,
  date: isFullDate,
};

/** Validates the object below the root against the schema; errors in the apiserver's wording. */
export function validateAgainstSchema(obj: JsonObject, schema: SchemaNode): FieldError[] {
  const errors: FieldError[] = [];
  for (const [k, ps] of Object.entries(schema.properties ?? {})) {
    if (ROOT_META_FIELDS.has(k)) continue;
    if (obj[k] !== undefined) validateNode(obj[k] as Json, ps, k, errors);
  }
  for (const r of schema.required ?? []) if (obj[r] === undefined) errors.push(required(r));
  return errors;
}

function bodyError(path: string, value: Json, detail: string): FieldError {
  return invalidRaw(path, goValue(value), `${path} in body ${detail}`);
}

function validateNode(v: Json, s: SchemaNode, path: string, errors: FieldError[]): void {
  if (s["x-kubernetes-int-or-string"] === true) {
    if (typeof v !== "string" && !(typeof v === "number" && Number.isInteger(v))) {
      errors.push(invalidRaw(path, goValue(typeName(v)), `${path} in body must be of type integer,string: ${goValue(typeName(v))}`));
    }
    return;
  }
  const expected = s.type;
  if (v === null) {
    if (expected !== undefined && s.nullable !== true) errors.push(invalidRaw(path, '"null"', `${path} in body must be of type ${expected}: "null"`));
    return;
  }
  if (expected !== undefined && !typeMatches(expected, v)) {
    errors.push(invalidRaw(path, goValue(typeName(v)), `${path} in body must be of type ${expected}: ${goValue(typeName(v))}`));
    return;
  }
  if (v === "" && expected === "string" && s.nullable !== true) {
    errors.push(invalidRaw(path, '"null"', `${path} in body must be of type string: "null"`));
  }
  if (typeof v === "string") validateString(v, s, path, errors);
  if (typeof v === "number") validateNumber(v, s, path, errors);
  if (s.enum !== undefined && !s.enum.some((e) => e === v)) {
    errors.push(notSupported(path, v, s.enum.map((e) => (typeof e === "string" ? e : JSON.stringify(e)))));
  }
  if (Array.isArray(v)) {
    if (s.maxItems !== undefined && v.length > s.maxItems) errors.push(bodyError(path, v, `should have at most ${s.maxItems} items`));
    if (s.minItems !== undefined && v.length < s.minItems) errors.push(bodyError(path, v, `should have at least ${s.minItems} items`));
    if (s.items !== undefined) for (const item of v) validateNode(item, s.items, path, errors);
    return;
  }
  if (isJsonObject(v)) {
    for (const k in s.properties) {
      if (v[k] !== undefined) validateNode(v[k] as Json, s.properties[k] as SchemaNode, `${path}.${k}`, errors);
    }
    if (typeof s.additionalProperties === "object") {
      for (const k in v) {
        if (s.properties?.[k] === undefined) validateNode(v[k] as Json, s.additionalProperties, `${path}.${k}`, errors);
      }
    }
    for (const r of s.required ?? []) if (v[r] === undefined) errors.push(required(`${path}.${r}`));
  }
}

/** Patterns compiled once each (a schema's patterns are few and fixed). */
const patterns = new Map<string, RegExp>();

function patternOf(source: string): RegExp {
  let re = patterns.get(source);
  if (re === undefined) {
    re = new RegExp(source);
    patterns.set(source, re);
  }
  return re;
}

function validateString(v: string, s: SchemaNode, path: string, errors: FieldError[]): void {
  if (s.maxLength !== undefined || s.minLength !== undefined) {
    const len = [...v].length;
    if (s.maxLength !== undefined && len > s.maxLength) errors.push(bodyError(path, v, `should be at most ${s.maxLength} chars long`));
    if (s.minLength !== undefined && len < s.minLength) errors.push(bodyError(path, v, `should be at least ${s.minLength} chars long`));
  }
  if (s.pattern !== undefined && !patternOf(s.pattern).test(v)) errors.push(bodyError(path, v, `should match '${s.pattern}'`));
  const check = s.format === undefined ? undefined : FORMAT_CHECKS[s.format];
  if (check !== undefined && !check(v)) errors.push(bodyError(path, v, `must be of type ${s.format}: ${goValue(v)}`));
}

function validateNumber(v: number, s: SchemaNode, path: string, errors: FieldError[]): void {
  if (s.minimum !== undefined) {
    if (s.exclusiveMinimum === true ? v <= s.minimum : v < s.minimum) {
      errors.push(bodyError(path, v, `should be greater than ${s.exclusiveMinimum === true ? "" : "or equal to "}${s.minimum}`));
    }
  }
  if (s.maximum !== undefined) {
    if (s.exclusiveMaximum === true ? v >= s.maximum : v > s.maximum) {
      errors.push(bodyError(path, v, `should be less than ${s.exclusiveMaximum === true ? "" : "or equal to "}${s.maximum}`));
    }
  }
}
