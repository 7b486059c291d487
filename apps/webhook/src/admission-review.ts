/**
 * AdmissionReview v1 for Containers: the envelope schema (TypeBox), and `reviewAdmission`, which
 * turns a parsed body into the response to send. Pure: the rules come from core, the I/O (body,
 * metrics, logs) stays in admission-routes.ts.
 */
import { Type, type Static } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { admitContainer, GROUP, PLURAL, VERSION, type AdmissionConfig, type DenialRule } from "@container-actions/core";

export const ADMISSION_API_VERSION = "admission.k8s.io/v1";
export const ADMISSION_KIND = "AdmissionReview";

const Operation = Type.Union([Type.Literal("CREATE"), Type.Literal("UPDATE"), Type.Literal("DELETE"), Type.Literal("CONNECT")]);
export type Operation = Static<typeof Operation>;

const GroupVersionKind = Type.Object({ group: Type.String(), version: Type.String(), kind: Type.String() });
const GroupVersionResource = Type.Object({ group: Type.String(), version: Type.String(), resource: Type.String() });

/** The fields of `request` the webhook reads; the apiserver sends more, and they are allowed. */
const AdmissionRequest = Type.Object({
  uid: Type.String({ minLength: 1 }),
  kind: GroupVersionKind,
  resource: GroupVersionResource,
  subResource: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  namespace: Type.Optional(Type.String()),
  operation: Operation,
  userInfo: Type.Optional(Type.Object({ username: Type.Optional(Type.String()) })),
  object: Type.Optional(Type.Unknown()),
  oldObject: Type.Optional(Type.Unknown()),
  dryRun: Type.Optional(Type.Boolean()),
});
export type AdmissionRequest = Static<typeof AdmissionRequest>;

const AdmissionReviewRequest = Type.Object({
  apiVersion: Type.Literal(ADMISSION_API_VERSION),
  kind: Type.Literal(ADMISSION_KIND),
  request: AdmissionRequest,
});

/** The part of a Container the rules read. Annotations must be a string map when present. */
const AdmittedObject = Type.Object({
  metadata: Type.Optional(
    Type.Object({
      name: Type.Optional(Type.String()),
      namespace: Type.Optional(Type.String()),
      annotations: Type.Optional(Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()])),
      deletionTimestamp: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    }),
  ),
});
type AdmittedObject = Static<typeof AdmittedObject>;

const reviewCheck = TypeCompiler.Compile(AdmissionReviewRequest);
const objectCheck = TypeCompiler.Compile(AdmittedObject);

export interface AdmissionResponseBody {
  apiVersion: typeof ADMISSION_API_VERSION;
  kind: typeof ADMISSION_KIND;
  response: {
    uid: string;
    allowed: boolean;
    status?: { code: number; reason: string; message: string };
    warnings?: string[];
  };
}

/** Who asked for what, for logs. */
export interface RequestSummary {
  uid: string;
  operation: Operation;
  username: string;
  namespace: string;
  name: string;
  resource: string;
  dryRun: boolean;
}

export type ReviewOutcome =
  /** Not an AdmissionReview v1 we can answer: the HTTP layer replies 400 with `detail`. */
  | { kind: "malformed"; detail: string; operation?: Operation }
  /** A Container request, judged by core's rules. */
  | { kind: "allowed"; request: RequestSummary; body: AdmissionResponseBody }
  | { kind: "denied"; request: RequestSummary; rule: DenialRule; message: string; body: AdmissionResponseBody }
  /** Another resource (or a subresource): allowed with a warning, never judged. */
  | { kind: "unjudged"; request: RequestSummary; body: AdmissionResponseBody };

