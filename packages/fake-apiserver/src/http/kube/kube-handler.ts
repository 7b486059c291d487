/**
 * The fake apiserver's HTTP semantics over a plain request/response pair, so it can be driven without
 * sockets: discovery, health, CRUD, PATCH by Content-Type, watches streamed as JSON lines (with
 * timeoutSeconds, bookmarks, watch-list and 410 Expired), Table output for kubectl, `fieldManager`,
 * `dryRun` and `fieldValidation`.
 * Does not model: protobuf, deletecollection (405), aggregated discovery (kubectl falls back to the legacy documents).
 */
import {
  type ApiOutcome,
  type ClusterStore,
  type KubeApi,
  type DeleteOptions,
  type JsonObject,
  type KubeStatus,
  type RequestContext,
  type ResourceInfo,
  type UserInfo,
  type WatchEvent,
  type WatchOptions,
  PatchType,
  RESOURCE_NOT_FOUND,
  duplicateJsonFields,
  jsonPatchStrictErrors,
} from "../../cluster/index.ts";
import { knownDirective, noteStrictErrors, unsupportedDirective } from "./field-validation-params.ts";
import { OPENAPI_V2, OPENAPI_V2_PROTOBUF_TYPE, SIM_VERSION, openApiV2Protobuf, apiGroup, apiGroupList, apiResourceList, apiVersions } from "./discovery.ts";
import { parseKubePath, queryFlag } from "./kube-routes.ts";
import { type IncludeObject, toTable } from "./printer-table.ts";

/** One HTTP request, already read: the authenticated user comes from the client certificate. */
export interface WireRequest {
  method: string;
  /** Path and query. */
  url: string;
  headers: Record<string, string | undefined>;
  body: string;
  user: UserInfo;
}

/** Where an answer goes; streaming answers call write() many times. */
export interface WireResponse {
  head(status: number, headers: Record<string, string>): void;
  write(chunk: string): void;
  end(chunk?: string | Uint8Array): void;
  /** Registers what to do when the client goes away. */
  onClose(callback: () => void): void;
}

export interface KubeHandlerDeps {
  store: ClusterStore;
  /**
   * What the verbs and watches go through, asked per request: the store itself by default, or a fault
   * wrapper (FaultyCluster, a lagged watch) the control API swaps in. Discovery always reads the store.
   */
  api?: () => KubeApi;
  /** host:port, as /api reports it. */
  serverAddress: string;
  /** Default watch timeout when the client gives none (the apiserver: 30 to 60 min). */
  defaultWatchTimeoutS?: number;
}


const METHOD_NOT_ALLOWED: KubeStatus = {
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Failure",
  message: "the server does not allow this method on the requested resource",
  reason: "MethodNotAllowed",
  details: {},
  code: 405,
};

function sendJson(res: WireResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  res.head(status, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", ...extra });
  res.end(JSON.stringify(body));
}

function sendStatus(res: WireResponse, status: KubeStatus): void {
  const extra: Record<string, string> = {};
  if (status.details?.retryAfterSeconds !== undefined) extra["Retry-After"] = String(status.details.retryAfterSeconds);
  sendJson(res, status.code ?? 500, status, extra);
}

function badRequestStatus(message: string): KubeStatus {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "BadRequest", code: 400 };
}

/** Accept: application/json;as=Table;v=v1;g=meta.k8s.io (v1beta1 answered as v1). */
function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept);
}

function warningHeaders(warnings: string[] | undefined): Record<string, string> {
  if (warnings === undefined || warnings.length === 0) return {};
  return { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(", ") };
}

