import { describe, expect, test } from "bun:test";
import { PatchType } from "./api-request.ts";
import { ClusterStore } from "./cluster-store.ts";
import { VirtualClock } from "@container-actions/sim-kernel";
import { NAMESPACE_REF } from "./resource-registry.ts";
import { CONTAINERS, NS, VALID_STATUS, container, create, failure, jsonPatch, merge, metaOf, okObject, storeWithCrd } from "./store-fixtures.ts";

const NOT_FOUND_MESSAGE = 'containers.containers.rancherdesktop.io "x" not found';

describe("create and get", () => {
  test("create answers 201 with uid, creationTimestamp (whole seconds), generation 1 and a decimal resourceVersion", async () => {
    const { store, clock } = await storeWithCrd();
    clock.advance(1_500);
    const r = await create(store, container("x"));
    expect(r.kind === "ok" && r.code).toBe(201);
    const meta = metaOf(okObject(r));
    expect(meta.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(meta.creationTimestamp).toBe("2026-01-01T00:00:01Z");
    expect(meta.generation).toBe(1);
    expect(meta.namespace).toBe(NS);
    expect(meta.resourceVersion).toBe(store.resourceVersion());
    expect(Number(meta.resourceVersion)).toBeGreaterThan(0);
  });

  test("one global resourceVersion counter across resources", async () => {
    const { store } = await storeWithCrd();
    const a = Number(metaOf(okObject(await create(store, container("a")))).resourceVersion);
    const ns = Number(metaOf(okObject(await store.create(NAMESPACE_REF, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: "other" } }))).resourceVersion);
    const b = Number(metaOf(okObject(await create(store, container("b")))).resourceVersion);
    expect([ns - a, b - ns]).toEqual([1, 1]);
  });

  test("a taken name answers 409 AlreadyExists; a terminating one says so", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x", { finalizers: ["a.io/f"] }));
    expect(failure(await create(store, container("x")))).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'containers.containers.rancherdesktop.io "x" already exists',
      reason: "AlreadyExists",
      details: { name: "x", group: "containers.rancherdesktop.io", kind: "containers" },
      code: 409,
    });
    await store.delete(CONTAINERS, NS, "x");
    expect(failure(await create(store, container("x"))).message).toBe('object is being deleted: containers.containers.rancherdesktop.io "x" already exists');
  });

  test("metadata.name is required; generateName makes one", async () => {
    const { store } = await storeWithCrd();
    const missing = failure(await create(store, container("")));
    expect(missing.code).toBe(422);
    expect(missing.message).toBe('Container.containers.rancherdesktop.io "" is invalid: metadata.name: Required value: name or generateName is required');
    const generated = metaOf(okObject(await create(store, { ...container(""), metadata: { generateName: "web-" } })));
    expect(generated.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  test("invalid names and a namespace that does not exist", async () => {
    const { store } = await storeWithCrd();
    expect(failure(await create(store, container("Bad_Name"))).message).toStartWith(
      'Container.containers.rancherdesktop.io "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of',
    );
    const nsMissing = failure(await store.create(CONTAINERS, "nope", container("x")));
    expect(nsMissing).toMatchObject({ code: 404, reason: "NotFound", message: 'namespaces "nope" not found', details: { name: "nope", kind: "namespaces" } });
  });

  test("create drops status (status subresource) and unknown fields", async () => {
    const { store } = await storeWithCrd();
    const o = okObject(await create(store, { ...container("x"), spec: { junk: 1 }, status: VALID_STATUS, extra: 1 }));
    expect(o.status).toBeUndefined();
    expect(o.extra).toBeUndefined();
    expect(o.spec).toEqual({});
  });

  test("get of a missing object: 404 with the apiserver's message", async () => {
    const { store } = await storeWithCrd();
    expect(failure(store.get(CONTAINERS, NS, "x"))).toMatchObject({ code: 404, reason: "NotFound", message: NOT_FOUND_MESSAGE });
  });

  test("an unknown resource answers 404 'the server could not find the requested resource'", async () => {
    const store = new ClusterStore({ clock: new VirtualClock() });
    expect(failure(store.get(CONTAINERS, NS, "x")).message).toBe("the server could not find the requested resource");
  });
});

describe("list", () => {
  test("list carries the current resourceVersion and filters by label and field selectors", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("a", { labels: { app: "web" } }));
    await create(store, container("b", { labels: { app: "db" } }));
    const all = okObject(store.list(CONTAINERS, { namespace: NS }));
    expect(all).toMatchObject({ apiVersion: "containers.rancherdesktop.io/v1alpha1", kind: "ContainerList", metadata: { continue: "", resourceVersion: store.resourceVersion() } });
    const names = (o: ReturnType<typeof okObject>) => (o.items as Array<{ metadata: { name: string } }>).map((i) => i.metadata.name);
    expect(names(all)).toEqual(["a", "b"]);
    expect(names(okObject(store.list(CONTAINERS, { labelSelector: "app=web" })))).toEqual(["a"]);
    expect(names(okObject(store.list(CONTAINERS, { labelSelector: "app notin (web)" })))).toEqual(["b"]);
    expect(names(okObject(store.list(CONTAINERS, { fieldSelector: "metadata.name=b" })))).toEqual(["b"]);
    expect(names(okObject(store.list(CONTAINERS, { namespace: "kube-system" })))).toEqual([]);
  });

  test("bad selectors answer 400 with the apiserver's words", async () => {
    const { store } = await storeWithCrd();
    expect(failure(store.list(CONTAINERS, { labelSelector: "a===" }))).toMatchObject({ code: 400, reason: "BadRequest", message: "unable to parse requirement: found '=', expected: identifier" });
    expect(failure(store.list(CONTAINERS, { fieldSelector: "spec.x=1" }))).toMatchObject({ code: 400, message: "field label not supported: spec.x" });
  });
});

