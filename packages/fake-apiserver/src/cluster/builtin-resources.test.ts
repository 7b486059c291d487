import { expect, test } from "bun:test";
import { ClusterStore } from "./cluster-store.ts";
import { VirtualClock } from "@container-actions/sim-kernel";
import { CRD_REF, NAMESPACE_REF } from "./resource-registry.ts";
import { CONTAINERS, container, failure, metaOf, okObject, storeWithCrd } from "./store-fixtures.ts";

const LEASES = { group: "coordination.k8s.io", version: "v1", resource: "leases" };
const EVENTS = { group: "", version: "v1", resource: "events" };

test("namespaces: the default ones exist, Active, with the kubernetes finalizer", () => {
  const store = new ClusterStore({ clock: new VirtualClock() });
  const names = store.objects(NAMESPACE_REF).map((n) => metaOf(n).name);
  expect(names).toEqual(["default", "kube-node-lease", "kube-public", "kube-system"]);
  expect(okObject(store.get(NAMESPACE_REF, undefined, "default"))).toMatchObject({ kind: "Namespace", apiVersion: "v1", spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } });
});

test("namespaces: a deleted one stays Terminating and refuses new content with 403", async () => {
  const { store } = await storeWithCrd();
  await store.create(NAMESPACE_REF, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: "gone" } });
  const deleted = okObject(await store.delete(NAMESPACE_REF, undefined, "gone"));
  expect(deleted.status).toEqual({ phase: "Terminating" });
  expect(okObject(await store.delete(NAMESPACE_REF, undefined, "gone"))).toEqual(deleted);
  expect(failure(await store.create(CONTAINERS, "gone", container("x")))).toMatchObject({
    code: 403,
    reason: "Forbidden",
    message: 'containers.containers.rancherdesktop.io "x" is forbidden: unable to create new content in namespace gone because it is being terminated',
    details: { causes: [{ reason: "NamespaceTerminating", message: "namespace gone is being terminated", field: "metadata.namespace" }] },
  });
});

test("leases: optimistic concurrency, and no unconditional update (422 like v1.20)", async () => {
  const store = new ClusterStore({ clock: new VirtualClock() });
  const lease = { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "leader" }, spec: { holderIdentity: "a", leaseDurationSeconds: 15 } };
  const created = okObject(await store.create(LEASES, "default", lease));
  expect(metaOf(created).generation).toBeUndefined();
  const rv = String(metaOf(created).resourceVersion);
  expect(failure(await store.update(LEASES, "default", "leader", { ...lease, metadata: { name: "leader", resourceVersion: "1" } })).code).toBe(409);
  expect(failure(await store.update(LEASES, "default", "leader", lease)).message).toBe(
    'leases.coordination.k8s.io "leader" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
  );
  const renewed = okObject(await store.update(LEASES, "default", "leader", { ...lease, metadata: { name: "leader", resourceVersion: rv }, spec: { holderIdentity: "b" } }));
  expect(renewed.spec).toEqual({ holderIdentity: "b" });
});

test("events: created with generateName, listed by field selector", async () => {
  const store = new ClusterStore({ clock: new VirtualClock() });
  const event = { apiVersion: "v1", kind: "Event", metadata: { generateName: "c1." }, involvedObject: { kind: "Container", name: "c1", namespace: "default" }, reason: "Invalid", type: "Warning" };
  const e = okObject(await store.create(EVENTS, "default", event));
  expect(String(metaOf(e).name)).toMatch(/^c1\.[a-z0-9]{5}$/);
  const list = okObject(store.list(EVENTS, { namespace: "default", fieldSelector: "involvedObject.name=c1,reason=Invalid" }));
  expect((list.items as unknown[]).length).toBe(1);
  expect(list).toMatchObject({ kind: "EventList", apiVersion: "v1" });
  const elsewhere = { ...event, involvedObject: { kind: "Container", name: "c1", namespace: "other" } };
  expect(failure(await store.create(EVENTS, "default", elsewhere)).message).toMatch(
    /^Event "c1\.[a-z0-9]{5}" is invalid: involvedObject\.namespace: Invalid value: "other": does not match event\.namespace$/,
  );
});

test("typed endpoints default a missing kind from the URL; custom resources must carry it", async () => {
  const { store } = await storeWithCrd();
  expect(okObject(await store.create(LEASES, "default", { metadata: { name: "l" } })).kind).toBe("Lease");
  expect(failure(await store.create(CONTAINERS, "default", { metadata: { name: "x" } }))).toMatchObject({ code: 400, reason: "BadRequest" });
});

test("namespaces carry kubernetes.io/metadata.name (1.21+), set by the strategy: no manager owns it, a patch cannot remove it", async () => {
  const { store } = await storeWithCrd();
  expect(metaOf(okObject(store.get(NAMESPACE_REF, undefined, "default"))).labels).toEqual({ "kubernetes.io/metadata.name": "default" });
  const created = okObject(await store.create(NAMESPACE_REF, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: "mine", labels: { team: "a" } } }, { fieldManager: "maker" }));
  expect(metaOf(created).labels).toEqual({ team: "a", "kubernetes.io/metadata.name": "mine" });
  expect(JSON.stringify(metaOf(created).managedFields)).not.toContain("metadata.name");
  const patched = okObject(await store.patch(NAMESPACE_REF, undefined, "mine", "application/merge-patch+json", { metadata: { labels: { "kubernetes.io/metadata.name": null } } }));
  expect(metaOf(patched).labels).toEqual({ team: "a", "kubernetes.io/metadata.name": "mine" });
});

test("CRDs: spec.conversion defaults to strategy None; the status names, stored versions and conditions are set", async () => {
  const { store } = await storeWithCrd();
  const crd = okObject(store.get(CRD_REF, undefined, "containers.containers.rancherdesktop.io"));
  expect((crd.spec as Record<string, unknown>).conversion).toEqual({ strategy: "None" });
  expect(crd.status).toMatchObject({ acceptedNames: { kind: "Container", plural: "containers", singular: "container", listKind: "ContainerList" }, storedVersions: ["v1alpha1"] });
  expect(((crd.status as Record<string, unknown>).conditions as Array<{ type: string; status: string }>).map((c) => `${c.type}=${c.status}`)).toEqual(["NamesAccepted=True", "Established=True"]);
});
