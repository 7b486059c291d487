/**
 * The fake kube-apiserver's storage and REST semantics, in memory and deterministic: one global
 * resourceVersion counter, the apiserver's create/update/patch/delete pipelines (decode, strategy,
 * validation, admission, optimistic concurrency, finalizers), managedFields, and watches from a
 * bounded history. Both faces use it: property tests in-process, kubectl and client-node over HTTPS.
 *
 * Guarantees: every answer (code, reason, message) is the one kube-apiserver v1.20 gives for the same
 * request, except where e2e/kube/KNOWN-GAPS.md says otherwise; watch events are delivered
 * synchronously, in commit order, before the writing call resolves; nothing depends on wall time or
 * Math.random (uids and generated names come from a seeded PRNG, time from the virtual clock).
 *
 * Server-side apply follows current apiservers (server-side-apply.ts). Does not model: strategic merge patch semantics on built-ins (treated as a
 * merge patch), namespace and CRD finalization by controllers
 * (a deleted namespace stays Terminating; a deleted CRD takes its objects with it at once), garbage
 * collection of ownerReferences, RBAC and authentication (every caller is an admin), conversion between
 * CRD versions, mutating webhooks, the 10-entry cap on managedFields.
 */
import type { VirtualClock } from "@container-actions/sim-kernel";
import { Prng } from "@container-actions/sim-kernel";
import {
  type ApiOutcome,
  type ApiRequest,
  type DeleteOptions,
  type KubeApi,
  type ListPaging,
  type PatchType,
  type RequestContext,
  type WatchOptions,
  PatchType as Patch,
  fail,
  ok,
} from "./api-request.ts";
import { builtinFieldSchema, zeroObject } from "./builtin-defaults.ts";
import { establishedStatus } from "./crd-status.ts";
import { decodeObject, strictDecodingPolicy } from "./decode-object.ts";
import { goSprint, invalidRaw } from "./field-errors.ts";
import { encodeContinue, page, planListRead, snapshotBefore, tooLargeResourceVersion } from "./list-paging.ts";
import { initialEventsEndBookmark, watchListOptionsProblem } from "./watch-list.ts";
import { applyJsonPatch } from "./json-patch.ts";
import { applyMergePatch } from "./json-merge-patch.ts";
import { type Json, type JsonObject, isJsonObject, jsonEqual, cloneJson, toGoJson } from "./json.ts";
import {
  type KubeStatus,
  alreadyExists,
  badRequest,
  conflict,
  deletedStatus,
  forbidden,
  invalid,
  notFound,
  preconditionConflict,
  RESOURCE_NOT_FOUND,
  unclassified,
  unprocessable,
  unsupportedMediaType,
} from "./kube-status.ts";
import { type Writer, decodeManagedFields, updateManagedFields } from "./managed-fields.ts";
import { type ApplyIntent, applyOwnership, applyStrictness, forceOnNonApply, missingFieldManager, parseApplyBody, planApply, untypableLive } from "./server-side-apply.ts";
import type { SchemaNode } from "./structural-schema.ts";
import { rfc3339Seconds } from "./object-meta.ts";
import {
  CRD_REF,
  NAMESPACE_REF,
  type ResourceInfo,
  type ResourceRef,
  ResourceRegistry,
  WEBHOOK_CONFIG_REF,
  apiVersionOf,
  resourcesOfCrd,
} from "./resource-registry.ts";
import { canonicalOrder, metaOf, prepareCreate, prepareUpdate, typeMetaErrors, validateCreate, validateUpdate } from "./rest-strategy.ts";
import { parseFieldSelector, parseLabelSelector, matchesFields, matchesLabels } from "./selectors.ts";
import {
  type AdmissionOperation,
  type AdmissionVerdict,
  type CallWebhook,
  type UserInfo,
  admissionOptions,
  runValidatingWebhooks,
} from "./validating-admission.ts";
import { type WatchEndReason, type WatchEvent, type WatchHandle, WatchHub, WatchEndReason as EndReason } from "./watch-hub.ts";

export interface ClusterStoreOptions {
  clock: VirtualClock;
  /** Seeds uids, generateName suffixes and AdmissionReview uids (default 1). */
  seed?: number;
  /** Changes kept per resource for watch replay (default 1000). */
  watchHistoryLimit?: number;
  /** Period of BOOKMARK events for watchers that allow them (default 60 000, like the apiserver). */
  bookmarkIntervalMs?: number;
  /** Namespaces that exist from the start (default: default, kube-system, kube-public, kube-node-lease). */
  namespaces?: readonly string[];
  /** How admission webhooks are reached; without it a matching webhook counts as unreachable. */
  callWebhook?: CallWebhook;
  /**
   * Hand watchers the committed objects themselves instead of deep copies (only for stores whose
   * stored objects are never changed and never handed out to be changed: FastClusterStore).
   */
  shareWatchObjects?: boolean;
}

export interface ListOptions extends ListPaging {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** The identity of the served kubeconfig's client certificate. */
export const ADMIN_USER: UserInfo = { username: "admin", groups: ["system:masters", "system:authenticated"] };
const DEFAULT_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];
const GENERATE_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** A write's candidate object; `patched` renders a JSON or merge patch's result for Strict's 422. */
type Produced = { kind: "ok"; object: JsonObject; unknownFields?: string[]; patched?: () => string } | { kind: "failure"; status: KubeStatus };

/** The field manager of a request: `fieldManager`, else the User-Agent up to its first `/`. */
export function managerOf(context: RequestContext | undefined): string {
  if (context?.fieldManager !== undefined && context.fieldManager !== "") return context.fieldManager;
  const ua = context?.userAgent ?? "unknown";
  return [...(ua.split("/")[0] ?? "")].filter((c) => c >= " " && c !== "\u007f").join("").slice(0, 128);
}

