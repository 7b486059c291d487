import { describe, expect, test } from "bun:test";
import { ClusterStore, type ClusterStoreOptions } from "./cluster-store.ts";
import { FastClusterStore } from "./fast-cluster-store.ts";
import { VALID_STATUS, container, create, failure, merge, okObject, storeWithCrd } from "./store-fixtures.ts";

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
  });
}
