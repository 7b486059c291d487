/**
 * The store differential: FastClusterStore against ClusterStore, the oracle it replaced. Random operation
 * sequences go to both stores (each on its own virtual clock, same seed), and every answer and every
 * watch stream must be byte-identical (JSON text, so key order counts): creates (with generateName, dry
 * run, invalid fields), PUTs (main and status, stale resourceVersions), every patch type (merge, JSON,
 * strategic on a built-in and refused on a custom resource, server-side apply as YAML or JSON, forced
 * or not) on main and status, deletes
 * with finalizers and preconditions, namespace deletion, GETs, LISTs with selectors (paged, also at past resourceVersions), watches from
 * resourceVersions (including expired ones) with selectors, and validating admission (denials, warnings).
 * The fast store hands out frozen objects: the checks never change what they are given.
 * Sequences: 6 × SIM_RUNS (the one budget knob; at least 150); a failure prints the fast-check seed:
 * replay it with SIM_SEED=<seed> (the test preload seeds fast-check from SIM_SEED; CI passes its commit).
 */
import { stringify as stringifyYaml } from "yaml";
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { containerCrd } from "@container-actions/core";
import { shardFromEnv, shareOfRuns, VirtualClock } from "@container-actions/sim-kernel";
import { PatchType, type RequestContext } from "./api-request.ts";
import { ClusterStore, type ClusterStoreOptions } from "./cluster-store.ts";
import { FastClusterStore } from "./fast-cluster-store.ts";
import type { Json, JsonObject } from "./json.ts";
import { CRD_REF, NAMESPACE_REF, type ResourceRef, WEBHOOK_CONFIG_REF } from "./resource-registry.ts";
import type { CallWebhook } from "./validating-admission.ts";
import type { WatchEvent } from "./watch-hub.ts";
import { CONTAINERS, START_MS } from "./store-fixtures.ts";

/** The whole budget; under SIM_SHARD=k/N this process runs its share (sim-kernel's property-shard.ts). */
const RUNS = Math.max(150, 6 * Number(process.env.SIM_RUNS ?? 0));
const SHARE = shareOfRuns(RUNS, shardFromEnv());
const LEASES: ResourceRef = { group: "coordination.k8s.io", version: "v1", resource: "leases" };
/** Where an operation goes, mostly at a few objects so that writes meet existing ones. */
const TARGETS: Array<{ kind: "container" | "lease"; ns: string; name: string }> = [
  { kind: "container", ns: "default", name: "a" },
  { kind: "container", ns: "default", name: "a" },
  { kind: "container", ns: "default", name: "a" },
  { kind: "container", ns: "default", name: "b" },
  { kind: "container", ns: "default", name: "b" },
  { kind: "lease", ns: "default", name: "a" },
  { kind: "lease", ns: "default", name: "a" },
  { kind: "container", ns: "other", name: "a" },
  { kind: "lease", ns: "other", name: "b" },
];
const target = fc.constantFrom(...TARGETS);
const MANAGERS = ["controller", "kubectl", "gui"];

/** The webhook both stores call: denies `deny: "yes"` labels, warns on `warn`, ignores the rest. */
const webhook: CallWebhook = async (_target, review) => {
  const request = review.request as JsonObject;
  const object = (request.object ?? request.oldObject) as JsonObject | null;
  const labels = ((object?.metadata as JsonObject | undefined)?.labels ?? {}) as Record<string, string>;
  const allowed = labels.deny !== "yes";
  const response: JsonObject = { uid: request.uid as string, allowed };
  if (!allowed) response.status = { code: 403, message: `denied ${String(request.operation)}` };
  if (labels.warn !== undefined) response.warnings = [`warned ${labels.warn}`];
  return { kind: "reviewed", review: { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response } };
};

