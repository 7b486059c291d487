/**
 * The ValidatingAdmissionWebhook plugin: finds the webhooks of stored ValidatingWebhookConfigurations
 * that match a request (operations, groups, versions, resources/subresources, scope, namespace and
 * object selectors), sends each an AdmissionReview v1 through an injected caller, and turns the
 * answers into the apiserver's verdicts: a denial keeps the webhook's code (400 when it gives none) and
 * reads `admission webhook "<name>" denied the request: <message>`; an unreachable or invalid webhook
 * under failurePolicy Fail is `Internal error occurred: failed calling webhook "<name>": <detail>`.
 * Does not model: mutating webhooks, matchPolicy Equivalent across versions, reinvocation, the
 * admission.k8s.io/v1beta1 review version, audit annotations.
 */
import type { VirtualClock } from "@container-actions/sim-kernel";
import { type KubeStatus, badRequest, internalError } from "./kube-status.ts";
import { type Json, type JsonObject, isJsonObject } from "./json.ts";
import type { ResourceInfo } from "./resource-registry.ts";
import { labelSelectorObject, matchesLabels } from "./selectors.ts";

export const AdmissionOperation = { create: "CREATE", update: "UPDATE", delete: "DELETE" } as const;
export type AdmissionOperation = (typeof AdmissionOperation)[keyof typeof AdmissionOperation];

/** The authenticated user of a request. */
export interface UserInfo {
  username: string;
  uid?: string;
  groups?: string[];
}

/** What the admission chain sees of one request. */
export interface AdmissionAttributes {
  operation: AdmissionOperation;
  resource: ResourceInfo;
  subresource?: string;
  namespace: string;
  name: string;
  object: JsonObject | null;
  oldObject: JsonObject | null;
  user: UserInfo;
  dryRun: boolean;
  options: JsonObject;
}

/** The webhook to call: its configuration, its entry, where it listens and for how long to wait. */
export interface WebhookTarget {
  configurationName: string;
  webhook: JsonObject;
  name: string;
  /** clientConfig.url, or the service URL `https://<name>.<namespace>.svc:<port><path>`. */
  url: string;
  /** clientConfig.caBundle, base64 PEM, when set. */
  caBundle?: string;
  timeoutSeconds: number;
}

/** What a webhook call gave: a review to check, or a transport failure with the client's wording. */
export type WebhookReply = { kind: "reviewed"; review: unknown } | { kind: "unreachable"; detail: string };

/** Sends one AdmissionReview and resolves with the answer; never rejects for transport failures. */
export type CallWebhook = (target: WebhookTarget, review: JsonObject) => Promise<WebhookReply>;

export type AdmissionVerdict = { kind: "allowed"; warnings: string[] } | { kind: "denied"; status: KubeStatus };

