import { describe, expect, test } from "bun:test";
import { containerCrd } from "@container-actions/core";
import { fieldErrorMessage } from "./field-errors.ts";
import type { JsonObject } from "./json.ts";
import { type SchemaNode, applyDefaults, isDateTime, pruneNonNullableNulls, pruneUnknownFields, validateAgainstSchema } from "./structural-schema.ts";

const crd = containerCrd() as { spec: { versions: Array<{ schema: { openAPIV3Schema: SchemaNode } }> } };
const schema = crd.spec.versions[0]?.schema.openAPIV3Schema as SchemaNode;
const base = { name: "web", namespace: "moby", path: "/bin/sh", image: "sha256:1", status: "running" };
const messages = (status: JsonObject) => validateAgainstSchema({ apiVersion: "x", kind: "Container", metadata: {}, status }, schema).map(fieldErrorMessage);

describe("structural schema: pruning, nulls, defaults", () => {
  test("unknown fields are pruned at every level; apiVersion, kind and metadata survive", () => {
    const obj: JsonObject = { apiVersion: "a", kind: "k", metadata: { x: 1 }, junk: 1, spec: { y: 2 }, status: { ...base, extra: 1, ports: [{ name: "80/tcp", junk: 2 }] } };
    pruneUnknownFields(obj, schema);
    expect(obj).toEqual({ apiVersion: "a", kind: "k", metadata: { x: 1 }, spec: {}, status: { ...base, ports: [{ name: "80/tcp" }] } });
  });

  test("null map values of non-nullable fields are dropped", () => {
    const obj: JsonObject = { status: { ...base, pid: null, lastAction: null } };
    pruneNonNullableNulls(obj, schema);
    expect(obj).toEqual({ status: base });
  });

  test("defaults fill missing properties (status.status defaults to unknown)", () => {
    const obj: JsonObject = { status: { name: "web" } };
    applyDefaults(obj, schema);
    expect(obj).toEqual({ status: { name: "web", status: "unknown" } });
  });
});

describe("structural schema: validation messages as kube-apiserver v1.20 words them", () => {
  test("a valid status has no errors", () => {
    expect(messages(base)).toEqual([]);
  });

  test("enum violation", () => {
    const lastAction = { action: "start", state: "X", observedAt: "2026-01-01T00:00:00Z", completedAt: "2026-01-01T00:00:00Z" };
    expect(messages({ ...base, lastAction })).toEqual(['status.lastAction.state: Unsupported value: "X": supported values: "Succeeded", "Failed"']);
  });

  test("missing required field", () => {
    const { image: _, ...rest } = base;
    expect(messages(rest)).toEqual(["status.image: Required value"]);
  });

  test("wrong types name the actual JSON type", () => {
    expect(messages({ ...base, pid: "x" })).toEqual(['status.pid: Invalid value: "string": status.pid in body must be of type integer: "string"']);
    expect(messages({ ...base, pid: 1.5 })).toEqual(['status.pid: Invalid value: "number": status.pid in body must be of type integer: "number"']);
    expect(messages({ ...base, args: "x" })).toEqual(['status.args: Invalid value: "string": status.args in body must be of type array: "string"']);
    expect(messages({ ...base, labels: { a: 1 } })).toEqual(['status.labels.a: Invalid value: "integer": status.labels.a in body must be of type string: "integer"']);
  });

  test("date-time format", () => {
    const lastAction = { action: "start", state: "Succeeded", observedAt: "yesterday", completedAt: "2026-01-01T00:00:00.5+02:00" };
    expect(messages({ ...base, lastAction })).toEqual([
      'status.lastAction.observedAt: Invalid value: "yesterday": status.lastAction.observedAt in body must be of type date-time: "yesterday"',
    ]);
  });

  test("v1.20 quirk: an empty string fails a string field as if null, then the other checks run", () => {
    expect(messages({ ...base, image: "" })).toEqual(['status.image: Invalid value: "null": status.image in body must be of type string: "null"']);
    const lastAction = { action: "", state: "Succeeded", observedAt: "2026-01-01T00:00:00Z", completedAt: "2026-01-01T00:00:00Z" };
    expect(messages({ ...base, lastAction })).toEqual([
      'status.lastAction.action: Invalid value: "null": status.lastAction.action in body must be of type string: "null"',
      'status.lastAction.action: Unsupported value: "": supported values: "start", "stop", "pause", "unpause", "restart"',
    ]);
  });

  test("array items are reported without an index; lengths and minimums", () => {
    const condition = { type: "x".repeat(317), status: "True", reason: "r", message: "m", lastTransitionTime: "2026-01-01T00:00:00Z", observedGeneration: -1 };
    expect(messages({ ...base, conditions: [condition] })).toEqual([
      `status.conditions.type: Invalid value: "${"x".repeat(317)}": status.conditions.type in body should be at most 316 chars long`,
      "status.conditions.observedGeneration: Invalid value: -1: status.conditions.observedGeneration in body should be greater than or equal to 0",
    ]);
  });

  test("isDateTime follows go-openapi strfmt", () => {
    for (const ok of ["2026-01-01T00:00:00Z", "2026-01-01t00:00:00z", "2026-01-01T23:59:59.123+02:00", "2024-02-29T00:00:00Z"]) expect(isDateTime(ok)).toBe(true);
    for (const bad of ["2026-01-01", "2026-01-01T24:00:00Z", "2026-02-30T00:00:00Z", "2026-01-01T00:00:00", "yesterday", ""]) expect(isDateTime(bad)).toBe(false);
  });
});