/** Judges a parsed AdmissionReview body. dryRun requests are judged the same way: nothing has side effects. */
export function reviewAdmission(body: unknown, config: AdmissionConfig): ReviewOutcome {
  const envelopeProblem = problemWithEnvelope(body);
  if (envelopeProblem !== null) return { kind: "malformed", detail: envelopeProblem };
  if (!reviewCheck.Check(body)) return { kind: "malformed", detail: firstError(reviewCheck, body) };
  const request = body.request;
  const summary = summarize(request);
  if (!isContainers(request)) {
    const what = `${request.resource.group}/${request.resource.version}/${request.resource.resource}${request.subResource ? `/${request.subResource}` : ""}`;
    return {
      kind: "unjudged",
      request: summary,
      body: responseBody(request.uid, true, undefined, [`container-actions webhook does not judge ${what}; allowed unchecked`]),
    };
  }
  const objects = admittedObjects(request);
  if (objects.kind === "malformed") return { kind: "malformed", detail: objects.detail, operation: request.operation };
  const verdict = admitContainer(
    {
      operation: request.operation,
      username: request.userInfo?.username ?? "",
      ...(objects.object ? { object: objects.object } : {}),
      ...(objects.oldObject ? { oldObject: objects.oldObject } : {}),
    },
    config,
  );
  const warnings = verdict.warnings.length > 0 ? verdict.warnings : undefined;
  if (verdict.allowed) return { kind: "allowed", request: summary, body: responseBody(request.uid, true, undefined, warnings) };
  return {
    kind: "denied",
    request: summary,
    rule: verdict.rule,
    message: verdict.reason,
    body: responseBody(request.uid, false, { code: 403, reason: "Forbidden", message: verdict.reason }, warnings),
  };
}

function problemWithEnvelope(body: unknown): string | null {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "body must be a JSON object (an AdmissionReview)";
  const { apiVersion, kind, request } = body as Record<string, unknown>;
  if (apiVersion !== ADMISSION_API_VERSION) return `apiVersion must be ${ADMISSION_API_VERSION}, got ${JSON.stringify(apiVersion ?? null)}`;
  if (kind !== ADMISSION_KIND) return `kind must be ${ADMISSION_KIND}, got ${JSON.stringify(kind ?? null)}`;
  if (typeof request !== "object" || request === null) return "request is missing";
  return null;
}

function isContainers(request: AdmissionRequest): boolean {
  const { group, version, resource } = request.resource;
  return group === GROUP && version === VERSION && resource === PLURAL && (request.subResource ?? "") === "";
}

type Objects =
  | { kind: "ok"; object?: AdmittedObject; oldObject?: AdmittedObject }
  | { kind: "malformed"; detail: string };

/** CREATE and UPDATE carry the new object, UPDATE also the old one; each must look like a Kubernetes object. */
function admittedObjects(request: AdmissionRequest): Objects {
  const needsObject = request.operation === "CREATE" || request.operation === "UPDATE";
  const needsOld = request.operation === "UPDATE";
  const checked: { object?: AdmittedObject; oldObject?: AdmittedObject } = {};
  for (const [field, needed] of [["object", needsObject], ["oldObject", needsOld]] as const) {
    const value = request[field];
    if (value === undefined || value === null) {
      if (needed) return { kind: "malformed", detail: `/request/${field} is required for ${request.operation}` };
      continue;
    }
    if (!objectCheck.Check(value)) return { kind: "malformed", detail: `/request/${field}${firstError(objectCheck, value)}` };
    checked[field] = value;
  }
  return { kind: "ok", ...checked };
}

function summarize(request: AdmissionRequest): RequestSummary {
  const objectName = (request.object as AdmittedObject | undefined)?.metadata?.name;
  return {
    uid: request.uid,
    operation: request.operation,
    username: request.userInfo?.username ?? "",
    namespace: request.namespace ?? "",
    name: request.name || objectName || "",
    resource: request.resource.resource,
    dryRun: request.dryRun === true,
  };
}

function responseBody(
  uid: string,
  allowed: boolean,
  status: { code: number; reason: string; message: string } | undefined,
  warnings: string[] | undefined,
): AdmissionResponseBody {
  return {
    apiVersion: ADMISSION_API_VERSION,
    kind: ADMISSION_KIND,
    response: { uid, allowed, ...(status ? { status } : {}), ...(warnings ? { warnings } : {}) },
  };
}

function firstError(check: { Errors(value: unknown): { First(): { path: string; message: string } | undefined } }, value: unknown): string {
  const error = check.Errors(value).First();
  return error === undefined ? "invalid" : `${error.path || "/"}: ${error.message}`;
}