const label = fc.constantFrom("x", "y", "x", "y", "deny", "warn");
const labelValue = fc.constantFrom("1", "2", "1", "2", "yes", "bad value!");
const labels = fc.dictionary(label, labelValue, { maxKeys: 3 });
const finalizers = fc.subarray(["example.com/a", "example.com/b", "example.com/a"], { maxLength: 3 });
const statusValue = fc.record(
  {
    name: fc.constantFrom("web", "db"),
    status: fc.constantFrom("running", "exited", "running", "exited", "bogus", null),
    pid: fc.constantFrom(1, 2, 1, 2, 1, 2, -1, 1.5, "x"),
    image: fc.constantFrom("sha256:1", "sha256:2"),
    labels: fc.dictionary(fc.constantFrom("k", "l"), fc.constantFrom("v", "w")),
    ports: fc.array(fc.record({ name: fc.constantFrom("80/tcp", "443/tcp") }), { maxLength: 3 }),
    createdAt: fc.constantFrom("2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", "2026-01-01T00:00:01Z", "not a time"),
    unknownField: fc.constant("pruned"),
  },
  { requiredKeys: [] },
);
const context: fc.Arbitrary<RequestContext> = fc.record(
  { fieldManager: fc.constantFrom(...MANAGERS), dryRun: fc.constantFrom(true, false, false, false), skipAdmission: fc.constantFrom(true, false, false) },
  { requiredKeys: ["fieldManager"] },
);
const metaPatch = fc.record({ labels: fc.dictionary(label, fc.option(labelValue, { nil: null as unknown as string }), { maxKeys: 2 }), finalizers: fc.option(finalizers, { nil: null as unknown as string[] }), annotations: fc.dictionary(fc.constantFrom("n1", "n2"), fc.constantFrom("v", "w"), { maxKeys: 2 }) }, { requiredKeys: [] });
const jsonPath = fc.constantFrom("/metadata/labels/x", "/metadata/labels", "/metadata/finalizers", "/metadata/finalizers/0", "/metadata/finalizers/-", "/status/pid", "/status", "/spec/holderIdentity", "/metadata/resourceVersion", "/nope/deeper");
const jsonOp = fc.oneof(
  fc.record({ op: fc.constantFrom("add", "replace", "test"), path: jsonPath, value: fc.constantFrom<Json>("1", 2, ["example.com/a"], { x: "1" }, null) }),
  fc.record({ op: fc.constant("remove"), path: jsonPath }),
);

const operation = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant("create" as const), target, generateName: fc.constantFrom(false, false, false, true), labels, finalizers, status: fc.option(statusValue, { nil: undefined }), context }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant("merge" as const), target, meta: metaPatch, status: fc.option(statusValue, { nil: undefined }), holder: fc.option(fc.constantFrom("me", "you"), { nil: undefined }), subresource: fc.constantFrom<"status" | undefined>(undefined, "status"), patchType: fc.constantFrom(PatchType.merge, PatchType.merge, PatchType.merge, PatchType.strategic, PatchType.apply), context }) },
  // Server-side apply of whole configurations: conflicts, force, pruning of unapplied fields, apply-create.
  { weight: 4, arbitrary: fc.record({ op: fc.constant("ssa" as const), target, labels, finalizers, status: fc.option(statusValue, { nil: undefined }), subresource: fc.constantFrom<"status" | undefined>(undefined, undefined, "status"), force: fc.boolean(), yaml: fc.boolean(), context }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("json" as const), target, ops: fc.array(jsonOp, { minLength: 1, maxLength: 3 }), subresource: fc.constantFrom<"status" | undefined>(undefined, "status"), context }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("put" as const), target, labels, status: fc.option(statusValue, { nil: undefined }), staleRv: fc.boolean(), subresource: fc.constantFrom<"status" | undefined>(undefined, "status"), context }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("delete" as const), target, uid: fc.boolean(), staleRv: fc.boolean(), policy: fc.constantFrom<"Orphan" | "Background" | "Foreground" | undefined>(undefined, "Orphan", "Foreground"), context }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("deleteNamespace" as const), ns: fc.constant("other") }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("read" as const), target, selector: fc.constantFrom("", "x=1", "x!=2,y", "!deny", "bad selector=") }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("watch" as const), kind: fc.constantFrom<"container" | "lease">("container", "lease"), ns: fc.constantFrom("default", "other", undefined), back: fc.constantFrom(undefined, 0, 1, 3, 10, 40), selector: fc.constantFrom("", "x=1", "y"), bookmarks: fc.boolean() }) },
  // Paged lists (every continue token followed) at the latest state or at an earlier resourceVersion.
  { weight: 2, arbitrary: fc.record({ op: fc.constant("page" as const), kind: fc.constantFrom<"container" | "lease">("container", "lease"), ns: fc.constantFrom("default", "other", undefined), limit: fc.constantFrom(1, 2, 3), back: fc.constantFrom(undefined, 0, 2, 5, 2000), exact: fc.boolean(), selector: fc.constantFrom("", "x=1") }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("stopWatch" as const), index: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("advance" as const), ms: fc.constantFrom(1, 999, 1000, 61_000) }) },
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

/** Every sequence starts from these objects (the random part then writes, deletes and watches them). */
const SETUP: Operation[] = TARGETS.filter((t, i) => TARGETS.indexOf(t) === i || !TARGETS.slice(0, i).some((u) => u.kind === t.kind && u.ns === t.ns && u.name === t.name)).map(
  (target, i) => ({ op: "create", target, generateName: false, labels: { x: "1" }, finalizers: i % 2 === 0 ? ["example.com/a"] : [], status: undefined, context: { fieldManager: MANAGERS[i % MANAGERS.length] as string } }),
);

