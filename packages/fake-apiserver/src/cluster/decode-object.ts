/**
 * Turns a request body (or a patched document) into the object the apiserver would hold after
 * decoding: apiVersion checked, ObjectMeta reduced to its known fields, and for custom resources the
 * structural schema's pruning, null removal and defaulting applied.
 */
import { type KubeStatus, badRequest } from "./kube-status.ts";
import type { RequestContext } from "./api-request.ts";
import { type JsonObject, isJsonObject, cloneJson } from "./json.ts";
import { OBJECT_META_FIELDS, coerceObjectMeta } from "./object-meta.ts";
import { applyBuiltinDefaults } from "./builtin-defaults.ts";
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
  const unknownFields: string[] = [];
  if (isJsonObject(obj.metadata)) for (const k of Object.keys(obj.metadata)) if (!(OBJECT_META_FIELDS as readonly string[]).includes(k)) unknownFields.push(`metadata.${k}`);
  obj.metadata = coerceObjectMeta(obj.metadata);
  if (info.custom && info.schema !== undefined) {
    pruneUnknownFields(obj, info.schema, unknownFields);
    pruneNonNullableNulls(obj, info.schema);
    applyDefaults(obj, info.schema);
  }
  if (!info.custom) applyBuiltinDefaults(info, obj);
  return unknownFields.length > 0 ? { kind: "ok", object: obj, unknownFields } : { kind: "ok", object: obj };
}

/**
 * fieldValidation over what decoding dropped: Strict refuses (400, the decoder's wording), Warn (the
 * default since 1.27) answers a `Warning: 299` per field, Ignore says nothing (v1.20's only behaviour).
 */
export function unknownFieldPolicy(info: ResourceInfo, unknownFields: readonly string[] | undefined, context: RequestContext | undefined): { kind: "ok"; warnings: string[] } | { kind: "failure"; status: KubeStatus } {
  if (unknownFields === undefined || unknownFields.length === 0) return { kind: "ok", warnings: [] };
  const mode = context?.fieldValidation ?? "Warn";
  const messages = unknownFields.map((f) => `unknown field ${JSON.stringify(f)}`);
  if (mode === "Ignore") return { kind: "ok", warnings: [] };
  if (mode === "Warn") return { kind: "ok", warnings: messages };
  return { kind: "failure", status: badRequest(`${info.kind} in version ${JSON.stringify(info.version)} cannot be handled as a ${info.kind}: strict decoding error: ${messages.join(", ")}`) };
}
