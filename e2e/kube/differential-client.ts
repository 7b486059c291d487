/**
 * The request sequences of the apiserver differential test and how their answers are compared: one
 * generated step vocabulary (creates, merge and JSON patches with and without preconditions, status
 * writes valid and not, finalizers, deletes, server-side applies on the object and its status), one client per backend that fills in what it last saw
 * (resourceVersions, uids, annotation values), and a normalization that keeps what we rely on.
 */
import fc from "fast-check";
import type { HttpAnswer, TestCluster } from "./cluster-backends.ts";
import { CONTAINERS_PATH } from "./cluster-backends.ts";

export const OBJECT_NAMES = ["c0", "c1"] as const;
export const ANNOTATION_KEYS = ["containers.rancherdesktop.io/action", "containers.rancherdesktop.io/action-id", "note"] as const;
const VALUES = ["start", "stop", "r1", ""] as const;
const MIRROR = "engine.rancherdesktop.io/mirror";

type Key = (typeof ANNOTATION_KEYS)[number];
type Precondition = "none" | "current" | "stale";

export type Step =
  | { kind: "create"; obj: number; annotations: Array<[Key, string]>; finalizer: boolean }
  | { kind: "merge"; obj: number; key: Key; value: string | null; precondition: Precondition; manager: string }
  | { kind: "jsonTest"; obj: number; key: Key; expect: "current" | "other" | "null"; then: "remove" | "replace" }
  | { kind: "status"; obj: number; variant: StatusVariant }
  | { kind: "addFinalizer"; obj: number; name: string }
  | { kind: "removeFinalizers"; obj: number }
  | { kind: "delete"; obj: number; precondition: "none" | "currentRv" | "staleRv" | "badUid" }
  | { kind: "get"; obj: number }
  | { kind: "put"; obj: number; precondition: Precondition; key: Key; value: string }
  | { kind: "putStatus"; obj: number; variant: StatusVariant; precondition: Precondition }
  | { kind: "labels"; obj: number; label: string; value: string | null }
  | { kind: "list"; selector: string }
  | { kind: "rename"; obj: number }
  | { kind: "changeUid"; obj: number }
  | { kind: "strategic"; obj: number }
  | { kind: "dryRun"; obj: number; key: Key }
  | { kind: "orphanDelete"; obj: number }
  | { kind: "apply"; obj: number; manager: string; annotations: Array<[Key, string]>; finalizer: boolean; force: boolean; status: StatusVariant | undefined };

type StatusVariant = "valid" | "failed" | "enum" | "missingImage" | "badDate" | "emptyString" | "unknownField";
const statusVariant = fc.constantFrom<StatusVariant>("valid", "failed", "enum", "missingImage", "badDate", "emptyString", "unknownField");

const obj = fc.integer({ min: 0, max: OBJECT_NAMES.length - 1 });
const key = fc.constantFrom(...ANNOTATION_KEYS);
const value = fc.constantFrom(...VALUES);
const precondition = fc.constantFrom<Precondition>("none", "current", "stale");

/** A create of object `o` (sequences start with one per object, so most steps meet an object). */
export function createArb(o: number): fc.Arbitrary<Step> {
  return fc.record({ kind: fc.constant("create" as const), obj: fc.constant(o), annotations: fc.array(fc.tuple(key, value), { maxLength: 2 }), finalizer: fc.boolean() });
}

