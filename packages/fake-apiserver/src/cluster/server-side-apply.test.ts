import { describe, expect, test } from "bun:test";
import { PatchType, type RequestContext } from "./api-request.ts";
import { ClusterStore, type ClusterStoreOptions } from "./cluster-store.ts";
import { FastClusterStore } from "./fast-cluster-store.ts";
import type { JsonObject } from "./json.ts";
import { CONTAINERS, NS, VALID_STATUS, container, create, failure, merge, metaOf, okObject, storeWithCrd } from "./store-fixtures.ts";

type Entry = { manager: string; operation: string; fieldsV1: JsonObject; subresource?: string };
const entries = (o: JsonObject) => (metaOf(o).managedFields ?? []) as Entry[];
const owners = (o: JsonObject) => Object.fromEntries(entries(o).map((e) => [`${e.manager}:${e.operation}${e.subresource ? `/${e.subresource}` : ""}`, e.fieldsV1]));

const STORES: [string, (o: ClusterStoreOptions) => ClusterStore][] = [
  ["ClusterStore", (o) => new ClusterStore(o)],
  ["FastClusterStore", (o) => new FastClusterStore(o)],
];

function apply(store: ClusterStore, name: string, body: unknown, context: RequestContext, subresource?: "status") {
  return store.patch(CONTAINERS, NS, name, PatchType.apply, body, context, subresource);
}