function strings(v: Json | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function resourceMatches(patterns: readonly string[], resource: string, subresource: string | undefined): boolean {
  const sub = subresource ?? "";
  return patterns.some((p) => {
    if (p === "*/*") return true;
    const [res, psub] = p.split("/", 2) as [string, string | undefined];
    if (psub === undefined) return sub === "" && (res === "*" || res === resource);
    if (res !== "*" && res !== resource) return false;
    return psub === "*" || psub === sub;
  });
}

function ruleMatches(rule: JsonObject, a: AdmissionAttributes): boolean {
  const ops = strings(rule.operations);
  if (!ops.includes("*") && !ops.includes(a.operation)) return false;
  const groups = strings(rule.apiGroups);
  if (!groups.includes("*") && !groups.includes(a.resource.group)) return false;
  const versions = strings(rule.apiVersions);
  if (!versions.includes("*") && !versions.includes(a.resource.version)) return false;
  if (!resourceMatches(strings(rule.resources), a.resource.resource, a.subresource)) return false;
  const scope = typeof rule.scope === "string" ? rule.scope : "*";
  if (scope === "Cluster" && a.resource.namespaced) return false;
  if (scope === "Namespaced" && !a.resource.namespaced) return false;
  return true;
}

function labelsOf(obj: JsonObject | null): Record<string, string> | undefined {
  const meta = obj?.metadata;
  return isJsonObject(meta) && isJsonObject(meta.labels) ? (meta.labels as Record<string, string>) : undefined;
}

/** Whether a webhook entry applies to a request (rules, then namespace and object selectors). */
export function webhookMatches(
  webhook: JsonObject,
  a: AdmissionAttributes,
  namespaceLabels: (namespace: string) => Record<string, string> | undefined,
): boolean {
  const rules = Array.isArray(webhook.rules) ? webhook.rules.filter(isJsonObject) : [];
  if (!rules.some((r) => ruleMatches(r, a))) return false;
  const nsReqs = labelSelectorObject(webhook.namespaceSelector);
  if (nsReqs.length > 0) {
    const isNamespace = a.resource.group === "" && a.resource.resource === "namespaces";
    if (a.resource.namespaced || isNamespace) {
      const labels = isNamespace ? labelsOf(a.object ?? a.oldObject) : namespaceLabels(a.namespace);
      if (!matchesLabels(nsReqs, labels)) return false;
    }
  }
  const objReqs = labelSelectorObject(webhook.objectSelector);
  if (objReqs.length > 0) {
    const hit = (o: JsonObject | null) => o !== null && matchesLabels(objReqs, labelsOf(o));
    if (!hit(a.object) && !hit(a.oldObject)) return false;
  }
  return true;
}

function targetOf(configurationName: string, webhook: JsonObject): WebhookTarget {
  const cc = isJsonObject(webhook.clientConfig) ? webhook.clientConfig : {};
  let url = typeof cc.url === "string" ? cc.url : "";
  if (url === "" && isJsonObject(cc.service)) {
    const s = cc.service;
    url = `https://${String(s.name)}.${String(s.namespace)}.svc:${typeof s.port === "number" ? s.port : 443}${typeof s.path === "string" ? s.path : ""}`;
  }
  const target: WebhookTarget = {
    configurationName,
    webhook,
    name: typeof webhook.name === "string" ? webhook.name : "",
    url,
    timeoutSeconds: typeof webhook.timeoutSeconds === "number" ? webhook.timeoutSeconds : 10,
  };
  if (typeof cc.caBundle === "string" && cc.caBundle !== "") target.caBundle = cc.caBundle;
  return target;
}

/** The AdmissionReview v1 request for one call. */
export function admissionReview(a: AdmissionAttributes, uid: string): JsonObject {
  const kind = { group: a.resource.group, version: a.resource.version, kind: a.resource.kind };
  const resource = { group: a.resource.group, version: a.resource.version, resource: a.resource.resource };
  const request: JsonObject = { uid, kind, resource };
  if (a.subresource !== undefined) request.subResource = a.subresource;
  request.requestKind = kind;
  request.requestResource = resource;
  if (a.subresource !== undefined) request.requestSubResource = a.subresource;
  if (a.name !== "") request.name = a.name;
  if (a.namespace !== "") request.namespace = a.namespace;
  request.operation = a.operation;
  const user: JsonObject = { username: a.user.username };
  if (a.user.uid !== undefined) user.uid = a.user.uid;
  if (a.user.groups !== undefined) user.groups = a.user.groups;
  request.userInfo = user;
  // The store hands admission its own copies (or frozen stored objects): nothing to copy here.
  request.object = a.object;
  request.oldObject = a.oldObject;
  request.dryRun = a.dryRun;
  request.options = a.options;
  return { kind: "AdmissionReview", apiVersion: "admission.k8s.io/v1", request };
}

type CallResult = { kind: "allowed"; warnings: string[] } | { kind: "denied"; status: KubeStatus } | { kind: "failed"; detail: string };

/** Checks a review as the apiserver does and reads its verdict. */
function readReview(name: string, review: unknown, uid: string): CallResult {
  if (!isJsonObject(review) || review.apiVersion !== "admission.k8s.io/v1" || review.kind !== "AdmissionReview") {
    const gv = isJsonObject(review) ? `${String(review.apiVersion ?? "")}, Kind=${String(review.kind ?? "")}` : ", Kind=";
    return { kind: "failed", detail: `received invalid webhook response: expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${gv}` };
  }
  const response = review.response;
  if (!isJsonObject(response)) return { kind: "failed", detail: "received invalid webhook response: webhook response was absent" };
  if (response.uid !== uid) {
    return { kind: "failed", detail: `received invalid webhook response: expected response.uid="${uid}", got "${String(response.uid ?? "")}"` };
  }
  const warnings = strings(response.warnings);
  if (response.allowed === true) return { kind: "allowed", warnings };
  return { kind: "denied", status: deniedStatus(name, isJsonObject(response.status) ? response.status : undefined) };
}

/** webhookerrors.ToStatusErr: the webhook's Status, code at least 400, message prefixed with who denied. */
function deniedStatus(name: string, result: JsonObject | undefined): KubeStatus {
  const deniedBy = `admission webhook "${name}" denied the request`;
  const code = typeof result?.code === "number" && result.code >= 400 ? result.code : 400;
  const message = typeof result?.message === "string" && result.message !== "" ? result.message : "";
  const reason = typeof result?.reason === "string" && result.reason !== "" ? result.reason : "";
  const status: KubeStatus = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure" };
  status.message = message !== "" ? `${deniedBy}: ${message}` : reason !== "" ? `${deniedBy}: ${reason}` : `${deniedBy} without explanation`;
  if (reason !== "") status.reason = reason;
  if (isJsonObject(result?.details)) status.details = result.details as KubeStatus["details"] & object;
  status.code = code;
  return status;
}

export interface AdmissionDeps {
  clock: VirtualClock;
  newUid: () => string;
  callWebhook: CallWebhook | undefined;
  namespaceLabels: (namespace: string) => Record<string, string> | undefined;
}

/**
 * Runs every matching webhook of `configurations` (ordered by configuration name, then entry order),
 * all at once, and answers the first refusal in that order, or allowed with every warning.
 */
export async function runValidatingWebhooks(configurations: readonly JsonObject[], a: AdmissionAttributes, deps: AdmissionDeps): Promise<AdmissionVerdict> {
  const isWebhookConfig = a.resource.group === "admissionregistration.k8s.io";
  if (isWebhookConfig) return { kind: "allowed", warnings: [] };
  const sorted = [...configurations].sort((x, y) => String((x.metadata as JsonObject).name).localeCompare(String((y.metadata as JsonObject).name)));
  const targets: WebhookTarget[] = [];
  for (const c of sorted) {
    const name = String((c.metadata as JsonObject).name);
    for (const w of Array.isArray(c.webhooks) ? c.webhooks.filter(isJsonObject) : []) {
      if (webhookMatches(w, a, deps.namespaceLabels)) targets.push(targetOf(name, w));
    }
  }
  if (targets.length === 0) return { kind: "allowed", warnings: [] };
  if (a.dryRun) {
    for (const t of targets) {
      const effects = t.webhook.sideEffects;
      if (effects !== "None" && effects !== "NoneOnDryRun") return { kind: "denied", status: badRequest(`admission webhook "${t.name}" does not support dry run`) };
    }
  }
  const results = await Promise.all(targets.map((t) => callOne(t, a, deps)));
  const warnings: string[] = [];
  for (const [i, r] of results.entries()) {
    const t = targets[i] as WebhookTarget;
    switch (r.kind) {
      case "allowed":
        warnings.push(...r.warnings);
        break;
      case "denied":
        return r;
      case "failed":
        if (t.webhook.failurePolicy === "Ignore") break;
        return { kind: "denied", status: internalError(`failed calling webhook "${t.name}": ${r.detail}`) };
      default: {
        const never: never = r;
        return never;
      }
    }
  }
  return { kind: "allowed", warnings };
}

async function callOne(t: WebhookTarget, a: AdmissionAttributes, deps: AdmissionDeps): Promise<CallResult> {
  const uid = deps.newUid();
  const review = admissionReview(a, uid);
  if (deps.callWebhook === undefined) return { kind: "failed", detail: `Post "${t.url}": no webhook transport configured` };
  let cancel = () => {};
  const timeout = new Promise<"timeout">((resolve) => {
    cancel = deps.clock.setTimer(t.timeoutSeconds * 1000, () => resolve("timeout"));
  });
  const reply = await Promise.race([deps.callWebhook(t, review), timeout]);
  cancel();
  if (reply === "timeout") return { kind: "failed", detail: `Post "${t.url}?timeout=${t.timeoutSeconds}s": context deadline exceeded` };
  if (reply.kind === "unreachable") return { kind: "failed", detail: reply.detail };
  return readReview(t.name, reply.review, uid);
}

/** `metav1.CreateOptions` / `UpdateOptions` / `DeleteOptions` as a review carries them. */
export function admissionOptions(operation: AdmissionOperation, fieldManager: string | undefined, dryRun: boolean): JsonObject {
  const kind = operation === "CREATE" ? "CreateOptions" : operation === "UPDATE" ? "UpdateOptions" : "DeleteOptions";
  const out: JsonObject = { kind, apiVersion: "meta.k8s.io/v1" };
  if (dryRun) out.dryRun = ["All"];
  if (fieldManager !== undefined && operation !== "DELETE") out.fieldManager = fieldManager;
  if (operation === "DELETE") out.propagationPolicy = "Background";
  return out;
}

