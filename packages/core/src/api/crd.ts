/**
 * Builds the Container CustomResourceDefinition from the schema, so the CRD can never drift from the
 * types: `bun run generate` writes it to deploy/crd/, and a test fails when the committed file is stale.
 */
import { ContainerStatusSchema } from "./container-schema.ts";
import { GROUP, KIND, LIST_KIND, PLURAL, SINGULAR, VERSION } from "./names.ts";

type JsonSchema = Record<string, unknown>;

/** List-map keys, so server-side apply merges these lists by key instead of replacing them. */
const LIST_MAP_KEYS: Record<string, string> = { ports: "name", conditions: "type" };
const INT32_FIELDS = new Set(["pid", "exitCode"]);

export function containerCrd(): JsonSchema {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${PLURAL}.${GROUP}` },
    spec: {
      group: GROUP,
      names: { kind: KIND, listKind: LIST_KIND, plural: PLURAL, singular: SINGULAR, categories: ["all"] },
      scope: "Namespaced",
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: "Status", type: "string", jsonPath: ".status.status", description: "Docker's state" },
            { name: "Last action", type: "string", jsonPath: ".status.lastAction.action" },
            { name: "Last result", type: "string", jsonPath: ".status.lastAction.state" },
            { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
          ],
          schema: {
            openAPIV3Schema: {
              type: "object",
              description:
                "A mirror of one Docker container, named by its full ID. Request an action with the " +
                "containers.rancherdesktop.io/action annotation; read the outcome in status.lastAction.",
              properties: {
                apiVersion: { type: "string" },
                kind: { type: "string" },
                metadata: { type: "object" },
                spec: { type: "object", description: "Reserved; the Container is a status-only mirror." },
                status: toStructural(ContainerStatusSchema, "status"),
              },
            },
          },
        },
      ],
    },
  };
}

/** Turns a TypeBox schema into a Kubernetes structural schema (every node typed, enums flat). */
function toStructural(schema: unknown, name: string): JsonSchema {
  const node = schema as JsonSchema;
  const out: JsonSchema = {};
  if (typeof node.description === "string") out.description = node.description;

  const anyOf = node.anyOf as JsonSchema[] | undefined;
  if (anyOf !== undefined) {
    if (!anyOf.every((s) => typeof s.const === "string")) throw new Error(`unsupported union at ${name}`);
    Object.assign(out, { type: "string", enum: anyOf.map((s) => s.const) });
    if (node.default !== undefined) out.default = node.default;
    return out;
  }
  switch (node.type) {
    case "object": {
      out.type = "object";
      const props = node.properties as Record<string, unknown> | undefined;
      const pattern = node.patternProperties as Record<string, unknown> | undefined;
      if (props !== undefined && Object.keys(props).length > 0) {
        out.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, toStructural(v, k)]));
      }
      if (pattern !== undefined) {
        const [value] = Object.values(pattern);
        out.additionalProperties = toStructural(value, name);
      }
      if (Array.isArray(node.required) && node.required.length > 0) out.required = node.required;
      return out;
    }
    case "array": {
      out.type = "array";
      out.items = toStructural(node.items, name);
      const key = LIST_MAP_KEYS[name];
      if (key !== undefined) Object.assign(out, { "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": [key] });
      return out;
    }
    case "integer":
      out.type = "integer";
      out.format = INT32_FIELDS.has(name) ? "int32" : "int64";
      if (typeof node.minimum === "number") out.minimum = node.minimum;
      return out;
    case "string":
      out.type = "string";
      for (const k of ["format", "minLength", "maxLength", "pattern"]) if (node[k] !== undefined) out[k] = node[k];
      return out;
    default:
      throw new Error(`unsupported schema type ${String(node.type)} at ${name}`);
  }
}