describe("update (PUT)", () => {
  test("a stale resourceVersion answers 409 Conflict with the real message", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x"));
    const r = failure(await store.update(CONTAINERS, NS, "x", container("x", { resourceVersion: "1" })));
    expect(r).toMatchObject({
      code: 409,
      reason: "Conflict",
      message:
        'Operation cannot be fulfilled on containers.containers.rancherdesktop.io "x": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: "x", group: "containers.rancherdesktop.io", kind: "containers" },
    });
  });

  test("custom resources refuse an update without resourceVersion (422), a missing object is 404", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x"));
    expect(failure(await store.update(CONTAINERS, NS, "x", container("x"))).message).toBe(
      'containers.containers.rancherdesktop.io "x" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    );
    expect(failure(await store.update(CONTAINERS, NS, "y", container("y", { resourceVersion: "5" }))).message).toBe(
      'containers.containers.rancherdesktop.io "y" not found',
    );
  });

  test("the name in the body must match; a uid in the body is a precondition", async () => {
    const { store } = await storeWithCrd();
    const rv = String(metaOf(okObject(await create(store, container("x")))).resourceVersion);
    expect(failure(await store.update(CONTAINERS, NS, "x", container("y", { resourceVersion: rv }))).message).toBe(
      "the name of the object (y) does not match the name on the URL (x)",
    );
    const uidMismatch = failure(await store.update(CONTAINERS, NS, "x", container("x", { resourceVersion: rv, uid: "u-1" })));
    expect(uidMismatch.code).toBe(409);
    expect(uidMismatch.message).toContain("Precondition failed: UID in precondition: u-1, UID in object meta: ");
  });
});

describe("patch", () => {
  test("merge patch: a resourceVersion in the patch is a precondition", async () => {
    const { store } = await storeWithCrd();
    const rv = String(metaOf(okObject(await create(store, container("x")))).resourceVersion);
    expect(failure(await merge(store, "x", { metadata: { resourceVersion: "1", annotations: { a: "1" } } })).code).toBe(409);
    expect(metaOf(okObject(await merge(store, "x", { metadata: { resourceVersion: rv, annotations: { a: "1" } } }))).annotations).toEqual({ a: "1" });
  });

  test("JSON patch: a failed test answers 422 Invalid with the generic message", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x", { annotations: { a: "1" } }));
    expect(failure(await jsonPatch(store, "x", [{ op: "test", path: "/metadata/annotations/a", value: "2" }]))).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "the server rejected our request due to an error in our request",
      reason: "Invalid",
      details: {},
      code: 422,
    });
  });

  test("JSON patch: test null on a missing annotation passes (the guarded removal idiom)", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x", { annotations: { a: "1" } }));
    const r = okObject(await jsonPatch(store, "x", [{ op: "test", path: "/metadata/annotations/b", value: null }, { op: "add", path: "/metadata/annotations/b", value: "2" }]));
    expect(metaOf(r).annotations).toEqual({ a: "1", b: "2" });
  });

  test("strategic merge patch on a custom resource: 415 exactly as the apiserver answers", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x"));
    expect(failure(await store.patch(CONTAINERS, NS, "x", PatchType.strategic, {}))).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message:
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
      reason: "UnsupportedMediaType",
      code: 415,
    });
    expect(failure(await store.patch(CONTAINERS, NS, "x", PatchType.apply, "")).code).toBe(422); // apply is served: without fieldManager it is invalid
  });

  test("a malformed merge patch is a 500 without reason; a malformed JSON patch a 400", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x"));
    expect(failure(await merge(store, "x", [1]))).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Invalid JSON Patch", code: 500 });
    expect(failure(await jsonPatch(store, "x", { op: "add" })).code).toBe(400);
  });

  test("renaming through a patch is refused with 400; changing the uid with 422 twice-listed cause", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x"));
    expect(failure(await merge(store, "x", { metadata: { name: "y" } })).message).toBe("the name of the object (y) does not match the name on the URL (x)");
    const uid = failure(await merge(store, "x", { metadata: { uid: "zz" } }));
    expect(uid.message).toBe('Container.containers.rancherdesktop.io "x" is invalid: metadata.uid: Invalid value: "zz": field is immutable');
    expect(uid.details?.causes?.length).toBe(2);
  });

  test("no-op writes do not bump resourceVersion nor touch managedFields", async () => {
    const { store, clock } = await storeWithCrd();
    await create(store, container("x", { annotations: { a: "1" } }), { fieldManager: "m" });
    const before = okObject(store.get(CONTAINERS, NS, "x"));
    clock.advance(5_000);
    const after = okObject(await merge(store, "x", { metadata: { annotations: { a: "1" } } }, { fieldManager: "other" }));
    expect(after).toEqual(before);
  });
});