/** One generated step. */
export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("create" as const), obj, annotations: fc.array(fc.tuple(key, value), { maxLength: 2 }), finalizer: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("merge" as const), obj, key, value: fc.option(value, { nil: null }), precondition, manager: fc.constantFrom("diff-a", "diff-b") }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("jsonTest" as const), obj, key, expect: fc.constantFrom("current" as const, "other" as const, "null" as const), then: fc.constantFrom("remove" as const, "replace" as const) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("status" as const), obj, variant: statusVariant }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("putStatus" as const), obj, variant: statusVariant, precondition }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("labels" as const), obj, label: fc.constantFrom("app", "tier"), value: fc.option(fc.constantFrom("web", "db"), { nil: null }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("list" as const), selector: fc.constantFrom("", "app=web", "app!=web", "tier", "!tier", "app in (web,db)", "app notin (db)", "a b") }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("rename" as const), obj }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("changeUid" as const), obj }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("strategic" as const), obj }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("dryRun" as const), obj, key }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("orphanDelete" as const), obj }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("addFinalizer" as const), obj, name: fc.constantFrom(MIRROR, "other.io/x") }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("removeFinalizers" as const), obj }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), obj, precondition: fc.constantFrom("none" as const, "currentRv" as const, "staleRv" as const, "badUid" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("get" as const), obj }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("put" as const), obj, precondition, key, value }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("apply" as const),
      obj,
      manager: fc.constantFrom("ssa-1", "ssa-2", "diff-a"),
      annotations: fc.uniqueArray(fc.tuple(key, fc.constantFrom("start", "stop", "r1")), { maxLength: 2, selector: ([k]) => k }),
      finalizer: fc.boolean(),
      force: fc.boolean(),
      status: fc.option(fc.constantFrom<StatusVariant>("valid", "failed", "enum"), { nil: undefined }),
    }),
  },
);

/** A request sequence: both objects created, then generated steps. */
export const sequenceArb: fc.Arbitrary<Step[]> = fc
  .tuple(createArb(0), createArb(1), fc.array(stepArb, { minLength: 1, maxLength: 14 }))
  .map(([a, b, rest]) => [a, b, ...rest]);


type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const STATUS_BASE = { name: "web", namespace: "moby", path: "/bin/sh", image: "sha256:1", status: "running" };
const LAST_ACTION = { action: "start", state: "Succeeded", observedAt: "2026-01-01T00:00:00Z", completedAt: "2026-01-01T00:00:01Z" };

function statusBody(variant: StatusVariant): Obj {
  switch (variant) {
    case "valid":
      return { status: { ...STATUS_BASE, lastAction: LAST_ACTION } };
    case "failed":
      return { status: { ...STATUS_BASE, status: "exited", lastAction: { ...LAST_ACTION, action: "stop", state: "Failed", error: "boom" } } };
    case "enum":
      return { status: { ...STATUS_BASE, lastAction: { ...LAST_ACTION, state: "Done" } } };
    case "missingImage":
      return { status: { name: "web", namespace: "moby", path: "/bin/sh", image: null, status: "running" } };
    case "badDate":
      return { status: { ...STATUS_BASE, lastAction: { ...LAST_ACTION, completedAt: "yesterday" } } };
    case "emptyString":
      return { status: { ...STATUS_BASE, lastAction: { ...LAST_ACTION, state: "Failed", error: "" } } };
    case "unknownField":
      return { status: { ...STATUS_BASE, extra: "dropped", lastAction: { ...LAST_ACTION, junk: 1 } } };
    default: {
      const never: never = variant;
      return never;
    }
  }
}

/** A client of one backend: sends the steps, remembering what it last saw of each object. */
export class StepClient {
  private readonly seen = new Map<number, Obj>();

  constructor(
    private readonly cluster: TestCluster,
    private readonly namespace: string,
  ) {}

  private path(o: number, sub = ""): string {
    return `${CONTAINERS_PATH}/namespaces/${this.namespace}/containers/${OBJECT_NAMES[o]}${sub}`;
  }

  private meta(o: number): Obj {
    const m = this.seen.get(o)?.metadata;
    return isObj(m) ? m : {};
  }

  private rv(o: number, p: Precondition | "currentRv" | "staleRv"): string | undefined {
    if (p === "stale" || p === "staleRv") return "1";
    if (p === "current" || p === "currentRv") return typeof this.meta(o).resourceVersion === "string" ? (this.meta(o).resourceVersion as string) : "1";
    return undefined;
  }

  private annotation(o: number, k: Key): Json {
    const a = this.meta(o).annotations;
    return isObj(a) && typeof a[k] === "string" ? a[k] : null;
  }

