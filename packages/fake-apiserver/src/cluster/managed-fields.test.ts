import { describe, expect, test } from "bun:test";
import type { JsonObject } from "./json.ts";
import { decodeFieldsV1, encodeFieldsV1 } from "./managed-fields.ts";
import { VALID_STATUS, container, create, jsonPatch, merge, metaOf, okObject, storeWithCrd } from "./store-fixtures.ts";

type Entry = { manager: string; operation: string; time: string; fieldsV1: JsonObject; subresource?: string };
const entries = (o: JsonObject) => metaOf(o).managedFields as Entry[];
const owners = (o: JsonObject) => Object.fromEntries(entries(o).map((e) => [`${e.manager}${e.subresource ? `/${e.subresource}` : ""}`, e.fieldsV1]));

describe("managedFields", () => {
  test("create: one Update entry with the fields set, time in whole seconds", async () => {
    const { store, clock } = await storeWithCrd();
    clock.advance(5_750);
    const o = okObject(await create(store, container("x", { annotations: { a: "1" }, finalizers: ["engine.rancherdesktop.io/mirror"] }, { spec: {} }), { fieldManager: "maker" }));
    expect(entries(o)).toEqual([
      {
        apiVersion: "containers.rancherdesktop.io/v1alpha1",
        fieldsType: "FieldsV1",
        fieldsV1: { "f:metadata": { "f:annotations": { ".": {}, "f:a": {} }, "f:finalizers": { ".": {}, 'v:"engine.rancherdesktop.io/mirror"': {} } }, "f:spec": {} },
        manager: "maker",
        operation: "Update",
        time: "2026-01-01T00:00:05Z",
      } as Entry,
    ]);
  });

  test("an object created with nothing to track is never tracked by updates (skipNonAppliedManager)", async () => {
    const { store } = await storeWithCrd();
    expect(entries(okObject(await create(store, container("x"), { fieldManager: "m" })))).toBeUndefined();
    expect(entries(okObject(await merge(store, "x", { metadata: { labels: { a: "b" } } }, { fieldManager: "p" })))).toBeUndefined();
  });

  test("the manager defaults to the User-Agent up to its first slash", async () => {
    const { store } = await storeWithCrd();
    const o = okObject(await create(store, container("x", { annotations: { a: "1" } }), { userAgent: "kubectl/v1.32.4 (linux/amd64)" }));
    expect(entries(o).map((e) => e.manager)).toEqual(["kubectl"]);
  });

  test("ownership moves to the last writer of a field; a manager left with nothing disappears", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x", { annotations: { a: "1" } }), { fieldManager: "first" });
    const o = okObject(await merge(store, "x", { metadata: { annotations: { a: "2" } } }, { fieldManager: "second" }));
    expect(owners(o)).toEqual({
      first: { "f:metadata": { "f:annotations": {} } },
      second: { "f:metadata": { "f:annotations": { "f:a": {} } } },
    });
    const removed = okObject(await jsonPatch(store, "x", [{ op: "remove", path: "/metadata/annotations" }], { fieldManager: "third" }));
    expect(entries(removed)).toBeUndefined();
  });

  test("a manager owning a map but none of its entries gets them back on the next write (v1.20 reconcile)", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x", {}, { spec: {} }), { fieldManager: "creator" });
    await merge(store, "x", { metadata: { annotations: { a: "" } } }, { fieldManager: "a" });
    const lost = okObject(await merge(store, "x", { metadata: { annotations: { a: "start" } } }, { fieldManager: "b" }));
    expect(owners(lost).a).toEqual({ "f:metadata": { "f:annotations": {} } });
    const rv = String(metaOf(lost).resourceVersion);
    const after = okObject(await merge(store, "x", { metadata: { labels: { gone: null } } }, { fieldManager: "c" }));
    expect(owners(after).a).toEqual({ "f:metadata": { "f:annotations": { ".": {}, "f:a": {} } } });
    expect(Number(metaOf(after).resourceVersion)).toBe(Number(rv) + 1);
  });

  test("status writes get their own entry with subresource: status", async () => {
    const { store, clock } = await storeWithCrd();
    await create(store, container("x", {}, { spec: {} }), { fieldManager: "m" });
    clock.advance(2_000);
    const o = okObject(await merge(store, "x", { status: VALID_STATUS }, { fieldManager: "m" }, "status"));
    const status = entries(o).find((e) => e.subresource === "status");
    expect(status).toMatchObject({ manager: "m", time: "2026-01-01T00:00:02Z" });
    expect(Object.keys((status?.fieldsV1 as { "f:status": JsonObject })["f:status"]).sort()).toEqual([".", "f:image", "f:name", "f:namespace", "f:path", "f:status"]);
  });

  test("a duplicate finalizer clears managedFields, and the object is not tracked again", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x", { finalizers: ["a.io/f"] }), { fieldManager: "m" });
    const dup = okObject(await jsonPatch(store, "x", [{ op: "add", path: "/metadata/finalizers/-", value: "a.io/f" }]));
    expect(entries(dup)).toBeUndefined();
    await jsonPatch(store, "x", [{ op: "remove", path: "/metadata/finalizers" }]);
    expect(entries(okObject(await merge(store, "x", { metadata: { labels: { a: "b" } } }, { fieldManager: "n" })))).toBeUndefined();
  });

  test("FieldsV1 encoding round-trips", () => {
    const tree = { "f:metadata": { "f:annotations": { ".": {}, "f:a": {} }, "f:labels": {} }, "f:status": { ".": {}, "f:ports": { 'k:{"name":"80/tcp"}': { ".": {}, "f:name": {} } } } };
    expect(encodeFieldsV1(decodeFieldsV1(tree))).toEqual(tree);
  });
});
