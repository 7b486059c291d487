import { describe, expect, test } from "bun:test";
import { ClusterStore, type ClusterStoreOptions } from "./cluster-store.ts";
import { FastClusterStore } from "./fast-cluster-store.ts";
import { CONTAINERS, NS, VALID_STATUS, container, create, failure, merge, okObject, storeWithCrd } from "./store-fixtures.ts";
import { PatchType, type RequestContext } from "./api-request.ts";
import type { JsonObject } from "./json.ts";

const STORES: [string, (o: ClusterStoreOptions) => ClusterStore][] = [
  ["ClusterStore", (o) => new ClusterStore(o)],
  ["FastClusterStore", (o) => new FastClusterStore(o)],
];

for (const [label, make] of STORES) {
  describe(`fieldValidation (${label})`, () => {
    test("Warn (the default): the unknown fields are dropped and each one is a warning", async () => {
      const { store } = await storeWithCrd({}, make);
      const out = await create(store, { ...container("x", { bogus: 1 }), spec: { x: 1 } });
      expect(out.kind === "ok" && out.warnings).toEqual(['unknown field "metadata.bogus"', 'unknown field "spec.x"']);
      expect(okObject(out).spec).toEqual({});
      const patched = await merge(store, "x", { status: { ...VALID_STATUS, ports: [{ name: "80/tcp", junk: true }] } }, {}, "status");
      expect(patched.kind === "ok" && patched.warnings).toEqual(['unknown field "status.ports[0].junk"']);
    });

    test("Strict refuses with the decoder's words; Ignore says nothing", async () => {
      const { store } = await storeWithCrd({}, make);
      const s = failure(await create(store, { ...container("x"), spec: { x: 1, y: 2 } }, { fieldValidation: "Strict" }));
      expect([s.code, s.reason, s.message]).toEqual([400, "BadRequest", 'Container in version "v1alpha1" cannot be handled as a Container: strict decoding error: unknown field "spec.x", unknown field "spec.y"']);
      const ignored = await create(store, { ...container("x"), spec: { x: 1 } }, { fieldValidation: "Ignore" });
      expect(okObject(ignored).spec).toEqual({});
      expect(ignored.kind === "ok" ? ignored.warnings : "failed").toBeUndefined();
    });

    test("the body's own strict errors come first; unknown fields are ObjectMeta's then the schema's, each sorted", async () => {
      const { store } = await storeWithCrd({}, make);
      const context = { fieldValidation: "Strict" as const, bodyStrictErrors: ['duplicate field "spec.a"'] };
      const s = failure(await create(store, { ...container("x", { zz: 1, aa: 2 }), spec: { z: 1, a: 1 } }, context));
      expect(s.message).toBe('Container in version "v1alpha1" cannot be handled as a Container: strict decoding error: duplicate field "spec.a", unknown field "metadata.aa", unknown field "metadata.zz", unknown field "spec.a", unknown field "spec.z"');
      const warned = await create(store, container("y"), { bodyStrictErrors: ['duplicate field "metadata.name"'] });
      expect(warned.kind === "ok" && warned.warnings).toEqual(['duplicate field "metadata.name"']);
      const ignored = await create(store, container("z"), { fieldValidation: "Ignore", bodyStrictErrors: ['duplicate field "metadata.name"'] });
      expect(ignored.kind === "ok" ? ignored.warnings : "failed").toBeUndefined();
    });

    test("a Strict patch is a 422 on `patch` printing the patched object (key-sorted, as Go encodes it), and writes nothing", async () => {
      const { store } = await storeWithCrd({}, make);
      await create(store, container("x"));
      const s = failure(await merge(store, "x", { status: { ...VALID_STATUS, junk: "<&>" } }, { fieldValidation: "Strict" }, "status"));
      expect([s.code, s.reason, s.details?.causes?.map((c) => c.field)]).toEqual([422, "Invalid", ["patch"]]);
      expect(s.message).toStartWith(' "" is invalid: patch: Invalid value: "{\\"apiVersion\\":\\"containers.rancherdesktop.io/v1alpha1\\",\\"kind\\":\\"Container\\",\\"metadata\\":{');
      expect(s.message).toContain('\\"junk\\":\\"\\\\u003c\\\\u0026\\\\u003e\\"');
      expect(s.message).toEndWith('": strict decoding error: unknown field "status.junk"');
      const after = await store.request({ verb: "get", resource: CONTAINERS, namespace: NS, name: "x" });
      expect(okObject(after).status).toBeUndefined();
    });

    test("apply: repeated YAML keys warn (Warn), refuse with go-yaml's words (Strict), or pass (Ignore), after conflicts", async () => {
      const { store } = await storeWithCrd({}, make);
      const yaml = 'apiVersion: containers.rancherdesktop.io/v1alpha1\nkind: Container\nmetadata:\n  name: x\n  labels:\n    k: "1"\n    k: "2"\n';
      const apply = (context: RequestContext) => store.request({ verb: "patch", resource: CONTAINERS, namespace: NS, name: "x", patchType: PatchType.apply, patch: yaml, context: { fieldManager: "m", ...context } });
      const strict = failure(await apply({ fieldValidation: "Strict" }));
      expect([strict.code, strict.message]).toEqual([400, 'error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 7: key "k" already set in map']);
      const created = await apply({});
      expect(created.kind === "ok" && [created.code, created.warnings, (created.object.metadata as JsonObject).labels]).toEqual([201, ['line 7: key "k" already set in map'], { k: "2" }]);
      const ignored = await apply({ fieldValidation: "Ignore" });
      expect(ignored.kind === "ok" ? ignored.warnings : "failed").toBeUndefined();
      // Unknown fields are not the decoder's to report on an apply (the typed apply handles them).
      const unknown = await store.request({ verb: "patch", resource: CONTAINERS, namespace: NS, name: "u", patchType: PatchType.apply, patch: yaml.replace("name: x", "name: u").replace('    k: "2"\n', '    k: "2"\nspec:\n  foo: 1\n'), context: { fieldManager: "m", fieldValidation: "Strict" } });
      expect(unknown.kind === "failure" ? unknown.status.message : [unknown.code, unknown.warnings, unknown.object.spec]).toEqual('error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 7: key "k" already set in map');
      const clean = await store.request({ verb: "patch", resource: CONTAINERS, namespace: NS, name: "u", patchType: PatchType.apply, patch: yaml.replace("name: x", "name: u").replace('    k: "1"\n', "").replace('    k: "2"\n', '    k: "2"\nspec:\n  foo: 1\n'), context: { fieldManager: "m", fieldValidation: "Strict" } });
      expect(clean.kind === "ok" && [clean.code, clean.warnings, clean.object.spec]).toEqual([201, undefined, {}]);
      const conflict = failure(await store.request({ verb: "patch", resource: CONTAINERS, namespace: NS, name: "x", patchType: PatchType.apply, patch: yaml.replace(/"2"/, '"3"'), context: { fieldManager: "other", fieldValidation: "Strict" } }));
      expect(conflict.code).toBe(409);
    });

    test("built-in kinds drop what their Go types lack, in document order, a repeated unknown field reported once", async () => {
      const { store } = await storeWithCrd({}, make);
      const leases = { group: "coordination.k8s.io", version: "v1", resource: "leases" };
      const body = { apiVersion: "coordination.k8s.io/v1", kind: "Lease", top: 1, metadata: { name: "l", odd: 1 }, spec: { holderIdentity: "a", foo: 1 } };
      const bodyStrictErrors = ['duplicate field "spec.foo"', 'duplicate field "spec.holderIdentity"'];
      const s = failure(await store.create(leases, NS, body, { fieldValidation: "Strict", bodyStrictErrors }));
      expect(s.message).toBe('Lease in version "v1" cannot be handled as a Lease: strict decoding error: duplicate field "spec.holderIdentity", unknown field "top", unknown field "metadata.odd", unknown field "spec.foo"');
      const created = await store.create(leases, NS, body);
      expect(okObject(created).spec).toEqual({ holderIdentity: "a" });
      expect(okObject(created).top).toBeUndefined();
      // A strategic merge patch's Strict 422 prints the patch as Go's %+v of a map (handlers/patch.go).
      const smp = failure(await store.patch(leases, NS, "l", PatchType.strategic, { spec: { foo: 1, holderIdentity: "b" } }, { fieldValidation: "Strict" }));
      expect([smp.code, smp.message]).toEqual([422, ' "" is invalid: patch: Invalid value: "map[spec:map[foo:1 holderIdentity:b]]": strict decoding error: unknown field "spec.foo"']);
    });
  });
}