  async send(step: Step): Promise<HttpAnswer> {
    const q = (manager: string) => `?fieldManager=${manager}`;
    const c = this.cluster;
    let answer: HttpAnswer;
    switch (step.kind) {
      case "create": {
        const metadata: Obj = { name: OBJECT_NAMES[step.obj] as string };
        if (step.annotations.length > 0) metadata.annotations = Object.fromEntries(step.annotations);
        if (step.finalizer) metadata.finalizers = [MIRROR];
        answer = await c.request(
          "POST",
          `${CONTAINERS_PATH}/namespaces/${this.namespace}/containers${q("diff-create")}`,
          { apiVersion: "containers.rancherdesktop.io/v1alpha1", kind: "Container", metadata, spec: {} },
        );
        break;
      }
      case "merge": {
        const metadata: Obj = { annotations: { [step.key]: step.value } };
        const rv = this.rv(step.obj, step.precondition);
        if (rv !== undefined) metadata.resourceVersion = rv;
        answer = await c.request("PATCH", this.path(step.obj) + q(step.manager), { metadata }, "application/merge-patch+json");
        break;
      }
      case "jsonTest": {
        const pointer = `/metadata/annotations/${step.key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
        const expected = step.expect === "current" ? this.annotation(step.obj, step.key) : step.expect === "other" ? "zzz" : null;
        const second = step.then === "remove" ? { op: "remove", path: pointer } : { op: "replace", path: pointer, value: "replaced" };
        answer = await c.request("PATCH", this.path(step.obj) + q("diff-json"), [{ op: "test", path: pointer, value: expected }, second], "application/json-patch+json");
        break;
      }
      case "status":
        answer = await c.request("PATCH", this.path(step.obj, "/status") + q("diff-status"), statusBody(step.variant), "application/merge-patch+json");
        break;
      case "addFinalizer":
        answer = await c.request("PATCH", this.path(step.obj) + q("diff-fin"), [{ op: "add", path: "/metadata/finalizers/-", value: step.name }], "application/json-patch+json");
        if (answer.code === 422 && !Array.isArray(this.meta(step.obj).finalizers)) {
          answer = await c.request("PATCH", this.path(step.obj) + q("diff-fin"), { metadata: { finalizers: [step.name] } }, "application/merge-patch+json");
        }
        break;
      case "removeFinalizers":
        answer = await c.request("PATCH", this.path(step.obj) + q("diff-fin"), [{ op: "remove", path: "/metadata/finalizers" }], "application/json-patch+json");
        break;
      case "delete": {
        const pre: Obj = {};
        if (step.precondition === "badUid") pre.uid = "00000000-0000-0000-0000-000000000000";
        const rv = step.precondition === "currentRv" || step.precondition === "staleRv" ? this.rv(step.obj, step.precondition) : undefined;
        if (rv !== undefined) pre.resourceVersion = rv;
        const body = Object.keys(pre).length > 0 ? { kind: "DeleteOptions", apiVersion: "v1", preconditions: pre } : undefined;
        answer = await c.request("DELETE", this.path(step.obj), body);
        break;
      }
      case "get":
        answer = await c.request("GET", this.path(step.obj));
        break;
      case "put": {
        const base: Obj = this.seen.get(step.obj) ?? { apiVersion: "containers.rancherdesktop.io/v1alpha1", kind: "Container", metadata: { name: OBJECT_NAMES[step.obj] as string } };
        const next = structuredClone(base);
        const metadata = isObj(next.metadata) ? next.metadata : {};
        metadata.annotations = { ...(isObj(metadata.annotations) ? metadata.annotations : {}), [step.key]: step.value };
        const rv = this.rv(step.obj, step.precondition);
        if (rv !== undefined) metadata.resourceVersion = rv;
        else delete metadata.resourceVersion;
        next.metadata = metadata;
        answer = await c.request("PUT", this.path(step.obj) + q("diff-put"), next);
        break;
      }
      case "putStatus": {
        const base: Obj = this.seen.get(step.obj) ?? { apiVersion: "containers.rancherdesktop.io/v1alpha1", kind: "Container", metadata: { name: OBJECT_NAMES[step.obj] as string } };
        const next: Obj = { ...structuredClone(base), ...statusBody(step.variant) };
        const metadata = isObj(next.metadata) ? next.metadata : {};
        const rv = this.rv(step.obj, step.precondition);
        if (rv !== undefined) metadata.resourceVersion = rv;
        else delete metadata.resourceVersion;
        answer = await c.request("PUT", this.path(step.obj, "/status") + q("diff-put-status"), next);
        break;
      }
      case "labels":
        answer = await c.request("PATCH", this.path(step.obj) + q("diff-labels"), { metadata: { labels: { [step.label]: step.value } } }, "application/merge-patch+json");
        break;
      case "list": {
        const selector = step.selector === "" ? "" : `?labelSelector=${encodeURIComponent(step.selector)}`;
        answer = await c.request("GET", `${CONTAINERS_PATH}/namespaces/${this.namespace}/containers${selector}`);
        return answer;
      }
      case "rename":
        answer = await c.request("PATCH", this.path(step.obj), { metadata: { name: "renamed" } }, "application/merge-patch+json");
        break;
      case "changeUid":
        answer = await c.request("PATCH", this.path(step.obj), [{ op: "replace", path: "/metadata/uid", value: "11111111-2222-3333-4444-555555555555" }], "application/json-patch+json");
        break;
      case "strategic":
        answer = await c.request("PATCH", this.path(step.obj), { metadata: { annotations: { note: "smp" } } }, "application/strategic-merge-patch+json");
        break;
      case "dryRun":
        answer = await c.request("PATCH", `${this.path(step.obj)}?dryRun=All&fieldManager=diff-dry`, { metadata: { annotations: { [step.key]: "dry" } } }, "application/merge-patch+json");
        return answer;
      case "orphanDelete":
        answer = await c.request("DELETE", this.path(step.obj), { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Orphan" });
        break;
      case "apply": {
        // With a status: an apply of the status alone through /status; else of metadata on the object.
        const metadata: Obj = { name: OBJECT_NAMES[step.obj] as string };
        if (step.status === undefined) {
          if (step.annotations.length > 0) metadata.annotations = Object.fromEntries(step.annotations);
          if (step.finalizer) metadata.finalizers = [MIRROR];
        }
        const config = { apiVersion: "containers.rancherdesktop.io/v1alpha1", kind: "Container", metadata, ...(step.status !== undefined ? statusBody(step.status) : {}) };
        // Status appliers get their own names: v1.20 books a manager's /status and main writes in one
        // entry, current servers in two (KNOWN-GAPS.md), and the comparison cannot see `subresource`.
        const sub = step.status === undefined ? "" : "/status";
        const manager = step.status === undefined ? step.manager : `${step.manager}-status`;
        answer = await c.request("PATCH", `${this.path(step.obj, sub)}${q(manager)}${step.force ? "&force=true" : ""}`, JSON.stringify(config), "application/apply-patch+yaml");
        break;
      }
      default: {
        const never: never = step;
        return never;
      }
    }
    this.remember(step.obj, answer);
    return answer;
  }

  private remember(o: number, answer: HttpAnswer): void {
    if (answer.code >= 200 && answer.code < 300 && isObj(answer.body) && answer.body.kind === "Container") this.seen.set(o, answer.body);
    if (answer.code === 200 && isObj(answer.body) && answer.body.kind === "Status") this.seen.delete(o);
    if (answer.code === 404) this.seen.delete(o);
  }
}

const UID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Current servers name a conflicting manager's subresource (`"m" with subresource "status"`); v1.20 cannot (KNOWN-GAPS.md). */
function withoutSubresource(text: string): string {
  return text.replaceAll(' with subresource "status"', "");
}

/** A message with the run's namespace, uids and numbers in parentheses (resourceVersions) blanked. */
export function normalizeMessage(message: string, namespace: string, causes: Array<{ field?: string; message?: string }>): string {
  let m = withoutSubresource(message.replaceAll(namespace, "NS").replace(UID, "UID").replace(/\(\d+\)/g, "(N)"));
  const bracket = /^(.* is invalid: )\[(.*)\]$/s.exec(m);
  if (bracket !== null) {
    const parts = [...new Set(causes.map((c) => `${c.field ?? ""}: ${c.message ?? ""}`))].sort();
    m = `${bracket[1]}[${parts.join(", ")}]`;
  }
  return m;
}

/** What we compare of one answer: code, Status fields, and the object fields the project relies on. */
export function normalizeAnswer(answer: HttpAnswer, namespace: string): unknown {
  const body = answer.body;
  if (!isObj(body)) return { code: answer.code, body: typeof body };
  if (typeof body.kind === "string" && body.kind.endsWith("List")) {
    const items = Array.isArray(body.items) ? body.items.filter(isObj) : [];
    return { code: answer.code, kind: body.kind, items: items.map(projectObject) };
  }
  if (body.kind === "Status") {
    const details = isObj(body.details) ? body.details : undefined;
    const causes = Array.isArray(details?.causes) ? (details.causes.filter(isObj) as Array<{ field?: string; message?: string; reason?: string }>) : [];
    return {
      code: answer.code,
      status: body.status,
      reason: body.reason ?? null,
      message: typeof body.message === "string" ? normalizeMessage(body.message, namespace, causes) : null,
      details:
        details === undefined
          ? null
          : {
              name: details.name ?? null,
              group: details.group ?? null,
              kind: details.kind ?? null,
              causes: causes.map((c) => `${c.reason ?? ""}|${c.field ?? ""}|${withoutSubresource(c.message ?? "")}`).sort(),
            },
    };
  }
  return { code: answer.code, object: projectObject(body) };
}

/** The fields of a Container we compare (timestamps only by presence and granularity). */
export function projectObject(o: Obj): unknown {
  const meta = isObj(o.metadata) ? o.metadata : {};
  const annotations = isObj(meta.annotations) ? { ...meta.annotations } : {};
  delete annotations["kubectl.kubernetes.io/last-applied-configuration"];
  const managed = Array.isArray(meta.managedFields) ? meta.managedFields.filter(isObj) : [];
  return {
    kind: o.kind,
    name: meta.name,
    annotations,
    finalizers: meta.finalizers ?? [],
    terminating: meta.deletionTimestamp !== undefined,
    deletionGracePeriodSeconds: meta.deletionGracePeriodSeconds ?? null,
    generation: meta.generation ?? null,
    creationTimestampWholeSeconds: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(String(meta.creationTimestamp)),
    spec: o.spec ?? null,
    status: o.status ?? null,
    managers: [...new Set(managed.map((m) => String(m.manager)))].sort(),
    // Per manager, the fields it owns (v1.20 has no `subresource` key; the generator never mixes
    // status and metadata in one write, where v1.20 and current servers differ).
    managedFields: managed.map((m) => `${String(m.manager)}|${String(m.operation)}|${JSON.stringify(sortDeep(m.fieldsV1 ?? null))}`).sort(),
    managedTimesWholeSeconds: managed.every((m) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(String(m.time))),
  };
}

function sortDeep(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const k of Object.keys(v).sort()) out[k] = sortDeep(v[k] as Json);
  return out;
}

/** What we compare of an answer about a built-in object: code, Status, and the object without server-set identity. */
export function normalizeBuiltin(answer: HttpAnswer, namespace: string): unknown {
  const text = JSON.stringify(normalizeBuiltinRaw(answer, namespace));
  return JSON.parse(text.replaceAll(namespace, "NS").replace(/c1\.[a-z0-9]{5}/g, "c1.GENERATED"));
}

function normalizeBuiltinRaw(answer: HttpAnswer, namespace: string): unknown {
  const body = answer.body;
  if (!isObj(body) || body.kind === "Status") return normalizeAnswer(answer, namespace);
  const strip = (o: Obj): unknown => {
    const meta = isObj(o.metadata) ? o.metadata : {};
    const managed = Array.isArray(meta.managedFields) ? meta.managedFields.filter(isObj) : [];
    const rest: Obj = { ...o };
    delete rest.metadata;
    for (const k of ["firstTimestamp", "lastTimestamp", "eventTime"]) if (rest[k] !== undefined) rest[k] = "TIME";
    return {
      ...(JSON.parse(JSON.stringify(rest).replaceAll(namespace, "NS")) as Obj),
      generation: meta.generation ?? null,
      finalizers: meta.finalizers ?? [],
      terminating: meta.deletionTimestamp !== undefined,
      generatedName: typeof meta.generateName === "string" && String(meta.name).startsWith(meta.generateName),
      managedFields: managed.map((m) => `${String(m.manager)}|${String(m.operation)}|${JSON.stringify(sortDeep((m.fieldsV1 ?? null) as Json))}`).sort(),
    };
  };
  if (Array.isArray(body.items)) return { code: answer.code, kind: body.kind, items: body.items.filter(isObj).map(strip) };
  return { code: answer.code, object: strip(body) };
}
