import { describe, expect, test } from "bun:test";
import { applyJsonPatch } from "./json-patch.ts";
import type { Json } from "./json.ts";

const doc: Json = { metadata: { annotations: { a: "1" }, finalizers: ["x", "y"] }, spec: {} };
const apply = (ops: unknown) => applyJsonPatch(doc, ops);

describe("json patch (evanphx/json-patch v4 semantics)", () => {
  test("add, remove, replace, move, copy and test on objects and arrays", () => {
    const r = apply([
      { op: "add", path: "/metadata/annotations/b", value: "2" },
      { op: "replace", path: "/metadata/annotations/a", value: "one" },
      { op: "add", path: "/metadata/finalizers/-", value: "z" },
      { op: "add", path: "/metadata/finalizers/0", value: "w" },
      { op: "remove", path: "/metadata/finalizers/1" },
      { op: "move", from: "/metadata/annotations/b", path: "/spec/b" },
      { op: "copy", from: "/spec/b", path: "/spec/c" },
      { op: "test", path: "/spec/c", value: "2" },
    ]);
    expect(r).toEqual({ kind: "ok", doc: { metadata: { annotations: { a: "one" }, finalizers: ["w", "y", "z"] }, spec: { b: "2", c: "2" } } });
  });

  test("the input document is not modified", () => {
    apply([{ op: "remove", path: "/metadata/annotations/a" }]);
    expect(doc).toEqual({ metadata: { annotations: { a: "1" }, finalizers: ["x", "y"] }, spec: {} });
  });

  test("test with value null succeeds on a missing key whose parent exists", () => {
    expect(apply([{ op: "test", path: "/metadata/annotations/missing", value: null }]).kind).toBe("ok");
  });

  test("test with value null fails when the parent is missing, or the value is set", () => {
    expect(apply([{ op: "test", path: "/metadata/labels/x", value: null }]).kind).toBe("failed");
    expect(apply([{ op: "test", path: "/metadata/annotations/a", value: null }]).kind).toBe("failed");
  });

  test("a failed test stops the patch", () => {
    const r = apply([
      { op: "test", path: "/metadata/annotations/a", value: "2" },
      { op: "remove", path: "/metadata/annotations/a" },
    ]);
    expect(r).toEqual({ kind: "failed", detail: "testing value /metadata/annotations/a failed" });
  });

  test("test compares objects structurally, ignoring key order", () => {
    expect(apply([{ op: "test", path: "/metadata", value: { finalizers: ["x", "y"], annotations: { a: "1" } } }]).kind).toBe("ok");
  });

  test("replace of a missing object key adds it; remove of a missing key fails", () => {
    expect(apply([{ op: "replace", path: "/metadata/annotations/new", value: "v" }])).toEqual({
      kind: "ok",
      doc: { metadata: { annotations: { a: "1", new: "v" }, finalizers: ["x", "y"] }, spec: {} },
    });
    expect(apply([{ op: "remove", path: "/metadata/annotations/new" }]).kind).toBe("failed");
  });

  test("copy from a missing key copies null", () => {
    const r = apply([{ op: "copy", from: "/spec/none", path: "/spec/copied" }]);
    expect(r.kind === "ok" && (r.doc as { spec: unknown }).spec).toEqual({ copied: null });
  });

  test("array indices: out of range fails, negative counts from the end for add and remove", () => {
    expect(apply([{ op: "add", path: "/metadata/finalizers/3", value: "q" }]).kind).toBe("failed");
    expect(apply([{ op: "remove", path: "/metadata/finalizers/2" }]).kind).toBe("failed");
    const r = apply([{ op: "remove", path: "/metadata/finalizers/-1" }]);
    expect(r.kind === "ok" && (r.doc as { metadata: { finalizers: string[] } }).metadata.finalizers).toEqual(["x"]);
  });

  test("escaped keys: ~1 is a slash, ~0 a tilde", () => {
    const r = applyJsonPatch({ a: {} }, [{ op: "add", path: "/a/x~1y~0z", value: 1 }]);
    expect(r).toEqual({ kind: "ok", doc: { a: { "x/y~z": 1 } } });
  });

  test("malformed patches are refused before anything is applied", () => {
    expect(apply({ op: "add" })).toEqual({ kind: "malformed", message: "json: cannot unmarshal object into Go value of type jsonpatch.Patch" });
    expect(apply(["x"])).toEqual({ kind: "malformed", message: "json: cannot unmarshal string into Go value of type jsonpatch.Operation" });
    expect(apply(null)).toEqual({ kind: "ok", doc });
  });

  test("an unknown op or a missing path fails", () => {
    expect(apply([{ op: "frob", path: "/spec" }])).toEqual({ kind: "failed", detail: "Unexpected kind: frob" });
    expect(apply([{ op: "add", value: 1 }]).kind).toBe("failed");
    expect(apply([{ op: "add", path: "/nope/deeper", value: 1 }]).kind).toBe("failed");
  });
});
