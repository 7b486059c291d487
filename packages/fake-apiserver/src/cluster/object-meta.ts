/**
 * ObjectMeta as the apiserver handles it: the fields it keeps, the create and update validation of
 * apimachinery (names, labels, annotations, finalizers, immutable fields) with its exact messages,
 * and RFC 3339 timestamps truncated to whole seconds.
 */
import {
  type FieldError,
  forbiddenField,
  invalidRaw,
  invalidValue,
  required,
  tooLong,
} from "./field-errors.ts";
import { type Json, type JsonObject, isJsonObject, jsonEqual } from "./json.ts";

/** The ObjectMeta fields the apiserver stores; anything else in `metadata` is dropped. */
export const OBJECT_META_FIELDS = [
  "name",
  "generateName",
  "namespace",
  "selfLink",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
  "clusterName",
  "managedFields",
] as const;

/** `2026-01-01T00:00:05Z`: a metav1.Time as serialized (whole seconds, UTC). */
export function rfc3339Seconds(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/** Keeps only the ObjectMeta fields; drops empty strings, maps and lists the way omitempty does. */
export function coerceObjectMeta(meta: Json | undefined): JsonObject {
  const out: JsonObject = {};
  if (!isJsonObject(meta)) return out;
  for (const k of OBJECT_META_FIELDS) {
    const v = meta[k];
    if (v === undefined || v === null || v === "" || (k === "generation" && v === 0)) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (isJsonObject(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

const DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const QUALIFIED_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_VALUE = `(${QUALIFIED_NAME})?`;

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(" or ")}regex used for validation is '${fmt}')`;
}

const full = (fmt: string) => new RegExp(`^${fmt}$`);
const SUBDOMAIN_RE = full(DNS1123_SUBDOMAIN);
const LABEL_RE = full(DNS1123_LABEL);
const QUALIFIED_RE = full(QUALIFIED_NAME);
const LABEL_VALUE_RE = full(LABEL_VALUE);
const QUALIFIED_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** IsDNS1123Subdomain: the messages, empty when valid. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push("must be no more than 253 characters");
  if (!SUBDOMAIN_RE.test(value)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN,
        "example.com",
      ),
    );
  }
  return errs;
}

/** IsDNS1123Label: the messages, empty when valid. */
export function dns1123LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push("must be no more than 63 characters");
  if (!LABEL_RE.test(value)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        DNS1123_LABEL,
        "my-name",
        "123-abc",
      ),
    );
  }
  return errs;
}

/** IsQualifiedName: `prefix/name` with an optional DNS subdomain prefix. */
export function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split("/");
  let name: string;
  if (parts.length === 1) name = parts[0] ?? "";
  else if (parts.length === 2) {
    const prefix = parts[0] ?? "";
    name = parts[1] ?? "";
    if (prefix.length === 0) errs.push("prefix part must be non-empty");
    else for (const m of dns1123SubdomainErrors(prefix)) errs.push(`prefix part ${m}`);
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_MSG, QUALIFIED_NAME, "MyName", "my.name", "123-abc")} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push("name part must be non-empty");
  else if (name.length > 63) errs.push("name part must be no more than 63 characters");
  if (!QUALIFIED_RE.test(name)) errs.push(`name part ${regexError(QUALIFIED_MSG, QUALIFIED_NAME, "MyName", "my.name", "123-abc")}`);
  return errs;
}

/** IsValidLabelValue: the messages, empty when valid. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push("must be no more than 63 characters");
  if (!LABEL_VALUE_RE.test(value)) {
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE,
        "MyValue",
        "my_value",
        "12345",
      ),
    );
  }
  return errs;
}

/**
 * How a resource's names are checked: DNS subdomain (most, custom resources), DNS label (namespaces),
 * or not at all (core v1 Events, which keep only their legacy validation).
 */
export type NameRule = "subdomain" | "label" | "none";

function nameErrors(rule: NameRule, name: string, prefix: boolean): string[] {
  if (rule === "none") return [];
  // apimachinery's maskTrailingDash replaces the last two characters (sic) with "a".
  const value = prefix && name.endsWith("-") ? `${name.slice(0, -2)}a` : name;
  return rule === "label" ? dns1123LabelErrors(value) : dns1123SubdomainErrors(value);
}

function stringMap(v: Json | undefined): Record<string, string> {
  if (!isJsonObject(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) out[k] = typeof x === "string" ? x : "";
  return out;
}

function stringList(v: Json | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function validateLabelsAndAnnotations(meta: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  for (const [k, v] of Object.entries(stringMap(meta.labels))) {
    for (const m of qualifiedNameErrors(k)) errors.push(invalidValue("metadata.labels", k, m));
    for (const m of labelValueErrors(v)) errors.push(invalidValue("metadata.labels", v, m));
  }
  let size = 0;
  for (const [k, v] of Object.entries(stringMap(meta.annotations))) {
    for (const m of qualifiedNameErrors(k.toLowerCase())) errors.push(invalidValue("metadata.annotations", k, m));
    size += k.length + v.length;
  }
  if (size > 256 * 1024) errors.push(tooLong("metadata.annotations", 256 * 1024));
  return errors;
}

/** ValidateObjectMetaAccessor (create): name or generateName, namespace rules, labels, annotations, finalizers. */
export function validateMetaForCreate(meta: JsonObject, namespaced: boolean, rule: NameRule): FieldError[] {
  const errors: FieldError[] = [];
  const generateName = typeof meta.generateName === "string" ? meta.generateName : "";
  if (generateName !== "") {
    for (const m of nameErrors(rule, generateName, true)) errors.push(invalidValue("metadata.generateName", generateName, m));
  }
  const name = typeof meta.name === "string" ? meta.name : "";
  if (name === "") errors.push(required("metadata.name", "name or generateName is required"));
  else for (const m of nameErrors(rule, name, false)) errors.push(invalidValue("metadata.name", name, m));
  if (rule === "none") return errors;
  const namespace = typeof meta.namespace === "string" ? meta.namespace : "";
  if (namespaced) {
    if (namespace === "") errors.push(required("metadata.namespace"));
    else for (const m of dns1123LabelErrors(namespace)) errors.push(invalidValue("metadata.namespace", namespace, m));
  } else if (namespace !== "") {
    errors.push(forbiddenField("metadata.namespace", "not allowed on this type"));
  }
  errors.push(...validateLabelsAndAnnotations(meta));
  const finalizers = stringList(meta.finalizers);
  for (const f of finalizers) for (const m of qualifiedNameErrors(f)) errors.push(invalidValue("metadata.finalizers", f, m));
  return errors;
}

/** A Go `%#v` of a []string, as the no-new-finalizers message prints it. */
function goStringSlice(values: readonly string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(", ")}}`;
}

/** ValidateObjectMetaAccessorUpdate: immutable fields, no new finalizers while terminating, labels, annotations. */
export function validateMetaForUpdate(next: JsonObject, old: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  if (old.deletionTimestamp !== undefined) {
    const before = new Set(stringList(old.finalizers));
    const extra = [...new Set(stringList(next.finalizers).filter((f) => !before.has(f)))].sort();
    if (extra.length > 0) {
      errors.push(
        forbiddenField("metadata.finalizers", `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra)}`),
      );
    }
  }
  if (next.resourceVersion === undefined || next.resourceVersion === "") {
    errors.push(invalidRaw("metadata.resourceVersion", "0x0", "must be specified for an update"));
  }
  const immutable = (field: string) => {
    if (!jsonEqual(next[field] ?? null, old[field] ?? null)) {
      errors.push(invalidValue(`metadata.${field}`, next[field] ?? "", "field is immutable"));
    }
  };
  for (const f of ["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "clusterName"]) immutable(f);
  errors.push(...validateLabelsAndAnnotations(next));
  return errors;
}
