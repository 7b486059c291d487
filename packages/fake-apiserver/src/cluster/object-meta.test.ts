import { expect, test } from "bun:test";
import { fieldErrorMessage } from "./field-errors.ts";
import { coerceObjectMeta, qualifiedNameErrors, rfc3339Seconds, validateMetaForCreate, validateMetaForUpdate } from "./object-meta.ts";

const messages = (errors: ReturnType<typeof validateMetaForCreate>) => errors.map(fieldErrorMessage);

test("timestamps: RFC 3339, UTC, whole seconds", () => {
  expect(rfc3339Seconds(Date.UTC(2026, 0, 1, 0, 0, 5, 999))).toBe("2026-01-01T00:00:05Z");
});

test("coercion keeps ObjectMeta's fields only and drops empty ones (generation 0 included)", () => {
  expect(coerceObjectMeta({ name: "x", junk: 1, labels: {}, finalizers: [], generation: 0, deletionGracePeriodSeconds: 0 })).toEqual({ name: "x", deletionGracePeriodSeconds: 0 });
});

test("create validation: name rules, labels, finalizers, namespace", () => {
  expect(messages(validateMetaForCreate({ name: "ok.name", namespace: "default", labels: { "a b": "c" }, finalizers: ["a/b/c"] }, true, "subdomain"))).toEqual([
    `metadata.labels: Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    `metadata.finalizers: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
  ]);
  expect(messages(validateMetaForCreate({ name: "x", namespace: "default" }, false, "subdomain"))).toEqual(["metadata.namespace: Forbidden: not allowed on this type"]);
  expect(messages(validateMetaForCreate({ name: "a.b" }, false, "label"))[0]).toStartWith('metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label must consist of');
});

test("qualified names: prefix must be a DNS subdomain, name at most 63 characters", () => {
  expect(qualifiedNameErrors("engine.rancherdesktop.io/mirror")).toEqual([]);
  expect(qualifiedNameErrors("/x")).toEqual(["prefix part must be non-empty"]);
  expect(qualifiedNameErrors("x".repeat(64))).toEqual(["name part must be no more than 63 characters"]);
});

test("update validation: immutable fields and no new finalizers while terminating", () => {
  const old = { name: "x", uid: "u1", resourceVersion: "5", deletionTimestamp: "2026-01-01T00:00:00Z", finalizers: ["a.io/f"] };
  expect(messages(validateMetaForUpdate({ ...old, uid: "u2", finalizers: ["a.io/f", "c.io/h", "b.io/g"] }, old))).toEqual([
    'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/g", "c.io/h"}',
    'metadata.uid: Invalid value: "u2": field is immutable',
  ]);
  expect(messages(validateMetaForUpdate({ name: "x", uid: "u1" }, { name: "x", uid: "u1" }))).toEqual(["metadata.resourceVersion: Invalid value: 0x0: must be specified for an update"]);
});
