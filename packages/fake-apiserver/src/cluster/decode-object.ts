/**
 * Turns a request body (or a patched document) into the object the apiserver would hold after
 * decoding: apiVersion checked, ObjectMeta reduced to its known fields, and for custom resources the
 * structural schema's pruning, null removal and defaulting applied.
 */
import { type KubeStatus, badRequest, invalid } from "./kube-status.ts";
import { goQuote, invalidRaw } from "./field-errors.ts";
import type { RequestContext } from "./api-request.ts";
import { type JsonObject, isJsonObject, cloneJson } from "./json.ts";
import { OBJECT_META_FIELDS, coerceObjectMeta } from "./object-meta.ts";
import { applyBuiltinDefaults } from "./builtin-defaults.ts";
import { pruneBuiltinUnknownFields } from "./builtin-fields.ts";
import { type ResourceInfo, apiVersionOf } from "./resource-registry.ts";
import { applyDefaults, pruneNonNullableNulls, pruneUnknownFields } from "./structural-schema.ts";

/** `unknownFields`: what decoding dropped (`spec.x`, `metadata.y`), for fieldValidation. */
export type Decoded = { kind: "ok"; object: JsonObject; unknownFields?: string[] } | { kind: "failure"; status: KubeStatus };

/**
 * Decodes `body` as an object of `info`'s kind (kind mismatches inside the group are left to
 * validation). `owned`: the body is a private copy the decoder may change in place.
 */
export function decodeObject(info: ResourceInfo, body: unknown, owned = false): Decoded {
  const expected = apiVersionOf(info);
  if (!isJsonObject(body)) {
    const what = Array.isArray(body) ? "array" : body === null ? "null" : typeof body;
    return {
      kind: "failure",
      status: badRequest(
        `the object provided is unrecognized (must be of type ${info.kind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${what} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
      ),
    };
  }
  const obj = owned ? body : cloneJson(body);
  // Typed (built-in) endpoints default the kind from the URL; custom resources must carry it.
  if (!info.custom && (obj.kind === undefined || obj.kind === "")) obj.kind = info.kind;
  if (typeof obj.kind !== "string" || obj.kind === "") {
    return { kind: "failure", status: badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)}'`) };
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
    return {
      kind: "failure",
      status: badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expected})`),
    };
  }
  obj.apiVersion = expected;
  const metadataUnknown: string[] = [];
  if (isJsonObject(obj.metadata)) for (const k of Object.keys(obj.metadata)) if (!(OBJECT_META_FIELDS as readonly string[]).includes(k)) metadataUnknown.push(`metadata.${k}`);
  const unknownFields: string[] = [];
  if (info.custom) {
    // The apiextensions decoder's order: ObjectMeta's unknown fields, then pruning's; each set sorted
    // (ObjectMeta is re-read from a key-sorted encoding, PruneWithOptions sorts what it tracked).
    unknownFields.push(...metadataUnknown.sort());
    obj.metadata = coerceObjectMeta(obj.metadata);
    if (info.schema !== undefined) {
      const pruned: string[] = [];
      pruneUnknownFields(obj, info.schema, pruned);
      unknownFields.push(...pruned.sort());
      pruneNonNullableNulls(obj, info.schema);
      applyDefaults(obj, info.schema);
    }
  } else {
    // The typed decoder reports in document order.
    pruneBuiltinUnknownFields(info, obj, metadataUnknown, unknownFields);
    obj.metadata = coerceObjectMeta(obj.metadata);
    applyBuiltinDefaults(info, obj);
  }
  return unknownFields.length > 0 ? { kind: "ok", object: obj, unknownFields } : { kind: "ok", object: obj };
}

/** What one write's decoding found wrong: the body's own strict errors and the fields decoding dropped. */
export interface StrictFindings {
  unknownFields?: readonly string[] | undefined;
  /** A patch: what the apiserver prints as the value of Strict's 422 (the patched object, or a strategic patch). */
  patched?: () => string;
}

/**
 * fieldValidation over a write: the body's own strict errors (`RequestContext.bodyStrictErrors`:
 * repeated keys, a JSON Patch's unknown keys) first, then what decoding dropped (apiextensions words
 * it `unknown field "%s"`, unescaped). Strict refuses, Warn (the default since 1.27) answers a
 * `Warning: 299` per finding, Ignore says nothing (v1.20's only behaviour). Strict's answer is the
 * decoder's: a create or update is 400 `<Kind> in version "v" cannot be handled as a <Kind>: strict
 * decoding error: ...` (handlers/create.go, transformDecodeError); a patch is 422 with one cause on
 * `patch` (handlers/patch.go).
 */
export function strictDecodingPolicy(info: ResourceInfo, findings: StrictFindings, context: RequestContext | undefined): { kind: "ok"; warnings: string[] } | { kind: "failure"; status: KubeStatus } {
  const mode = context?.fieldValidation ?? "Warn";
  if (mode === "Ignore") return { kind: "ok", warnings: [] };
  const unknown = findings.unknownFields ?? [];
  // A typed (built-in) decoder tracks repeats of known fields only: an unknown field is reported once, as unknown.
  const body = info.custom ? (context?.bodyStrictErrors ?? []) : (context?.bodyStrictErrors ?? []).filter((e) => !unknown.some((f) => e === `duplicate field "${f}"`));
  const messages = [...body, ...unknown.map((f) => `unknown field "${f}"`)];
  if (messages.length === 0 || mode === "Warn") return { kind: "ok", warnings: messages };
  const decoding = `strict decoding error: ${messages.join(", ")}`;
  if (findings.patched !== undefined) return { kind: "failure", status: invalid({ group: "", kind: "" }, "", [invalidRaw("patch", goQuote(findings.patched()), decoding)]) };
  return { kind: "failure", status: badRequest(`${info.kind} in version ${JSON.stringify(info.version)} cannot be handled as a ${info.kind}: ${decoding}`) };
}