describe("status subresource and generation", () => {
  test("main writes ignore status; status writes ignore everything else", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x"));
    const main = okObject(await merge(store, "x", { status: VALID_STATUS, metadata: { labels: { a: "b" } } }));
    expect(main.status).toBeUndefined();
    expect(metaOf(main).labels).toEqual({ a: "b" });
    const status = okObject(await merge(store, "x", { status: VALID_STATUS, metadata: { labels: { c: "d" } } }, {}, "status"));
    expect(status.status).toEqual(VALID_STATUS);
    expect(metaOf(status).labels).toEqual({ a: "b" });
    expect(metaOf(status).generation).toBe(1);
  });

  test("status writes are validated against the schema with the real messages", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x"));
    const lastAction = { action: "start", state: "X", observedAt: "2026-01-01T00:00:00Z", completedAt: "2026-01-01T00:00:00Z" };
    expect(failure(await merge(store, "x", { status: { ...VALID_STATUS, lastAction } }, {}, "status"))).toMatchObject({
      code: 422,
      reason: "Invalid",
      message: 'Container.containers.rancherdesktop.io "x" is invalid: status.lastAction.state: Unsupported value: "X": supported values: "Succeeded", "Failed"',
      details: {
        name: "x",
        group: "containers.rancherdesktop.io",
        kind: "Container",
        causes: [{ reason: "FieldValueNotSupported", message: 'Unsupported value: "X": supported values: "Succeeded", "Failed"', field: "status.lastAction.state" }],
      },
    });
    const { image: _, ...noImage } = VALID_STATUS;
    expect(failure(await merge(store, "x", { status: noImage }, {}, "status")).message).toBe('Container.containers.rancherdesktop.io "x" is invalid: status.image: Required value');
  });

  test("generation moves only when something but metadata and status changes (spec is pruned here)", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x", {}, { spec: {} }));
    const o = okObject(await merge(store, "x", { spec: { ignored: 1 }, metadata: { annotations: { a: "1" } } }));
    expect(metaOf(o).generation).toBe(1);
  });
});

