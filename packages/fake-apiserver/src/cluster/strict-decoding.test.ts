import { describe, expect, test } from "bun:test";
import { duplicateJsonFields, duplicateYamlKeys, jsonPatchStrictErrors } from "./strict-decoding.ts";

// Expected texts: kubernetes test/integration/apiserver/field_validation_test.go (crdInvalidBody,
// the JSON Patch of testFieldValidationPatchCRD, crdApplyInvalidBody), shortened.
describe("strict decoding of a body's own structure", () => {
  test("repeated JSON keys by path, in document order (nested in lists too)", () => {
    const body = `{"metadata":{"name":"a","name":"b"},"spec":{"k":1,"k":2,"ports":[{"hostPort":1,"hostPort":2}]}}`;
    expect(duplicateJsonFields(body)).toEqual(['duplicate field "metadata.name"', 'duplicate field "spec.k"', 'duplicate field "spec.ports[0].hostPort"']);
    expect(duplicateJsonFields(`{"a":"\\"}","b":[[{"c":1,"c":2}]],"a":1}`)).toEqual(['duplicate field "b[0][0].c"', 'duplicate field "a"']);
    expect(duplicateJsonFields(`{"a":{},"b":[]}`)).toEqual([]);
  });

  test("a JSON Patch: unknown operation keys on each occurrence, repeated keys anywhere", () => {
    const patch = `[{"op":"add","path":"/spec/u","value":"v","foo":"bar"},{"op":"add","path":"/spec/u2","path":"/spec/u3","value":{"x":1,"x":2}}]`;
    expect(jsonPatchStrictErrors(patch)).toEqual(['json patch unknown field "[0].foo"', 'json patch duplicate field "[1].path"', 'json patch duplicate field "[1].value.x"']);
  });

  test("YAML (and JSON read as YAML): go-yaml's line of the repeated key's value, nested errors first", () => {
    const json = `\n{\n "metadata": {\n  "name": "a"\n },\n "spec": {\n  "knownField1": "val1",\n  "knownField1": "val2"\n }\n}`;
    expect(duplicateYamlKeys(json)).toEqual(['line 8: key "knownField1" already set in map']);
    const yaml = "a:\n  b: 1\n  b: 2\na:\n  c: 1\n";
    expect(duplicateYamlKeys(yaml)).toEqual(['line 3: key "b" already set in map', 'line 5: key "a" already set in map']);
    expect(duplicateYamlKeys("l:\n- x: 1\n  x: 2\n")).toEqual(['line 3: key "x" already set in map']);
  });
});