/** Serves one request against the store. Never throws for a request the apiserver would answer. */
export async function handleKubeRequest(deps: KubeHandlerDeps, req: WireRequest, res: WireResponse): Promise<void> {
  const url = new URL(req.url, "https://apiserver.local");
  const route = parseKubePath(url.pathname);
  switch (route.kind) {
    case "version":
      return sendJson(res, 200, SIM_VERSION);
    case "health":
      res.head(200, { "Content-Type": "text/plain; charset=utf-8" });
      return res.end("ok");
    case "openapi":
      if (route.version === "v2") {
        if (!/protobuf/.test(req.headers.accept ?? "")) return sendJson(res, 200, OPENAPI_V2);
        res.head(200, { "Content-Type": OPENAPI_V2_PROTOBUF_TYPE });
        return res.end(openApiV2Protobuf());
      }
      res.head(404, { "Content-Type": "text/plain; charset=utf-8" });
      return res.end("404 page not found\n");
    case "apiVersions":
      return sendJson(res, 200, apiVersions(deps.serverAddress));
    case "apiGroupList":
      return sendJson(res, 200, apiGroupList(deps.store));
    case "apiGroup": {
      const g = apiGroup(deps.store, route.group);
      return g === undefined ? sendStatus(res, RESOURCE_NOT_FOUND) : sendJson(res, 200, g);
    }
    case "resourceList": {
      const list = apiResourceList(deps.store, route.group, route.version);
      return list === undefined ? sendStatus(res, RESOURCE_NOT_FOUND) : sendJson(res, 200, list);
    }
    case "unknown":
      return sendStatus(res, RESOURCE_NOT_FOUND);
    case "resource":
      return handleResource(deps, req, res, url, route);
    default: {
      const never: never = route;
      return never;
    }
  }
}

type ResourceRoute = Extract<ReturnType<typeof parseKubePath>, { kind: "resource" }>;

