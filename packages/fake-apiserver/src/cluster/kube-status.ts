/**
 * The apiserver's `Status` answers, built exactly as kube-apiserver v1.20 words them (checked against
 * the real server by e2e/kube/apiserver-differential.test.ts): one builder per failure kind.
 */
import { type FieldError, aggregateMessage } from "./field-errors.ts";

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** A `metav1.Status` as the apiserver serializes it (empty fields omitted). */
export interface KubeStatus {
  kind: "Status";
  apiVersion: "v1";
  /** Empty, but for the continue token a compacted paged list hands back. */
  metadata: { continue?: string };
  status: "Failure" | "Success";
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

/** A resource as the apiserver names it in messages: `containers.containers.rancherdesktop.io`. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** A kind as the apiserver names it in validation messages: `Container.containers.rancherdesktop.io`. */
export interface GroupKind {
  group: string;
  kind: string;
}

export const StatusReason = {
  notFound: "NotFound",
  alreadyExists: "AlreadyExists",
  conflict: "Conflict",
  invalid: "Invalid",
  badRequest: "BadRequest",
  unsupportedMediaType: "UnsupportedMediaType",
  forbidden: "Forbidden",
  internalError: "InternalError",
  expired: "Expired",
  tooManyRequests: "TooManyRequests",
  timeout: "Timeout",
  methodNotAllowed: "MethodNotAllowed",
  notAcceptable: "NotAcceptable",
} as const;
export type StatusReason = (typeof StatusReason)[keyof typeof StatusReason];

/** `containers.containers.rancherdesktop.io`, or `namespaces` for the core group. */
export function qualifiedResource(gr: GroupResource): string {
  return gr.group === "" ? gr.resource : `${gr.resource}.${gr.group}`;
}

function qualifiedKind(gk: GroupKind): string {
  return gk.group === "" ? gk.kind : `${gk.kind}.${gk.group}`;
}

function failure(code: number, message: string | undefined, reason?: string, details?: StatusDetails): KubeStatus {
  const status: KubeStatus = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure" };
  if (message !== undefined) status.message = message;
  if (reason !== undefined) status.reason = reason;
  if (details !== undefined) status.details = details;
  status.code = code;
  return status;
}

function grDetails(gr: GroupResource, name: string): StatusDetails {
  const details: StatusDetails = {};
  if (name !== "") details.name = name;
  if (gr.group !== "") details.group = gr.group;
  details.kind = gr.resource;
  return details;
}

function gkDetails(gk: GroupKind, name: string): StatusDetails {
  const details: StatusDetails = {};
  if (name !== "") details.name = name;
  if (gk.group !== "") details.group = gk.group;
  if (gk.kind !== "") details.kind = gk.kind;
  return details;
}

/** 404: `containers.containers.rancherdesktop.io "x" not found`. */
/** The 404 for a path the server does not serve (an unknown group, version or resource). */
export const RESOURCE_NOT_FOUND: KubeStatus = {
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Failure",
  message: "the server could not find the requested resource",
  reason: "NotFound",
  details: {},
  code: 404,
};

export function notFound(gr: GroupResource, name: string): KubeStatus {
  return failure(404, `${qualifiedResource(gr)} "${name}" not found`, StatusReason.notFound, grDetails(gr, name));
}

/** 409 on create: `... "x" already exists`. */
export function alreadyExists(gr: GroupResource, name: string): KubeStatus {
  return failure(409, `${qualifiedResource(gr)} "${name}" already exists`, StatusReason.alreadyExists, grDetails(gr, name));
}

/** The optimistic-lock message of a stale resourceVersion. */
export const OPTIMISTIC_LOCK_MESSAGE =
  "the object has been modified; please apply your changes to the latest version and try again";

/** 409: `Operation cannot be fulfilled on <resource> "x": <detail>`. */
export function conflict(gr: GroupResource, name: string, detail = OPTIMISTIC_LOCK_MESSAGE): KubeStatus {
  return failure(409, `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${detail}`, StatusReason.conflict, grDetails(gr, name));
}

/** 409 for a failed delete precondition; the apiserver names the kind here, not the resource. */
export function preconditionConflict(gk: GroupKind, name: string, detail: string): KubeStatus {
  return failure(409, `Operation cannot be fulfilled on ${qualifiedKind(gk)} "${name}": ${detail}`, StatusReason.conflict, gkDetails(gk, name));
}

/** 422 from validation: `Container.containers.rancherdesktop.io "x" is invalid: <errors>`. */
export function invalid(gk: GroupKind, name: string, errors: readonly FieldError[]): KubeStatus {
  const details = gkDetails(gk, name);
  details.causes = errors.map((e) => ({ reason: e.type, message: e.body, field: e.field }));
  return failure(422, `${qualifiedKind(gk)} "${name}" is invalid: ${aggregateMessage(errors)}`, StatusReason.invalid, details);
}

/** 422 with the generic wording, as a failed JSON Patch operation (a `test` above all) is answered. */
export function unprocessable(): KubeStatus {
  return failure(422, "the server rejected our request due to an error in our request", StatusReason.invalid, {});
}

export function badRequest(message: string): KubeStatus {
  return failure(400, message, StatusReason.badRequest);
}

export function unsupportedMediaType(accepted: readonly string[]): KubeStatus {
  return failure(
    415,
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
    StatusReason.unsupportedMediaType,
  );
}

export function forbidden(message: string, details?: StatusDetails): KubeStatus {
  return failure(403, message, StatusReason.forbidden, details);
}

/** 500 InternalError: `Internal error occurred: <detail>`. */
export function internalError(detail: string): KubeStatus {
  return failure(500, `Internal error occurred: ${detail}`, StatusReason.internalError, { causes: [{ message: detail }] });
}

/** A 500 with no reason, as the apiserver answers an error it did not classify (e.g. a malformed merge patch). */
export function unclassified(message: string): KubeStatus {
  return failure(500, message, undefined);
}

/** 410 Expired, sent as the ERROR event of a watch that starts before the history window. */
export function tooOldResourceVersion(requested: number, oldest: number): KubeStatus {
  return failure(410, `too old resource version: ${requested} (${oldest})`, StatusReason.expired);
}

/** 429, as the apiserver's max-in-flight filter answers. */
export function tooManyRequests(retryAfterSeconds: number): KubeStatus {
  return failure(429, "Too many requests, please try again later.", StatusReason.tooManyRequests, { retryAfterSeconds });
}

/** 504, as the apiserver's request timeout filter answers. */
export function requestTimeout(): KubeStatus {
  return failure(
    504,
    "Timeout: request did not complete within requested timeout - context deadline exceeded",
    StatusReason.timeout,
    {},
  );
}

export function methodNotAllowed(): KubeStatus {
  return failure(405, "the server does not allow this method on the requested resource", StatusReason.methodNotAllowed, {});
}

/** The `Success` Status a delete answers when the object is gone at once. */
export function deletedStatus(gr: GroupResource, name: string, uid: string): KubeStatus {
  const details = grDetails(gr, name);
  details.uid = uid;
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details };
}
