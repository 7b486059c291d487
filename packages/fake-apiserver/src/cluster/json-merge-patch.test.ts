import { expect, test } from "bun:test";
import { applyMergePatch } from "./json-merge-patch.ts";

const doc = { metadata: { annotations: { a: "1", b: "2" } }, spec: { list: [1, 2] } };

test("merge patch: null deletes, objects merge, anything else replaces", () => {
  expect(applyMergePatch(doc, { metadata: { annotations: { a: null, c: "3" } }, spec: { list: [3] } })).toEqual({
    kind: "ok",
    doc: { metadata: { annotations: { b: "2", c: "3" } }, spec: { list: [3] } },
  });
});

test("merge patch: nulls inside a new subtree are dropped, also in arrays", () => {
  expect(applyMergePatch({}, { status: { a: null, b: { c: null, d: 1 }, e: [null, 2] } })).toEqual({ kind: "ok", doc: { status: { b: { d: 1 }, e: [2] } } });
});

test("merge patch: deleting a missing key is a no-op; the input is not modified", () => {
  expect(applyMergePatch(doc, { nothing: null })).toEqual({ kind: "ok", doc });
  expect(doc.metadata.annotations).toEqual({ a: "1", b: "2" });
});

test("merge patch: a patch that is not an object is refused as the apiserver refuses it", () => {
  expect(applyMergePatch(doc, [1])).toEqual({ kind: "malformed", message: "Invalid JSON Patch" });
  expect(applyMergePatch(doc, null)).toEqual({ kind: "malformed", message: "Invalid JSON Patch" });
});