/** Stores managedFields, or drops the field when no entry is left (the apiserver omits it). */
function setManagedFields(meta: JsonObject, entries: Json[]): void {
  if (entries.length > 0) meta.managedFields = entries;
  else delete meta.managedFields;
}

function storageKey(info: { group: string; resource: string }): string {
  return `${info.group}/${info.resource}`;
}

/** The etcd key the apiserver would store an object under (it shows in storage errors). */
function etcdKey(info: ResourceInfo, ns: string, name: string): string {
  const prefix = info.custom || info.group === CRD_REF.group ? `/registry/${info.group}/${info.resource}` : `/registry/${info.resource}`;
  return ns === "" ? `${prefix}/${name}` : `${prefix}/${ns}/${name}`;
}

function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function stringList(v: Json | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** In-memory kube-apiserver storage and REST semantics; see the file comment for what it models. */
export class ClusterStore implements KubeApi {
  readonly clock: VirtualClock;
  readonly registry = new ResourceRegistry();
  private revision = 0;
  private readonly data = new Map<string, Map<string, JsonObject>>();
  private readonly hub: WatchHub;
  private readonly prng: Prng;
  private callWebhook: CallWebhook | undefined;

  /** A store with the default namespaces (or `options.namespaces`); `base` is for {@link fork} only. */
  constructor(options: ClusterStoreOptions, base?: ClusterStore) {
    this.clock = options.clock;
    this.prng = new Prng(options.seed ?? 1);
    this.callWebhook = options.callWebhook;
    this.hub = new WatchHub({
      clock: options.clock,
      historyLimit: options.watchHistoryLimit ?? 1000,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
      shareObjects: options.shareWatchObjects === true,
    });
    if (base !== undefined) {
      this.revision = base.revision;
      for (const r of base.registry.all()) this.registry.add(r);
      for (const [key, objects] of base.data) this.data.set(key, new Map(objects));
    }
    for (const r of this.registry.all()) this.openResource(r);
    if (base === undefined) for (const ns of options.namespaces ?? DEFAULT_NAMESPACES) this.seedNamespace(ns);
  }

  /**
   * A new store with the same objects, kinds and resourceVersion, and its own clock, PRNG, webhook
   * caller and watchers: build a world's base cluster (namespaces, CRDs) once and fork it per run —
   * stored objects are never mutated, so they are shared, and a fork costs a map copy. Watch history
   * starts at the fork: older resourceVersions get 410, as after an apiserver restart.
   */
  fork(options: Omit<ClusterStoreOptions, "namespaces">): ClusterStore {
    return new (this.constructor as new (o: ClusterStoreOptions, b: ClusterStore) => ClusterStore)(options, this);
  }

  /** Installs the transport for admission webhooks (the wire face brings an HTTPS one). */
  setCallWebhook(call: CallWebhook | undefined): void {
    this.callWebhook = call;
  }

  /** The current global resourceVersion. */
  resourceVersion(): string {
    return String(this.revision);
  }

  /** Looks a resource up by group, version and plural; undefined when not served. */
  resource(ref: ResourceRef): ResourceInfo | undefined {
    return this.registry.find(ref);
  }

  /** Serves one request; never rejects for anything a real apiserver would answer with a Status. */
  request(req: ApiRequest): Promise<ApiOutcome> {
    switch (req.verb) {
      case "get":
        return Promise.resolve(this.get(req.resource, req.namespace, req.name, req.resourceVersion));
      case "list":
        return Promise.resolve(this.list(req.resource, req));
      case "create":
        return this.create(req.resource, req.namespace, req.body, req.context);
      case "update":
        return this.update(req.resource, req.namespace, req.name, req.body, req.context, req.subresource);
      case "patch":
        return this.patch(req.resource, req.namespace, req.name, req.patchType, req.patch, req.context, req.subresource);
      case "delete":
        return this.delete(req.resource, req.namespace, req.name, req.options, req.context);
      default: {
        const never: never = req;
        return never;
      }
    }
  }

  // ---- reads -------------------------------------------------------------------------------------

  /** GET one object (a deep copy), optionally at a resourceVersion it must not be older than. */
  get(ref: ResourceRef, namespace: string | undefined, name: string, resourceVersion = ""): ApiOutcome {
    const info = this.registry.find(ref);
    if (info === undefined) return fail(RESOURCE_NOT_FOUND);
    // A GET at a resourceVersion means "not older than": the latest, unless the store has not reached it.
    if (resourceVersion !== "" && !/^\d+$/.test(resourceVersion)) return fail(badRequest(`invalid resource version: ${resourceVersion}`));
    if (resourceVersion !== "" && Number(resourceVersion) > this.revision) return fail(tooLargeResourceVersion(Number(resourceVersion), this.revision));
    const found = this.lookup(info, this.nsOf(info, namespace), name);
    if (found === undefined) return fail(notFound(info, name));
    return ok(this.served(info, found));
  }

  /**
   * LIST, optionally in one namespace and by label and field selectors; paged by `limit`/`continue`
   * and read at a resourceVersion (list-paging.ts).
   */
  list(ref: ResourceRef, options: ListOptions = {}): ApiOutcome {
    const info = this.registry.find(ref);
    if (info === undefined) return fail(RESOURCE_NOT_FOUND);
    const labels = parseLabelSelector(options.labelSelector ?? "");
    if (labels.kind === "invalid") return fail(badRequest(labels.message));
    const fields = parseFieldSelector(options.fieldSelector ?? "", info.fieldLabels);
    if (fields.kind === "invalid") return fail(badRequest(fields.message));
    const namespace = info.namespaced ? options.namespace : undefined;
    const read = planListRead(options, {
      revision: this.revision,
      latest: () => this.objectsOf(info, undefined),
      at: (rv) => this.snapshot(info, rv),
      oldest: () => this.oldestReadable(info),
    });
    if (read.kind === "failure") return fail(read.status);
    const relative = (o: JsonObject) => {
      const m = metaOf(o);
      return namespace !== undefined || !info.namespaced ? String(m.name) : `${String(m.namespace ?? "")}/${String(m.name)}`;
    };
    const matching = read.objects
      .filter((o) => (namespace === undefined || metaOf(o).namespace === namespace) && matchesLabels(labels.selector, metaOf(o).labels as Record<string, string> | undefined) && matchesFields(fields.selector, o))
      .map((o) => ({ key: relative(o), item: o }));
    const cut = page(matching, read.start, read.limit);
    const items = cut.items.map((o) => this.listItem(info, o));
    const resourceVersion = String(read.rv);
    const listMeta: JsonObject = {};
    const next = cut.nextStart === undefined ? "" : encodeContinue({ rv: read.rv, start: cut.nextStart });
    // remainingItemCount only when nothing filters: etcd counts the keys left in the range.
    const remaining = cut.nextStart !== undefined && labels.selector.length === 0 && fields.selector.length === 0 ? cut.remaining : undefined;
    const apiVersion = apiVersionOf(info);
    if (info.custom) {
      listMeta.continue = next;
      if (remaining !== undefined) listMeta.remainingItemCount = remaining;
      listMeta.resourceVersion = resourceVersion;
      return ok({ apiVersion, items, kind: info.listKind, metadata: listMeta });
    }
    listMeta.resourceVersion = resourceVersion;
    if (next !== "") listMeta.continue = next;
    if (remaining !== undefined) listMeta.remainingItemCount = remaining;
    return ok({ kind: info.listKind, apiVersion, metadata: listMeta, items });
  }

  /** The objects of a resource at resourceVersion `rv`, in key order; undefined when compacted. */
  private snapshot(info: ResourceInfo, rv: number): JsonObject[] | undefined {
    if (rv >= this.revision) return this.objectsOf(info, undefined);
    const changes = this.hub.changesAfter(storageKey(info), rv);
    if (changes.kind === "compacted") return undefined;
    const current = this.data.get(storageKey(info)) ?? new Map<string, JsonObject>();
    const past = snapshotBefore(current, changes.changes, (ns, o) => objectKey(ns, String(metaOf(o).name)));
    return [...past.keys()].sort().map((k) => past.get(k) as JsonObject);
  }

  private oldestReadable(info: ResourceInfo): number {
    const changes = this.hub.changesAfter(storageKey(info), -1);
    return changes.kind === "compacted" ? changes.oldest : 0;
  }

  /** The stored objects of a resource (deep copies), sorted by namespace/name like etcd keys. */
  objects(ref: ResourceRef, namespace?: string): JsonObject[] {
    const info = this.registry.find(ref);
    if (info === undefined) return [];
    return this.objectsOf(info, namespace).map((o) => this.served(info, o));
  }

  /** Checks watch options as the wire must before answering 200; undefined when the watch may start. */
  checkWatch(ref: ResourceRef, options: WatchOptions): KubeStatus | undefined {
    const info = this.registry.find(ref);
    if (info === undefined) return RESOURCE_NOT_FOUND;
    const labels = parseLabelSelector(options.labelSelector ?? "");
    if (labels.kind === "invalid") return badRequest(labels.message);
    const fields = parseFieldSelector(options.fieldSelector ?? "", info.fieldLabels);
    if (fields.kind === "invalid") return badRequest(fields.message);
    const rv = options.resourceVersion ?? "";
    if (rv !== "" && !/^\d+$/.test(rv)) {
      return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `resourceVersion: Invalid value: "${rv}": strconv.ParseUint: parsing "${rv}": invalid syntax`, code: 500 };
    }
    const watchList = watchListOptionsProblem(options);
    if (watchList !== undefined) return watchList;
    // A watch-list waits until its state is at least as new; the store commits synchronously, so never.
    if (options.sendInitialEvents !== undefined && rv !== "" && Number(rv) > this.revision) return tooLargeResourceVersion(Number(rv), this.revision);
    return undefined;
  }

  /**
   * Watches a resource. Events arrive synchronously, in commit order. A start before the history
   * window gets one ERROR (410 Expired) and the watch ends with `onEnd("expired")`; invalid options
   * get one ERROR and `onEnd("invalid")`. A client's own stop() reports nothing.
   */
  watch(ref: ResourceRef, options: WatchOptions, onEvent: (event: WatchEvent) => void, onEnd?: (reason: WatchEndReason) => void): WatchHandle {
    const problem = this.checkWatch(ref, options);
    const info = this.registry.find(ref);
    if (problem !== undefined || info === undefined) {
      onEvent({ type: "ERROR", object: problem ?? RESOURCE_NOT_FOUND });
      onEnd?.(EndReason.invalid);
      return { stop: () => {}, stopped: true };
    }
    const labels = parseLabelSelector(options.labelSelector ?? "");
    const fields = parseFieldSelector(options.fieldSelector ?? "", info.fieldLabels);
    const filter = {
      ...(info.namespaced && options.namespace !== undefined ? { namespace: options.namespace } : {}),
      labels: labels.kind === "ok" ? labels.selector : [],
      fields: fields.kind === "ok" ? fields.selector : [],
    };
    const rv = options.resourceVersion ?? "";
    const legacyStart = rv === "" || rv === "0";
    // Watch-list: initial objects from the latest state whatever the resourceVersion (NotOlderThan), or none.
    const fromRv = options.sendInitialEvents === true ? undefined : options.sendInitialEvents === false && legacyStart ? this.revision : legacyStart ? undefined : Number(rv);
    const current = () => this.objectsOf(info, undefined).map((o) => ({ namespace: String(metaOf(o).namespace ?? ""), object: o }));
    const closing = options.sendInitialEvents === true && options.allowWatchBookmarks === true ? initialEventsEndBookmark({ apiVersion: apiVersionOf(info), kind: info.kind }, String(this.revision)) : undefined;
    return this.hub.watch(storageKey(info), filter, fromRv, current, options.allowWatchBookmarks === true, onEvent, onEnd, closing);
  }

  // ---- writes ------------------------------------------------------------------------------------

  /** POST: decode, namespace lifecycle, strategy, validation, admission, then 409 if the name is taken. */
  async create(ref: ResourceRef, namespace: string | undefined, body: unknown, context?: RequestContext, apply?: ApplyIntent): Promise<ApiOutcome> {
    const info = this.registry.find(ref);
    if (info === undefined) return fail(RESOURCE_NOT_FOUND);
    const ns = this.nsOf(info, namespace);
    const decoded = decodeObject(info, body);
    if (decoded.kind === "failure") return fail(decoded.status);
    // An apply's unknown fields are the typed apply's concern, never the decoder's (handlers/patch.go).
    const policy = strictDecodingPolicy(info, apply === undefined ? { unknownFields: decoded.unknownFields } : {}, context);
    if (policy.kind === "failure") return fail(policy.status);
    const obj = decoded.object;
    const meta = metaOf(obj);
    if (info.namespaced && typeof meta.namespace === "string" && meta.namespace !== ns) {
      return fail(badRequest("the namespace of the provided object does not match the namespace sent on the request"));
    }
    const lifecycle = this.namespaceLifecycle(info, ns, typeof meta.name === "string" ? meta.name : "");
    if (lifecycle !== undefined) return fail(lifecycle);
    if ((meta.name === undefined || meta.name === "") && typeof meta.generateName === "string" && meta.generateName !== "") {
      meta.name = `${meta.generateName}${this.suffix()}`;
    }
    const now = this.clock.nowMs();
    // Built-ins: the field manager sees the object before the strategy (a namespace's finalizer is
    // not recorded); custom resources: after it (status dropped), as current apiservers do.
    const tracked = info.custom ? undefined : cloneJson(obj);
    prepareCreate(info, obj, { uid: this.newUid(), creationTimestamp: rfc3339Seconds(now), namespace: ns });
    const name = typeof meta.name === "string" ? meta.name : "";
    const errors = validateCreate(info, obj);
    if (errors.length > 0) return fail(invalid({ group: info.group, kind: this.kindForErrors(info, obj) }, name, errors));
    if (apply === undefined) setManagedFields(meta, this.nextManagedFields(zeroObject(info), tracked ?? obj, false, this.writer(info, context, undefined), this.fieldSchema(info), now));
    else {
      const owned = applyOwnership(undefined, obj, apply, this.fieldSchema(info), now);
      if (owned.kind === "failure") return fail(owned.status);
      setManagedFields(meta, owned.managedFields);
      const strict = applyStrictness(apply, context?.fieldValidation);
      if (strict.kind === "failure") return fail(strict.status);
      policy.warnings.push(...strict.warnings);
    }
    const pending = this.admit(info, "CREATE", ns, name, obj, null, context, undefined);
    const verdict = pending instanceof Promise ? await pending : pending;
    if (verdict.kind === "denied") return fail(verdict.status);
    const taken = this.lookup(info, ns, name);
    if (taken !== undefined) {
      const status = alreadyExists(info, name);
      if (metaOf(taken).deletionTimestamp !== undefined) status.message = `object is being deleted: ${status.message ?? ""}`;
      return fail(status);
    }
    const warnings = [...policy.warnings, ...verdict.warnings];
    if (context?.dryRun === true) return ok(this.served(info, canonicalOrder(info, obj)), 201, warnings);
    const stored = this.commit(info, ns, name, "ADDED", obj, undefined);
    if (info.group === CRD_REF.group && info.resource === CRD_REF.resource) this.establishCrd(stored);
    return ok(this.served(info, stored), 201, warnings);
  }

  /** PUT (optionally to /status): the body must carry the current resourceVersion. */
  update(ref: ResourceRef, namespace: string | undefined, name: string, body: unknown, context?: RequestContext, subresource?: "status"): Promise<ApiOutcome> {
    const info = this.registry.find(ref);
    if (info === undefined || (subresource === "status" && !info.statusSubresource)) return Promise.resolve(fail(RESOURCE_NOT_FOUND));
    const decoded = decodeObject(info, body);
    if (decoded.kind === "failure") return Promise.resolve(fail(decoded.status));
    // A PUT body's uid is a storage precondition, checked before anything else (even existence).
    const uid = metaOf(decoded.object).uid;
    const uidPrecondition = typeof uid === "string" && uid !== "" ? uid : undefined;
    return this.writeExisting(info, this.nsOf(info, namespace), name, context, subresource, () => ({ kind: "ok", object: cloneJson(decoded.object), ...(decoded.unknownFields !== undefined ? { unknownFields: decoded.unknownFields } : {}) }), uidPrecondition);
  }

  /** PATCH by type: JSON Patch and merge patch; strategic merge refused on custom resources; apply refused. */
  patch(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    patch: unknown,
    context?: RequestContext,
    subresource?: "status",
  ): Promise<ApiOutcome> {
    const info = this.registry.find(ref);
    if (info === undefined || (subresource === "status" && !info.statusSubresource)) return Promise.resolve(fail(RESOURCE_NOT_FOUND));
    if (patchType === Patch.apply) return this.apply(info, namespace, name, patch, context, subresource);
    if (context?.force !== undefined) return Promise.resolve(fail(forceOnNonApply()));
    if (patchType === Patch.strategic && info.custom) return Promise.resolve(fail(unsupportedMediaType([Patch.json, Patch.merge, Patch.apply])));
    // Strict's 422 prints the patched object as JSON (JSON and merge patches), which decoding changes in
    // place, so it is rendered first; a strategic merge patch prints the patch, Go's `%+v` of a map.
    const decodePatched = (doc: Json): Produced => {
      const printed = context?.fieldValidation !== "Strict" ? "" : patchType === Patch.strategic ? goSprint(patch) : toGoJson(doc);
      const decoded = decodeObject(info, doc, true);
      return decoded.kind === "ok" && context?.fieldValidation === "Strict" ? { ...decoded, patched: () => printed } : decoded;
    };
    const produce = (existing: JsonObject): Produced => {
      if (patchType === Patch.json) {
        const r = applyJsonPatch(existing, patch);
        if (r.kind === "malformed") return { kind: "failure", status: badRequest(r.message) };
        if (r.kind === "failed") return { kind: "failure", status: unprocessable() };
        return decodePatched(r.doc);
      }
      const r = applyMergePatch(existing, patch);
      if (r.kind === "malformed") return { kind: "failure", status: unclassified(r.message) };
      return decodePatched(r.doc);
    };
    return this.writeExisting(info, this.nsOf(info, namespace), name, context, subresource, produce);
  }

  /**
   * Server-side apply: the configuration merged into the object (or the object created from it when
   * there is none), ownership per field, 409 on conflicts unless forced.
   */
  private apply(info: ResourceInfo, namespace: string | undefined, name: string, body: unknown, context: RequestContext | undefined, subresource: "status" | undefined): Promise<ApiOutcome> {
    if (context?.fieldManager === undefined || context.fieldManager === "") return Promise.resolve(fail(missingFieldManager()));
    const parsed = parseApplyBody(body);
    if (parsed.kind === "failure") return Promise.resolve(fail(parsed.status));
    const intent: ApplyIntent = { config: parsed.config, writer: this.writer(info, context, subresource), force: context.force === true, statusSplit: info.statusSubresource, duplicateKeys: parsed.duplicateKeys };
    const ns = this.nsOf(info, namespace);
    const schema = this.fieldSchema(info);
    if (this.lookup(info, ns, name) === undefined && subresource === undefined) {
      const created = planApply(undefined, intent, schema, this.clock.nowMs());
      const meta = isJsonObject(created.metadata) ? { ...created.metadata } : {};
      if (meta.name === undefined) meta.name = name;
      if (meta.name !== name) return Promise.resolve(fail(badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`)));
      created.metadata = meta;
      return this.create(info, namespace, created, context, intent);
    }
    const produce = (existing: JsonObject): Produced => {
      const untypable = untypableLive(existing, info, schema);
      if (untypable !== undefined) return { kind: "failure", status: untypable };
      return decodeObject(info, planApply(existing, intent, schema, this.clock.nowMs()));
    };
    return this.writeExisting(info, ns, name, context, subresource, produce, undefined, intent);
  }

  /**
   * DELETE: preconditions first; an object with finalizers gets deletionTimestamp (and
   * deletionGracePeriodSeconds 0) and is answered 200 with the object; without finalizers it is removed
   * and answered with a Success Status.
   */
  async delete(ref: ResourceRef, namespace: string | undefined, name: string, options: DeleteOptions = {}, context?: RequestContext): Promise<ApiOutcome> {
    const info = this.registry.find(ref);
    if (info === undefined) return fail(RESOURCE_NOT_FOUND);
    const ns = this.nsOf(info, namespace);
    for (;;) {
      const existing = this.lookup(info, ns, name);
      if (existing === undefined) return fail(notFound(info, name));
      const meta = metaOf(existing);
      const pre = options.preconditions;
      if (pre?.uid !== undefined && pre.uid !== meta.uid) {
        return fail(preconditionConflict(info, name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${String(meta.uid)}). The object might have been deleted and then recreated`));
      }
      if (pre?.resourceVersion !== undefined && pre.resourceVersion !== meta.resourceVersion) {
        return fail(
          preconditionConflict(info, name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${String(meta.resourceVersion)}). The object might have been modified`),
        );
      }
      if (info.group === NAMESPACE_REF.group && info.resource === NAMESPACE_REF.resource) return this.deleteNamespace(info, existing, context);
      const next = cloneJson(existing);
      const nextMeta = metaOf(next);
      // Garbage-collection finalizers follow an explicit propagationPolicy, even while terminating.
      if (options.propagationPolicy !== undefined) {
        const current = stringList(nextMeta.finalizers);
        const wanted = current.filter((f) => f !== "orphan" && f !== "foregroundDeletion");
        if (options.propagationPolicy === "Orphan") wanted.push("orphan");
        if (options.propagationPolicy === "Foreground") wanted.push("foregroundDeletion");
        const same = new Set(wanted).size === new Set(current).size && wanted.every((f) => current.includes(f));
        if (!same) {
          if (wanted.length > 0) nextMeta.finalizers = wanted;
          else delete nextMeta.finalizers;
        }
      }
      const pending = this.admit(info, "DELETE", ns, name, null, existing, context, undefined);
      const verdict = pending instanceof Promise ? await pending : pending;
      if (verdict.kind === "denied") return fail(verdict.status);
      if (this.lookup(info, ns, name) !== existing) continue;
      if (stringList(nextMeta.finalizers).length > 0) {
        if (nextMeta.deletionTimestamp === undefined) {
          if (typeof nextMeta.generation === "number" && nextMeta.generation > 0) nextMeta.generation += 1;
          nextMeta.deletionTimestamp = rfc3339Seconds(this.clock.nowMs());
        }
        nextMeta.deletionGracePeriodSeconds = 0;
        if (jsonEqual(next, existing) || context?.dryRun === true) return ok(this.served(info, jsonEqual(next, existing) ? existing : next), 200, verdict.warnings);
        return ok(this.served(info, this.commit(info, ns, name, "MODIFIED", next, existing)), 200, verdict.warnings);
      }
      const status = deletedStatus(info, name, String(meta.uid));
      if (context?.dryRun !== true) this.remove(info, ns, name, existing);
      return ok(status as unknown as JsonObject, 200, verdict.warnings);
    }
  }

  // ---- write pipeline ----------------------------------------------------------------------------

  /**
   * The update pipeline shared by PUT and PATCH, retried as GuaranteedUpdate retries: when the object
   * changed while admission was pending, the request is evaluated again against the new object.
   */
  private async writeExisting(
    info: ResourceInfo,
    ns: string,
    name: string,
    context: RequestContext | undefined,
    subresource: "status" | undefined,
    produce: (existing: JsonObject) => Produced,
    uidPrecondition?: string,
    apply?: ApplyIntent,
  ): Promise<ApiOutcome> {
    for (;;) {
      const existing = this.lookup(info, ns, name);
      if (uidPrecondition !== undefined) {
        const actual = existing === undefined ? "" : String(metaOf(existing).uid ?? "");
        if (actual !== uidPrecondition) {
          return fail(
            conflict(
              info,
              name,
              `StorageError: invalid object, Code: 4, Key: ${etcdKey(info, ns, name)}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: ${uidPrecondition}, UID in object meta: ${actual}`,
            ),
          );
        }
      }
      if (existing === undefined) return fail(notFound(info, name));
      const existingMeta = metaOf(existing);
      const candidate = produce(existing);
      if (candidate.kind === "failure") return fail(candidate.status);
      const policy = strictDecodingPolicy(info, apply === undefined ? candidate : {}, context);
      if (policy.kind === "failure") return fail(policy.status);
      const requested = candidate.object;
      const meta = metaOf(requested);
      if (meta.name !== name) {
        return fail(badRequest(`the name of the object (${typeof meta.name === "string" ? meta.name : ""}) does not match the name on the URL (${name})`));
      }
      if (info.namespaced && typeof meta.namespace === "string" && meta.namespace !== "" && meta.namespace !== ns) {
        return fail(badRequest(`the namespace of the object (${meta.namespace}) does not match the namespace on the URL (${ns})`));
      }
      const requestedRv = typeof meta.resourceVersion === "string" ? meta.resourceVersion : "";
      if (requestedRv === "") {
        if (!info.unconditionalUpdate) {
          return fail(invalid({ group: info.group, kind: info.resource }, name, [invalidRaw("metadata.resourceVersion", "0x0", "must be specified for an update")]));
        }
        meta.resourceVersion = existingMeta.resourceVersion as string;
      } else if (requestedRv !== existingMeta.resourceVersion) {
        return fail(conflict(info, name));
      }
      const next = prepareUpdate(info, requested, existing, subresource);
      if (apply === undefined) {
        setManagedFields(metaOf(next), this.nextManagedFields(existing, next, true, this.writer(info, context, subresource), this.fieldSchema(info), this.clock.nowMs()));
      } else {
        const owned = applyOwnership(existing, next, apply, this.fieldSchema(info), this.clock.nowMs());
        if (owned.kind === "failure") return fail(owned.status);
        setManagedFields(metaOf(next), owned.managedFields);
        const strict = applyStrictness(apply, context?.fieldValidation);
        if (strict.kind === "failure") return fail(strict.status);
        policy.warnings.push(...strict.warnings);
      }
      // After the field manager, as in the apiserver: an apply's conflicts are answered before validation.
      const errors = validateUpdate(info, next, existing);
      if (errors.length > 0) return fail(invalid({ group: info.group, kind: this.kindForErrors(info, next) }, name, errors));
      const pending = this.admit(info, "UPDATE", ns, name, next, existing, context, subresource);
      const verdict = pending instanceof Promise ? await pending : pending;
      if (verdict.kind === "denied") return fail(verdict.status);
      const warnings = [...policy.warnings, ...verdict.warnings];
      if (this.lookup(info, ns, name) !== existing) continue;
      const nextMeta = metaOf(next);
      const emptied = stringList(nextMeta.finalizers).length === 0;
      const grace = existingMeta.deletionGracePeriodSeconds;
      if (emptied && existingMeta.deletionTimestamp !== undefined && (grace === undefined || grace === 0)) {
        if (context?.dryRun !== true) this.remove(info, ns, name, existing);
        return ok(this.served(info, canonicalOrder(info, next)), 200, warnings);
      }
      if (jsonEqual(next, existing)) return ok(this.served(info, existing), 200, warnings);
      if (context?.dryRun === true) return ok(this.served(info, canonicalOrder(info, next)), 200, warnings);
      const stored = this.commit(info, ns, name, "MODIFIED", next, existing);
      if (info.group === CRD_REF.group && info.resource === CRD_REF.resource) this.registerCrd(stored);
      return ok(this.served(info, stored), 200, warnings);
    }
  }

  /**
   * Runs validating admission. Without webhook configurations it answers synchronously, and the
   * callers await only a pending verdict: so a write commits, and its watch events go out, during the
   * call itself.
   */
  private admit(
    info: ResourceInfo,
    operation: AdmissionOperation,
    namespace: string,
    name: string,
    object: JsonObject | null,
    oldObject: JsonObject | null,
    context: RequestContext | undefined,
    subresource: "status" | undefined,
  ): AdmissionVerdict | Promise<AdmissionVerdict> {
    if (context?.skipAdmission === true) return { kind: "allowed" as const, warnings: [] };
    const configurations = this.objectsOf(this.registry.find(WEBHOOK_CONFIG_REF) as ResourceInfo, undefined);
    if (configurations.length === 0) return { kind: "allowed" as const, warnings: [] };
    const dryRun = context?.dryRun === true;
    return runValidatingWebhooks(
      configurations,
      {
        operation,
        resource: info,
        ...(subresource !== undefined ? { subresource } : {}),
        namespace: info.namespaced ? namespace : "",
        name,
        object: object === null ? null : this.admissionView(info, object),
        oldObject: oldObject === null ? null : this.served(info, oldObject),
        user: context?.user ?? ADMIN_USER,
        dryRun,
        options: admissionOptions(operation, operation === "DELETE" ? undefined : managerOf(context), dryRun),
      },
      {
        clock: this.clock,
        newUid: () => this.newUid(),
        callWebhook: this.callWebhook,
        namespaceLabels: (ns) => {
          const found = this.lookup(this.registry.find(NAMESPACE_REF) as ResourceInfo, "", ns);
          const labels = found === undefined ? undefined : metaOf(found).labels;
          return isJsonObject(labels) ? (labels as Record<string, string>) : undefined;
        },
      },
    );
  }

  /** NamespaceLifecycle: no new objects in a missing or terminating namespace. */
  private namespaceLifecycle(info: ResourceInfo, ns: string, name: string): KubeStatus | undefined {
    if (!info.namespaced) return undefined;
    const nsInfo = this.registry.find(NAMESPACE_REF) as ResourceInfo;
    const found = this.lookup(nsInfo, "", ns);
    if (found === undefined) return notFound(nsInfo, ns);
    if (metaOf(found).deletionTimestamp !== undefined) {
      const message = `unable to create new content in namespace ${ns} because it is being terminated`;
      return forbidden(`${info.group === "" ? info.resource : `${info.resource}.${info.group}`} "${name}" is forbidden: ${message}`, {
        name,
        ...(info.group !== "" ? { group: info.group } : {}),
        kind: info.resource,
        causes: [{ reason: "NamespaceTerminating", message: `namespace ${ns} is being terminated`, field: "metadata.namespace" }],
      });
    }
    return undefined;
  }

  private async deleteNamespace(info: ResourceInfo, existing: JsonObject, context: RequestContext | undefined): Promise<ApiOutcome> {
    const name = String(metaOf(existing).name);
    // Already terminating: answered with the namespace as it is (v1.20 writes nothing).
    if (metaOf(existing).deletionTimestamp !== undefined) return ok(this.served(info, existing));
    const pending = this.admit(info, "DELETE", "", name, null, existing, context, undefined);
    const verdict = pending instanceof Promise ? await pending : pending;
    if (verdict.kind === "denied") return fail(verdict.status);
    const next = cloneJson(existing);
    metaOf(next).deletionTimestamp = rfc3339Seconds(this.clock.nowMs());
    next.status = { phase: "Terminating" };
    if (context?.dryRun === true) return ok(this.served(info, next));
    return ok(this.served(info, this.commit(info, "", name, "MODIFIED", next, existing)));
  }

  // ---- CRDs --------------------------------------------------------------------------------------

  private establishCrd(crd: JsonObject): void {
    this.registerCrd(crd);
    const info = this.registry.find(CRD_REF) as ResourceInfo;
    const name = String(metaOf(crd).name);
    const next = cloneJson(crd);
    next.status = establishedStatus(crd, rfc3339Seconds(this.clock.nowMs()));
    setManagedFields(metaOf(next), this.nextManagedFields(
      crd,
      next,
      true,
      { manager: "kube-apiserver", apiVersion: apiVersionOf(info), subresource: "status" },
      undefined,
      this.clock.nowMs(),
    ));
    this.commit(info, "", name, "MODIFIED", next, crd);
  }

  private registerCrd(crd: JsonObject): void {
    for (const r of resourcesOfCrd(crd)) {
      this.registry.add(r);
      this.openResource(r);
    }
  }

  private unregisterCrd(crdName: string): void {
    for (const r of this.registry.removeCrd(crdName)) {
      const key = storageKey(r);
      const objects = this.data.get(key);
      if (objects !== undefined) {
        for (const o of [...objects.values()]) this.remove(r, String(metaOf(o).namespace ?? ""), String(metaOf(o).name), o);
      }
      this.data.delete(key);
      this.hub.close(key);
    }
  }

  // ---- storage -----------------------------------------------------------------------------------

  private openResource(info: ResourceInfo): void {
    const key = storageKey(info);
    if (!this.data.has(key)) this.data.set(key, new Map());
    this.hub.open(key, this.revision, () => ({ apiVersion: apiVersionOf(info), kind: info.kind, metadata: {} }));
  }

  private commit(info: ResourceInfo, ns: string, name: string, type: "ADDED" | "MODIFIED", object: JsonObject, previous: JsonObject | undefined): JsonObject {
    const rv = ++this.revision;
    metaOf(object).resourceVersion = String(rv);
    const stored = this.stored(info, object);
    const key = storageKey(info);
    let objects = this.data.get(key);
    if (objects === undefined) {
      objects = new Map();
      this.data.set(key, objects);
    }
    objects.set(objectKey(ns, name), stored);
    this.hub.publish(key, { rv, type, namespace: ns, object: stored, ...(previous !== undefined ? { previous } : {}) });
    return stored;
  }

  private remove(info: ResourceInfo, ns: string, name: string, existing: JsonObject): void {
    const rv = ++this.revision;
    const last = this.tombstone(existing, String(rv));
    this.data.get(storageKey(info))?.delete(objectKey(ns, name));
    this.hub.publish(storageKey(info), { rv, type: "DELETED", namespace: ns, object: last, previous: existing });
    if (info.group === CRD_REF.group && info.resource === CRD_REF.resource) this.unregisterCrd(name);
  }

  private lookup(info: ResourceInfo, ns: string, name: string): JsonObject | undefined {
    return this.data.get(storageKey(info))?.get(objectKey(ns, name));
  }

  private objectsOf(info: ResourceInfo, namespace: string | undefined): JsonObject[] {
    const objects = this.data.get(storageKey(info));
    if (objects === undefined) return [];
    const keys = [...objects.keys()].sort();
    const out: JsonObject[] = [];
    for (const k of keys) {
      const o = objects.get(k) as JsonObject;
      if (namespace !== undefined && metaOf(o).namespace !== namespace) continue;
      out.push(o);
    }
    return out;
  }

  /** A deep copy as served in this resource's apiVersion. */
  protected served(info: ResourceInfo, obj: JsonObject): JsonObject {
    const out = cloneJson(obj);
    out.apiVersion = apiVersionOf(info);
    return out;
  }

  /** An item of a LIST: items of a built-in list carry no TypeMeta (Go's typed lists); custom resources' do. */
  protected listItem(info: ResourceInfo, obj: JsonObject): JsonObject {
    const item = this.served(info, obj);
    if (!info.custom) {
      delete item.kind;
      delete item.apiVersion;
    }
    return item;
  }

  /**
   * The encoded managedFields after `writer` turned `before` into `after`; the entries are `before`'s
   * own when `tracked`, else none (a create).
   */
  protected nextManagedFields(before: JsonObject, after: JsonObject, tracked: boolean, writer: Writer, schema: SchemaNode | undefined, nowMs: number): Json[] {
    return updateManagedFields(before, after, tracked ? decodeManagedFields(metaOf(before)) : [], writer, schema, nowMs);
  }

  /** The object admission sees for a write: a copy in the apiserver's key order, as served. */
  protected admissionView(info: ResourceInfo, written: JsonObject): JsonObject {
    return this.served(info, canonicalOrder(info, written));
  }

  /** The object kept for a written one: in the apiserver's key order. */
  protected stored(info: ResourceInfo, written: JsonObject): JsonObject {
    return canonicalOrder(info, written);
  }

  /** The object a DELETED event carries: the last stored one at the deletion's resourceVersion. */
  protected tombstone(existing: JsonObject, resourceVersion: string): JsonObject {
    const last = cloneJson(existing);
    metaOf(last).resourceVersion = resourceVersion;
    return last;
  }

  private nsOf(info: ResourceInfo, namespace: string | undefined): string {
    return info.namespaced ? (namespace ?? "default") : "";
  }

  private kindForErrors(info: ResourceInfo, obj: JsonObject): string {
    return typeMetaErrors(info, obj).length > 0 && typeof obj.kind === "string" ? obj.kind : info.kind;
  }

  private fieldSchema(info: ResourceInfo) {
    return info.schema ?? builtinFieldSchema(info);
  }

  private writer(info: ResourceInfo, context: RequestContext | undefined, subresource: "status" | undefined) {
    return { manager: managerOf(context), apiVersion: apiVersionOf(info), ...(subresource !== undefined ? { subresource } : {}) };
  }

  private seedNamespace(name: string): void {
    const info = this.registry.find(NAMESPACE_REF) as ResourceInfo;
    if (this.lookup(info, "", name) !== undefined) return;
    const now = this.clock.nowMs();
    const obj: JsonObject = { kind: "Namespace", apiVersion: "v1", metadata: { name }, spec: {}, status: {} };
    prepareCreate(info, obj, { uid: this.newUid(), creationTimestamp: rfc3339Seconds(now), namespace: "" });
    setManagedFields(metaOf(obj), this.nextManagedFields(
      { status: {} },
      { status: { phase: "Active" } },
      false,
      { manager: "kube-apiserver", apiVersion: "v1" },
      undefined,
      now,
    ));
    this.commit(info, "", name, "ADDED", obj, undefined);
  }

  private newUid(): string {
    const b = Array.from({ length: 16 }, () => this.prng.below(256));
    b[6] = ((b[6] as number) & 0x0f) | 0x40;
    b[8] = ((b[8] as number) & 0x3f) | 0x80;
    const h = b.map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  private suffix(): string {
    let s = "";
    for (let i = 0; i < 5; i++) s += GENERATE_NAME_ALPHABET.charAt(this.prng.below(GENERATE_NAME_ALPHABET.length));
    return s;
  }
}