async function handleResource(deps: KubeHandlerDeps, req: WireRequest, res: WireResponse, url: URL, route: ResourceRoute): Promise<void> {
  const { store } = deps;
  const api = deps.api?.() ?? store;
  const ref = { group: route.group, version: route.version, resource: route.resource };
  const info = store.resource(ref);
  if (info === undefined) return sendStatus(res, RESOURCE_NOT_FOUND);
  if (route.subresource !== undefined && !(route.subresource === "status" && info.statusSubresource)) return sendStatus(res, RESOURCE_NOT_FOUND);
  const subresource = route.subresource === "status" ? ("status" as const) : undefined;
  const q = url.searchParams;
  const context: RequestContext = { user: req.user };
  const ua = req.headers["user-agent"];
  if (ua !== undefined) context.userAgent = ua;
  const fieldManager = q.get("fieldManager");
  if (fieldManager !== null) context.fieldManager = fieldManager;
  if (q.getAll("dryRun").includes("All")) context.dryRun = true;
  const validation = q.get("fieldValidation");
  if (validation === "Strict" || validation === "Warn" || validation === "Ignore") context.fieldValidation = validation;
  const force = q.get("force");
  if (force !== null) context.force = force === "true";
  const table = wantsTable(req.headers.accept);
  const include = (q.get("includeObject") ?? "Metadata") as IncludeObject;
  const namespace = info.namespaced ? route.namespace : undefined;
  const method = req.method.toUpperCase();
  const isWatch = route.watchPath || queryFlag(q, "watch");

  if (method === "GET" && isWatch) {
    const options: WatchOptions = { allowWatchBookmarks: queryFlag(q, "allowWatchBookmarks") };
    if (q.has("sendInitialEvents")) options.sendInitialEvents = queryFlag(q, "sendInitialEvents");
    const match = q.get("resourceVersionMatch");
    if (match !== null && match !== "") options.resourceVersionMatch = match;
    if (namespace !== undefined) options.namespace = namespace;
    const rv = q.get("resourceVersion");
    if (rv !== null) options.resourceVersion = rv;
    const labels = q.get("labelSelector");
    if (labels !== null) options.labelSelector = labels;
    const fields = [q.get("fieldSelector"), route.name !== undefined ? `metadata.name=${route.name}` : null].filter((f): f is string => f !== null && f !== "");
    if (fields.length > 0) options.fieldSelector = fields.join(",");
    const timeout = Number(q.get("timeoutSeconds") ?? deps.defaultWatchTimeoutS ?? 1800);
    return streamWatch(store, api, info, options, timeout, table ? include : undefined, res);
  }

  let outcome: ApiOutcome;
  switch (method) {
    case "GET": {
      const rv = q.get("resourceVersion");
      if (route.name !== undefined) outcome = await api.request({ verb: "get", resource: ref, namespace, name: route.name, context, ...(rv !== null ? { resourceVersion: rv } : {}) });
      else {
        const labels = q.get("labelSelector");
        const fields = q.get("fieldSelector");
        const limit = q.get("limit");
        const cont = q.get("continue");
        const match = q.get("resourceVersionMatch");
        outcome = await api.request({
          verb: "list",
          resource: ref,
          namespace,
          context,
          ...(labels !== null ? { labelSelector: labels } : {}),
          ...(fields !== null ? { fieldSelector: fields } : {}),
          ...(limit !== null && /^\d+$/.test(limit) ? { limit: Number(limit) } : {}),
          ...(cont !== null ? { continue: cont } : {}),
          ...(rv !== null ? { resourceVersion: rv } : {}),
          ...(match !== null && match !== "" ? { resourceVersionMatch: match as "Exact" | "NotOlderThan" } : {}),
        });
      }
      if (outcome.kind === "ok" && table) {
        const items = route.name !== undefined ? [outcome.object] : ((outcome.object.items as JsonObject[] | undefined) ?? []);
        const meta = (outcome.object.metadata as JsonObject | undefined) ?? {};
        const listRv = String(meta.resourceVersion ?? store.resourceVersion());
        return sendJson(res, 200, toTable(info, items, listRv, store.clock.nowMs(), include, route.name === undefined ? meta : {}));
      }
      break;
    }
    case "POST": {
      if (route.name !== undefined) return sendStatus(res, METHOD_NOT_ALLOWED);
      if (!knownDirective(validation)) return sendStatus(res, unsupportedDirective("CreateOptions", validation));
      const body = parseJson(req.body);
      if (body.kind === "invalid") return sendStatus(res, badRequestStatus(`couldn't get version/kind; json parse error: ${body.message}`));
      noteStrictErrors(context, duplicateJsonFields, req.body);
      outcome = await api.request({ verb: "create", resource: ref, namespace, body: body.value, context });
      break;
    }
    case "PUT": {
      if (route.name === undefined) return sendStatus(res, METHOD_NOT_ALLOWED);
      if (!knownDirective(validation)) return sendStatus(res, unsupportedDirective("UpdateOptions", validation));
      const body = parseJson(req.body);
      if (body.kind === "invalid") return sendStatus(res, badRequestStatus(`couldn't get version/kind; json parse error: ${body.message}`));
      noteStrictErrors(context, duplicateJsonFields, req.body);
      outcome = await api.request({ verb: "update", resource: ref, namespace, name: route.name, body: body.value, context, ...(subresource ? { subresource } : {}) });
      break;
    }
    case "PATCH": {
      if (route.name === undefined) return sendStatus(res, METHOD_NOT_ALLOWED);
      const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
      const known = Object.values(PatchType) as string[];
      if (!known.includes(contentType)) {
        const accepted = info.custom ? [PatchType.json, PatchType.merge, PatchType.apply] : [PatchType.json, PatchType.merge, PatchType.strategic, PatchType.apply];
        return sendStatus(res, {
          kind: "Status",
          apiVersion: "v1",
          metadata: {},
          status: "Failure",
          message: `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
          reason: "UnsupportedMediaType",
          code: 415,
        });
      }
      if (!knownDirective(validation)) return sendStatus(res, unsupportedDirective("PatchOptions", validation));
      const patchType = contentType as PatchType;
      let patch: unknown = undefined;
      if (patchType === PatchType.json || patchType === PatchType.merge || patchType === PatchType.strategic) {
        const body = parseJson(req.body);
        if (body.kind === "invalid") {
          if (patchType === PatchType.json) return sendStatus(res, badRequestStatus(body.message));
          return sendStatus(res, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Invalid JSON Patch", code: 500 });
        }
        patch = body.value;
        noteStrictErrors(context, patchType === PatchType.json ? jsonPatchStrictErrors : duplicateJsonFields, req.body);
      } else patch = req.body;
      outcome = await api.request({ verb: "patch", resource: ref, namespace, name: route.name, patchType, patch, context, ...(subresource ? { subresource } : {}) });
      break;
    }
    case "DELETE": {
      if (route.name === undefined) return sendStatus(res, METHOD_NOT_ALLOWED);
      const options: DeleteOptions = {};
      const body = req.body.trim() === "" ? ({ kind: "ok", value: {} } as const) : parseJson(req.body);
      if (body.kind === "invalid") return sendStatus(res, badRequestStatus(body.message));
      const b = (typeof body.value === "object" && body.value !== null ? body.value : {}) as Record<string, unknown>;
      const pre = b.preconditions as { uid?: string; resourceVersion?: string } | undefined;
      if (pre !== undefined && pre !== null) options.preconditions = pre;
      const policy = (b.propagationPolicy as string | undefined) ?? q.get("propagationPolicy") ?? undefined;
      if (policy === "Orphan" || policy === "Background" || policy === "Foreground") options.propagationPolicy = policy;
      if (Array.isArray(b.dryRun) && b.dryRun.includes("All")) context.dryRun = true;
      outcome = await api.request({ verb: "delete", resource: ref, namespace, name: route.name, options, context });
      break;
    }
    default:
      return sendStatus(res, METHOD_NOT_ALLOWED);
  }
  if (outcome.kind === "failure") return sendStatus(res, outcome.status);
  return sendJson(res, outcome.code, outcome.object, warningHeaders(outcome.warnings));
}

function parseJson(text: string): { kind: "ok"; value: unknown } | { kind: "invalid"; message: string } {
  try {
    return { kind: "ok", value: JSON.parse(text) };
  } catch (e) {
    return { kind: "invalid", message: `invalid character in JSON: ${(e as Error).message}` };
  }
}

/** Streams a watch as JSON lines until timeoutSeconds (virtual clock), the client leaving, or the server ending it. */
function streamWatch(
  store: ClusterStore,
  api: KubeApi,
  info: ResourceInfo,
  options: WatchOptions,
  timeoutS: number,
  table: IncludeObject | undefined,
  res: WireResponse,
): void {
  const problem = store.checkWatch(info, options);
  if (problem !== undefined) return sendStatus(res, problem);
  res.head(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private" });
  let done = false;
  let stopWatch: (() => void) | undefined;
  let cancelTimer: (() => void) | undefined;
  const finish = () => {
    if (done) return;
    done = true;
    stopWatch?.();
    cancelTimer?.();
    res.end();
  };
  const render = (event: WatchEvent): unknown => {
    if (table === undefined || event.type === "ERROR" || event.type === "BOOKMARK") return event;
    const rv = String((event.object.metadata as JsonObject | undefined)?.resourceVersion ?? "");
    return { type: event.type, object: toTable(info, [event.object], rv, store.clock.nowMs(), table) };
  };
  const handle = api.watch(
    info,
    options,
    (event) => {
      if (!done) res.write(`${JSON.stringify(render(event))}\n`);
    },
    () => finish(),
  );
  stopWatch = () => handle.stop();
  if (done) {
    handle.stop();
    return;
  }
  cancelTimer = store.clock.setTimer(Math.max(0, timeoutS) * 1000, finish);
  res.onClose(finish);
}