for (const [label, make] of STORES) {
  describe(`server-side apply (${label})`, () => {
    test("fieldManager is required (422 on PatchOptions)", async () => {
      const { store } = await storeWithCrd({}, make);
      const s = failure(await apply(store, "x", container("x"), {}));
      expect(s.code).toBe(422);
      expect(s.message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    });

    test("apply creates a missing object (201) and owns what it applied, as YAML or JSON", async () => {
      const { store } = await storeWithCrd({}, make);
      const yaml = "apiVersion: containers.rancherdesktop.io/v1alpha1\nkind: Container\nmetadata:\n  name: x\n  labels:\n    a: b\n";
      const out = await apply(store, "x", yaml, { fieldManager: "ssa" });
      expect(out.kind === "ok" && out.code).toBe(201);
      const o = okObject(out);
      expect(metaOf(o).labels).toEqual({ a: "b" });
      expect(owners(o)).toEqual({ "ssa:Apply": { "f:metadata": { "f:labels": { "f:a": {} } } } });
      const again = okObject(await apply(store, "x", JSON.stringify(container("x", { labels: { a: "b" } })), { fieldManager: "ssa" }));
      expect(metaOf(again).resourceVersion).toBe(metaOf(o).resourceVersion);
    });

    test("a field another manager owns is a conflict (409, one cause per field) until forced", async () => {
      const { store } = await storeWithCrd({}, make);
      okObject(await create(store, container("x", { labels: { a: "1", b: "2" } }), { fieldManager: "maker" }));
      const s = failure(await apply(store, "x", container("x", { labels: { a: "9", b: "8" } }), { fieldManager: "ssa" }));
      expect(s.code).toBe(409);
      expect(s.reason).toBe("Conflict");
      expect(s.details?.causes).toEqual([
        { reason: "FieldManagerConflict", message: 'conflict with "maker" using containers.rancherdesktop.io/v1alpha1', field: ".metadata.labels.a" },
        { reason: "FieldManagerConflict", message: 'conflict with "maker" using containers.rancherdesktop.io/v1alpha1', field: ".metadata.labels.b" },
      ]);
      expect(s.message).toBe(
        'Apply failed with 2 conflicts: conflicts with "maker" using containers.rancherdesktop.io/v1alpha1:\n- .metadata.labels.a\n- .metadata.labels.b',
      );
      const forced = okObject(await apply(store, "x", container("x", { labels: { a: "9" } }), { fieldManager: "ssa", force: true }));
      expect(metaOf(forced).labels).toEqual({ a: "9", b: "2" });
      expect(owners(forced)).toEqual({
        "maker:Update": { "f:metadata": { "f:labels": { ".": {}, "f:b": {} } } },
        "ssa:Apply": { "f:metadata": { "f:labels": { "f:a": {} } } },
      });
    });

    test("applying the same value another manager set is no conflict: both own it", async () => {
      const { store } = await storeWithCrd({}, make);
      okObject(await create(store, container("x", { labels: { a: "1" } }), { fieldManager: "maker" }));
      const o = okObject(await apply(store, "x", container("x", { labels: { a: "1" } }), { fieldManager: "ssa" }));
      expect(Object.keys(owners(o)).sort()).toEqual(["maker:Update", "ssa:Apply"]);
    });

    test("a field the applier stops applying is removed unless another manager owns it", async () => {
      const { store } = await storeWithCrd({}, make);
      okObject(await apply(store, "x", container("x", { labels: { a: "1", b: "2" } }), { fieldManager: "ssa" }));
      okObject(await apply(store, "x", container("x", { labels: { a: "1", c: "3" } }), { fieldManager: "other" }));
      const o = okObject(await apply(store, "x", container("x", { labels: {} }), { fieldManager: "ssa" }));
      expect(metaOf(o).labels).toEqual({ a: "1", c: "3" });
    });

    test("apply on /status merges a map list by its key and owns only status", async () => {
      const { store } = await storeWithCrd({}, make);
      okObject(await create(store, container("x"), { fieldManager: "maker" }));
      const status = { ...VALID_STATUS, ports: [{ name: "80/tcp" }] };
      okObject(await apply(store, "x", container("x", {}, { status }), { fieldManager: "engine" }, "status"));
      const o = okObject(await apply(store, "x", container("x", {}, { status: { ports: [{ name: "443/tcp" }] } }), { fieldManager: "other" }, "status"));
      expect((o.status as JsonObject).ports).toEqual([{ name: "80/tcp" }, { name: "443/tcp" }]);
      expect(owners(o)["other:Apply/status"]).toEqual({ "f:status": { "f:ports": { 'k:{"name":"443/tcp"}': { ".": {}, "f:name": {} } } } });
      const main = okObject(await apply(store, "x", container("x", {}, { status: { ports: [] } }), { fieldManager: "main" }));
      expect((main.status as JsonObject).ports).toEqual([{ name: "80/tcp" }, { name: "443/tcp" }]);
    });

    test("YAML is read as 1.1, as sigs.k8s.io/yaml does: a key `y` is the boolean true (found by the e2e differential)", async () => {
      const { store } = await storeWithCrd({}, make);
      const o = okObject(await apply(store, "x", "apiVersion: containers.rancherdesktop.io/v1alpha1\nkind: Container\nmetadata:\n  name: x\n  labels:\n    y: \"2\"\n", { fieldManager: "ssa" }));
      expect(metaOf(o).labels).toEqual({ true: "2" });
    });

    test("a repeated key in an applied YAML is no error: the last one wins", async () => {
      const { store } = await storeWithCrd({}, make);
      const o = okObject(await apply(store, "x", "apiVersion: containers.rancherdesktop.io/v1alpha1\nkind: Container\nmetadata:\n  name: x\n  labels:\n    a: \"1\"\n    a: \"2\"\n", { fieldManager: "ssa" }));
      expect(metaOf(o).labels).toEqual({ a: "2" });
    });

    test("a map-list item the applier stops applying goes whole (found by the e2e differential)", async () => {
      const { store } = await storeWithCrd({}, make);
      okObject(await create(store, container("x"), { fieldManager: "maker" }));
      okObject(await apply(store, "x", container("x", {}, { status: { ...VALID_STATUS, ports: [{ name: "80/tcp" }, { name: "443/tcp" }] } }), { fieldManager: "engine" }, "status"));
      const o = okObject(await apply(store, "x", container("x", {}, { status: { ...VALID_STATUS, ports: [{ name: "443/tcp" }] } }), { fieldManager: "engine" }, "status"));
      expect((o.status as JsonObject).ports).toEqual([{ name: "443/tcp" }]);
    });

    test("a built-in (the webhook registration): a forced re-apply of the same configuration changes nothing", async () => {
      const { store } = await storeWithCrd({}, make);
      const ref = { group: "admissionregistration.k8s.io", version: "v1", resource: "validatingwebhookconfigurations" };
      const config = {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingWebhookConfiguration",
        metadata: { name: "hook" },
        webhooks: [{ name: "a.example.com", admissionReviewVersions: ["v1"], sideEffects: "None", clientConfig: { url: "https://127.0.0.1:1/" }, rules: [{ operations: ["UPDATE"], apiGroups: ["x"], apiVersions: ["v1"], resources: ["y"] }] }],
      };
      const first = await store.patch(ref, undefined, "hook", PatchType.apply, JSON.stringify(config), { fieldManager: "registrar", force: true });
      expect(first.kind === "ok" && first.code).toBe(201);
      const again = okObject(await store.patch(ref, undefined, "hook", PatchType.apply, JSON.stringify(config), { fieldManager: "registrar", force: true }));
      expect(metaOf(again).resourceVersion).toBe(metaOf(okObject(first)).resourceVersion);
      expect(Object.keys(owners(again))).toEqual(["registrar:Apply"]);
    });

    test("a merge patch over an applied field takes it from the applier", async () => {
      const { store } = await storeWithCrd({}, make);
      okObject(await apply(store, "x", container("x", { labels: { a: "1" } }), { fieldManager: "ssa" }));
      const o = okObject(await merge(store, "x", { metadata: { labels: { a: "2" } } }, { fieldManager: "editor" }));
      expect(Object.keys(owners(o))).toEqual(["editor:Update"]);
      expect(failure(await apply(store, "x", container("x", { labels: { a: "1" } }), { fieldManager: "ssa" })).code).toBe(409);
    });
  });
}
