import { expect, test } from "bun:test";
import { Value } from "@sinclair/typebox/value";
import { parse } from "yaml";
import { CRD_PATH, renderCrdYaml } from "../../scripts/crd-file.ts";
import { ContainerSchema, containerCrd } from "./index.ts";

test("crd: the committed deploy/crd/containers.yaml is what the schema generates (run `bun run generate`)", async () => {
  expect(await Bun.file(CRD_PATH).text()).toBe(renderCrdYaml());
});

test("crd: status subresource, printer columns, enums and required fields", () => {
  const crd = parse(renderCrdYaml());
  const version = crd.spec.versions[0];
  expect(version.subresources).toEqual({ status: {} });
  expect(version.additionalPrinterColumns.map((c: { name: string }) => c.name)).toEqual(["Status", "Last action", "Last result", "Age"]);
  const status = version.schema.openAPIV3Schema.properties.status;
  expect(status.required).toEqual(["name", "namespace", "path", "image", "status"]);
  expect(status.properties.lastAction.properties.action.enum).toEqual(["start", "stop", "pause", "unpause", "restart"]);
  expect(status.properties.lastAction.properties.state.enum).toEqual(["Succeeded", "Failed"]);
  expect(status.properties.lastAction.required).toEqual(["action", "state", "observedAt", "completedAt"]);
  expect(status.properties.ports["x-kubernetes-list-map-keys"]).toEqual(["name"]);
  expect(status.properties.labels.additionalProperties).toEqual({ type: "string" });
});

test("crd: every schema node is typed (a structural schema the apiserver accepts)", () => {
  const untyped: string[] = [];
  const walk = (node: Record<string, unknown>, path: string) => {
    if (node.type === undefined) untyped.push(path);
    for (const [k, v] of Object.entries((node.properties as Record<string, Record<string, unknown>>) ?? {})) walk(v, `${path}.${k}`);
    if (node.items) walk(node.items as Record<string, unknown>, `${path}[]`);
    if (typeof node.additionalProperties === "object") walk(node.additionalProperties as Record<string, unknown>, `${path}{}`);
  };
  const crd = containerCrd() as { spec: { versions: Array<{ schema: { openAPIV3Schema: Record<string, unknown> } }> } };
  walk(crd.spec.versions[0]!.schema.openAPIV3Schema, "");
  expect(untyped).toEqual([]);
});

test("schema: the same source validates objects (a Failed outcome needs no other field than error)", () => {
  const ok = {
    apiVersion: "containers.rancherdesktop.io/v1alpha1",
    kind: "Container",
    metadata: { name: "abc" },
    status: {
      name: "web", namespace: "moby", path: "/bin/sh", image: "sha256:1", status: "running",
      lastAction: { action: "pause", state: "Failed", error: "x", observedAt: "2026-01-01T00:00:00Z", completedAt: "2026-01-01T00:00:00.5Z" },
    },
  };
  expect(Value.Check(ContainerSchema, ok)).toBe(true);
  const bad = structuredClone(ok);
  (bad.status.lastAction as { state: string }).state = "InProgress";
  expect(Value.Check(ContainerSchema, bad)).toBe(false);
});
