/**
 * API discovery as kube-apiserver serves it: /version, /api, /apis, /apis/<group>, and the resource
 * lists of each group/version (with subresources such as containers/status), built from the store's
 * registry, so a CRD's kind shows up as soon as it is established.
 */
import type { JsonObject, ResourceInfo } from "../../cluster/index.ts";
import type { ClusterStore } from "../../cluster/index.ts";

export const SIM_VERSION: JsonObject = {
  major: "1",
  minor: "20",
  gitVersion: "v1.20.2-sim",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2026-01-01T00:00:00Z",
  goVersion: "go1.19.8",
  compiler: "gc",
  platform: "linux/amd64",
};

export function apiVersions(serverAddress: string): JsonObject {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
}

function groupEntry(name: string, versions: string[]): JsonObject {
  const gvs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: gvs, preferredVersion: gvs[0] ?? {} };
}

function groups(store: ClusterStore): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of store.registry.all()) {
    if (r.group === "") continue;
    const versions = out.get(r.group) ?? [];
    if (!versions.includes(r.version)) versions.push(r.version);
    out.set(r.group, versions);
  }
  return out;
}

export function apiGroupList(store: ClusterStore): JsonObject {
  return { kind: "APIGroupList", apiVersion: "v1", groups: [...groups(store)].map(([name, versions]) => groupEntry(name, versions)) };
}

/** The APIGroup of one group, or undefined when it is not served. */
export function apiGroup(store: ClusterStore, group: string): JsonObject | undefined {
  const versions = groups(store).get(group);
  return versions === undefined ? undefined : { kind: "APIGroup", apiVersion: "v1", ...groupEntry(group, versions) };
}

function resourceEntry(r: ResourceInfo): JsonObject {
  const entry: JsonObject = { name: r.resource, singularName: r.custom ? r.singular : "", namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
  if (r.shortNames.length > 0) entry.shortNames = r.shortNames;
  if (r.categories.length > 0) entry.categories = r.categories;
  return entry;
}

/** The APIResourceList of a group/version, or undefined when it serves nothing. */
export function apiResourceList(store: ClusterStore, group: string, version: string): JsonObject | undefined {
  const resources = store.registry.all().filter((r) => r.group === group && r.version === version);
  if (resources.length === 0) return undefined;
  const entries: JsonObject[] = [];
  for (const r of resources.sort((a, b) => a.resource.localeCompare(b.resource))) {
    entries.push(resourceEntry(r));
    if (r.group === "" && r.resource === "namespaces") {
      entries.push({ name: "namespaces/finalize", singularName: "", namespaced: false, kind: r.kind, verbs: ["update"] });
    }
    if (r.statusSubresource) {
      entries.push({ name: `${r.resource}/status`, singularName: "", namespaced: r.namespaced, kind: r.kind, verbs: ["get", "patch", "update"] });
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: group === "" ? version : `${group}/${version}`, resources: entries };
}

/**
 * A minimal OpenAPI v2 document. kubectl needs one to exist (it validates manifests client-side
 * against a server this old) and skips kinds the document does not define. Its one path says what
 * kubectl asks before trusting the server to validate fields: a PATCH of namespaces that takes
 * `fieldValidation` (kubectl's QueryParamVerifier reads custom resources' support from the Namespace's,
 * as on a current server, whose document lists the parameter on every write).
 */
const NAMESPACE_GVK_YAML = "group: \"\"\nkind: Namespace\nversion: v1\n";
export const OPENAPI_V2: JsonObject = {
  swagger: "2.0",
  info: { title: "Kubernetes", version: "v1.20.2-sim" },
  paths: {
    "/api/v1/namespaces/{name}": {
      patch: {
        operationId: "patchCoreV1Namespace",
        parameters: [{ uniqueItems: true, type: "string", name: "fieldValidation", in: "query" }],
        "x-kubernetes-group-version-kind": { group: "", kind: "Namespace", version: "v1" },
      },
    },
  },
  definitions: {},
};

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n >>>= 7;
  }
  return [...out, n];
}

/** A length-delimited protobuf field (strings and messages). */
function protoField(field: number, bytes: Uint8Array | readonly number[]): number[] {
  return [(field << 3) | 2, ...varint(bytes.length), ...bytes];
}

/**
 * The same document as gnostic's OpenAPIv2 protobuf (what kubectl asks for first), by gnostic's field
 * numbers: Document{swagger=1, info=2{title=1, version=2}, paths=8{path=2 NamedPathItem{name=1,
 * value=2 PathItem{patch=8 Operation{operation_id=5, parameters=8 ParametersItem{parameter=1
 * Parameter{non_body_parameter=2{query_parameter_sub_schema=3{in=2, name=4, type=6}}}},
 * vendor_extension=13 NamedAny{name=1, value=2 Any{yaml=2}}}}}}, definitions=9}.
 */
export function openApiV2Protobuf(): Uint8Array {
  const text = (s: string) => new TextEncoder().encode(s);
  const info = [...protoField(1, text("Kubernetes")), ...protoField(2, text("v1.20.2-sim"))];
  const query = [...protoField(2, text("query")), ...protoField(4, text("fieldValidation")), ...protoField(6, text("string"))];
  const parameter = protoField(1, protoField(2, protoField(3, query)));
  const gvk = [...protoField(1, text("x-kubernetes-group-version-kind")), ...protoField(2, protoField(2, text(NAMESPACE_GVK_YAML)))];
  const patch = [...protoField(5, text("patchCoreV1Namespace")), ...protoField(8, parameter), ...protoField(13, gvk)];
  const path = [...protoField(1, text("/api/v1/namespaces/{name}")), ...protoField(2, protoField(8, patch))];
  return new Uint8Array([
    ...protoField(1, text("2.0")),
    ...protoField(2, info),
    ...protoField(8, protoField(2, path)),
    ...protoField(9, []),
  ]);
}

/** The apiserver answers the protobuf document as a plain octet stream. */
export const OPENAPI_V2_PROTOBUF_TYPE = "application/octet-stream";