const text = (v: unknown) => JSON.stringify(v);

/** One store under test, with the watch streams it delivered (as JSON text, at delivery time). */
class Subject {
  readonly streams: string[][] = [];
  readonly handles: Array<{ stop(): void }> = [];
  constructor(
    readonly store: ClusterStore,
    readonly clock: VirtualClock,
  ) {}
}

async function subject(make: (o: ClusterStoreOptions) => ClusterStore): Promise<Subject> {
  const clock = new VirtualClock(START_MS);
  const store = make({ clock, seed: 11, callWebhook: webhook, watchHistoryLimit: 30 });
  const s = new Subject(store, clock);
  await store.create(CRD_REF, undefined, containerCrd());
  await store.create(NAMESPACE_REF, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: "other" } });
  await store.create(WEBHOOK_CONFIG_REF, undefined, {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingWebhookConfiguration",
    metadata: { name: "diff" },
    webhooks: [
      {
        name: "diff.example.com",
        clientConfig: { url: "inproc://diff" },
        rules: [{ operations: ["*"], apiGroups: ["*"], apiVersions: ["*"], resources: ["containers", "containers/status", "leases"] }],
        failurePolicy: "Fail",
        sideEffects: "None",
        admissionReviewVersions: ["v1"],
      },
    ],
  });
  return s;
}

function refOf(k: "container" | "lease"): ResourceRef {
  return k === "container" ? CONTAINERS : LEASES;
}

function bodyOf(k: "container" | "lease", name: string, meta: JsonObject, status: JsonObject | undefined): JsonObject {
  const metadata: JsonObject = name === "" ? { generateName: "gen-", ...meta } : { name, ...meta };
  if (k === "lease") return { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata, spec: { holderIdentity: "me", leaseDurationSeconds: 10 } };
  return { apiVersion: "containers.rancherdesktop.io/v1alpha1", kind: "Container", metadata, ...(status !== undefined ? { status } : {}) };
}

/** Runs one operation on a subject; the answer as JSON text. `base` is the oracle's view for PUT bodies. */
async function apply(s: Subject, op: Operation, base: ClusterStore): Promise<string> {
  const { store } = s;
  switch (op.op) {
    case "create": {
      const { kind, ns, name } = op.target;
      return text(await store.create(refOf(kind), ns, bodyOf(kind, op.generateName ? "" : name, { labels: op.labels, finalizers: op.finalizers }, op.status), op.context));
    }
    case "merge": {
      const { kind, ns, name } = op.target;
      const patch: JsonObject = { metadata: op.meta };
      if (op.status !== undefined) patch.status = op.status;
      if (op.holder !== undefined) patch.spec = { holderIdentity: op.holder };
      return text(await store.patch(refOf(kind), ns, name, op.patchType, patch, op.context, op.subresource));
    }
    case "ssa": {
      const { kind, ns, name } = op.target;
      const config = bodyOf(kind, name, { labels: op.labels, finalizers: op.finalizers }, op.status);
      const body = op.yaml ? stringifyYaml(config) : config;
      return text(await store.patch(refOf(kind), ns, name, PatchType.apply, body, { ...op.context, force: op.force }, op.subresource));
    }
    case "json":
      return text(await store.patch(refOf(op.target.kind), op.target.ns, op.target.name, PatchType.json, op.ops, op.context, op.subresource));
    case "put": {
      const { kind, ns, name } = op.target;
      // The same body for both stores: built from the oracle's current object (a fresh copy each time).
      const current = base.get(refOf(kind), ns, name);
      const body = current.kind === "ok" ? structuredClone(current.object) : bodyOf(kind, name, {}, undefined);
      const meta = body.metadata as JsonObject;
      meta.labels = op.labels;
      if (op.staleRv) meta.resourceVersion = "1";
      if (op.status !== undefined) body.status = op.status;
      return text(await store.update(refOf(kind), ns, name, body, op.context, op.subresource));
    }
    case "delete": {
      const { kind, ns, name } = op.target;
      const current = base.get(refOf(kind), ns, name);
      const meta = current.kind === "ok" ? (current.object.metadata as JsonObject) : {};
      const preconditions = { ...(op.uid ? { uid: String(meta.uid ?? "none") } : {}), ...(op.staleRv ? { resourceVersion: "1" } : {}) };
      return text(await store.delete(refOf(kind), ns, name, { preconditions, ...(op.policy !== undefined ? { propagationPolicy: op.policy } : {}) }, op.context));
    }
    case "deleteNamespace":
      return text(await store.delete(NAMESPACE_REF, undefined, op.ns));
    case "read": {
      const { kind, ns, name } = op.target;
      return text([store.get(refOf(kind), ns, name), store.list(refOf(kind), { namespace: ns, labelSelector: op.selector }), store.objects(NAMESPACE_REF)]);
    }
    case "page": {
      const rv = op.back === undefined ? undefined : String(Math.max(0, Number(base.resourceVersion()) - op.back));
      const pages: unknown[] = [];
      let next: string | undefined = "";
      for (let i = 0; i < 20 && next !== undefined; i++) {
        const answer = store.list(refOf(op.kind), {
          ...(op.ns !== undefined ? { namespace: op.ns } : {}),
          labelSelector: op.selector,
          limit: op.limit,
          ...(next !== "" ? { continue: next } : rv !== undefined ? { resourceVersion: rv, ...(op.exact ? { resourceVersionMatch: "Exact" as const } : {}) } : {}),
        });
        pages.push(answer);
        const cont = answer.kind === "ok" ? (answer.object.metadata as JsonObject).continue : undefined;
        next = typeof cont === "string" && cont !== "" ? cont : undefined;
      }
      return text(pages);
    }
    case "watch": {
      const stream: string[] = [];
      s.streams.push(stream);
      const rv = op.back === undefined ? "" : String(Math.max(0, Number(base.resourceVersion()) - op.back));
      const handle = store.watch(
        refOf(op.kind),
        { ...(op.ns !== undefined ? { namespace: op.ns } : {}), resourceVersion: rv, labelSelector: op.selector, allowWatchBookmarks: op.bookmarks },
        (event: WatchEvent) => stream.push(text(event)),
        (reason) => stream.push(`end ${reason}`),
      );
      s.handles.push(handle);
      return text(stream);
    }
    case "stopWatch":
      s.handles[op.index % Math.max(1, s.handles.length)]?.stop();
      return "";
    case "advance":
      s.clock.advance(op.ms);
      return String(s.clock.nowMs());
  }
}