describe("delete and finalizers", () => {
  test("with finalizers: 200 with deletionTimestamp, grace 0, generation + 1; again: no change", async () => {
    const { store, clock } = await storeWithCrd();
    await create(store, container("x", { finalizers: ["engine.rancherdesktop.io/mirror"] }));
    clock.advance(3_000);
    const first = okObject(await store.delete(CONTAINERS, NS, "x"));
    expect(metaOf(first)).toMatchObject({ deletionTimestamp: "2026-01-01T00:00:03Z", deletionGracePeriodSeconds: 0, generation: 2 });
    clock.advance(3_000);
    expect(okObject(await store.delete(CONTAINERS, NS, "x"))).toEqual(first);
  });

  test("adding a finalizer to a terminating object is refused; removing the last one deletes it", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x", { finalizers: ["a.io/f"] }));
    await store.delete(CONTAINERS, NS, "x");
    const refused = failure(await merge(store, "x", { metadata: { finalizers: ["a.io/f", "b.io/g"] } }));
    expect(refused.message).toBe(
      'Container.containers.rancherdesktop.io "x" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/g"}',
    );
    const last = okObject(await jsonPatch(store, "x", [{ op: "remove", path: "/metadata/finalizers" }]));
    expect(metaOf(last).finalizers).toBeUndefined();
    expect(failure(store.get(CONTAINERS, NS, "x")).code).toBe(404);
  });

  test("without finalizers: a Success Status, and the object is gone", async () => {
    const { store } = await storeWithCrd();
    const uid = metaOf(okObject(await create(store, container("x")))).uid;
    expect(okObject(await store.delete(CONTAINERS, NS, "x"))).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      details: { name: "x", group: "containers.rancherdesktop.io", kind: "containers", uid: uid as string },
    });
    expect(failure(await store.delete(CONTAINERS, NS, "x")).message).toBe(NOT_FOUND_MESSAGE.replace('"x"', '"x"'));
  });

  test("delete preconditions answer 409 naming the kind", async () => {
    const { store } = await storeWithCrd();
    const meta = metaOf(okObject(await create(store, container("x"))));
    expect(failure(await store.delete(CONTAINERS, NS, "x", { preconditions: { uid: "abc" } })).message).toBe(
      `Operation cannot be fulfilled on Container.containers.rancherdesktop.io "x": the UID in the precondition (abc) does not match the UID in record (${String(meta.uid)}). The object might have been deleted and then recreated`,
    );
    const rv = failure(await store.delete(CONTAINERS, NS, "x", { preconditions: { resourceVersion: "1" } }));
    expect(rv).toMatchObject({
      code: 409,
      message: `Operation cannot be fulfilled on Container.containers.rancherdesktop.io "x": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (${String(meta.resourceVersion)}). The object might have been modified`,
      details: { name: "x", group: "containers.rancherdesktop.io", kind: "Container" },
    });
  });

  test("propagationPolicy Orphan adds the orphan finalizer", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x"));
    const o = okObject(await store.delete(CONTAINERS, NS, "x", { propagationPolicy: "Orphan" }));
    expect(metaOf(o).finalizers).toEqual(["orphan"]);
  });
});

describe("dry run and CRDs", () => {
  test("dryRun computes the answer but commits nothing", async () => {
    const { store } = await storeWithCrd();
    const rv = store.resourceVersion();
    const r = await create(store, container("x"), { dryRun: true });
    expect(r.kind === "ok" && r.code).toBe(201);
    expect(store.resourceVersion()).toBe(rv);
    expect(failure(store.get(CONTAINERS, NS, "x")).code).toBe(404);
  });

  test("a CRD registers its kind with status subresource, scope, schema and printer columns; it is Established", async () => {
    const { store } = await storeWithCrd();
    const info = store.resource(CONTAINERS);
    expect(info).toMatchObject({ kind: "Container", namespaced: true, statusSubresource: true, custom: true, categories: ["all"] });
    expect(info?.printerColumns.map((c) => c.name)).toEqual(["Name", "Status", "Last action", "Last result", "Age"]);
    const crd = okObject(store.get({ group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" }, undefined, "containers.containers.rancherdesktop.io"));
    const conditions = (crd.status as { conditions: Array<{ type: string; status: string }> }).conditions;
    expect(conditions.map((c) => `${c.type}=${c.status}`)).toEqual(["NamesAccepted=True", "Established=True"]);
  });

  test("deleting the CRD removes its kind and its objects", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x"));
    await store.delete({ group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" }, undefined, "containers.containers.rancherdesktop.io");
    expect(store.resource(CONTAINERS)).toBeUndefined();
  });
});

describe("fork", () => {
  test("a fork shares the objects and kinds, then lives on its own", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x"));
    const clock = new VirtualClock(Date.UTC(2027, 0, 1));
    const fork = store.fork({ clock, seed: 9 });
    expect(fork.resourceVersion()).toBe(store.resourceVersion());
    expect(okObject(fork.get(CONTAINERS, NS, "x"))).toEqual(okObject(store.get(CONTAINERS, NS, "x")));
    await merge(fork, "x", { metadata: { annotations: { only: "fork" } } });
    expect(metaOf(okObject(store.get(CONTAINERS, NS, "x"))).annotations).toBeUndefined();
    expect(metaOf(okObject(await create(fork, container("y")))).creationTimestamp).toBe("2027-01-01T00:00:00Z");
    expect(failure(store.get(CONTAINERS, NS, "y")).code).toBe(404);
    const seen: string[] = [];
    fork.watch(CONTAINERS, { resourceVersion: "1" }, (e) => seen.push(e.type));
    expect(seen).toEqual(["ERROR"]);
  });
});