describe(`fast store vs the oracle (${SHARE} of ${RUNS} random sequences)`, () => {
  test(
    "every answer and every watch stream is byte-identical",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 50, size: "medium" }), async (random) => {
          const ops = [...SETUP, ...random];
          const oracle = await subject((o) => new ClusterStore(o));
          const fast = await subject((o) => new FastClusterStore(o));
          for (const [i, op] of ops.entries()) {
            // The fast store first: the PUT and delete bodies read the oracle's state before it changes.
            const got = await apply(fast, op, oracle.store);
            const want = await apply(oracle, op, oracle.store);
            if (got !== want) throw new Error(`step ${i} ${text(op)}\nfast:   ${got}\noracle: ${want}`);
          }
          expect(fast.streams).toEqual(oracle.streams);
          expect(fast.store.resourceVersion()).toBe(oracle.store.resourceVersion());
        }),
        { numRuns: SHARE },
      );
    },
    600_000,
  );

  test("the fast store's answers and events are frozen; the oracle's are copies", async () => {
    const fast = await subject((o) => new FastClusterStore(o));
    const events: WatchEvent[] = [];
    fast.store.watch(CONTAINERS, {}, (e) => events.push(e));
    const created = await fast.store.create(CONTAINERS, "default", bodyOf("container", "a", {}, undefined));
    if (created.kind !== "ok") throw new Error(text(created));
    expect(() => {
      (created.object.metadata as JsonObject).name = "changed";
    }).toThrow(TypeError);
    expect(Object.isFrozen(events[0]?.object)).toBe(true);
    const oracle = await subject((o) => new ClusterStore(o));
    const answer = await oracle.store.create(CONTAINERS, "default", bodyOf("container", "a", {}, undefined));
    expect(answer.kind === "ok" && Object.isFrozen(answer.object)).toBe(false);
  });

  test("a fork of the fast store is a fast store serving the same objects; an oracle cannot be its base", async () => {
    const fast = await subject((o) => new FastClusterStore(o));
    await fast.store.create(CONTAINERS, "default", bodyOf("container", "a", {}, undefined));
    const fork = fast.store.fork({ clock: new VirtualClock(START_MS), seed: 3 });
    expect(fork).toBeInstanceOf(FastClusterStore);
    const [original, forked] = [fast.store.get(CONTAINERS, "default", "a"), fork.get(CONTAINERS, "default", "a")];
    expect(forked.kind === "ok" && original.kind === "ok" && forked.object === original.object).toBe(true);
    const oracle = await subject((o) => new ClusterStore(o));
    expect(() => new FastClusterStore({ clock: new VirtualClock(START_MS) }, oracle.store as FastClusterStore)).toThrow("forks only");
  });
});
