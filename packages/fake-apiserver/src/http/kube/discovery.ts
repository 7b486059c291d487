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
 * against a server this old) and skips kinds the document does not define.
 */
export const OPENAPI_V2: JsonObject = {
  swagger: "2.0",
  info: { title: "Kubernetes", version: "v1.20.2-sim" },
  paths: {},
  definitions: {},
};

function protoField(field: number, bytes: Uint8Array): number[] {
  if (bytes.length > 127) throw new Error("protoField: only short fields are encoded");
  return [(field << 3) | 2, bytes.length, ...bytes];
}

/**
 * The same document as gnostic's OpenAPIv2 protobuf (what kubectl asks for first):
 * Document{swagger=1, info=2{title=1, version=2}, paths=8, definitions=9}.
 */
export function openApiV2Protobuf(): Uint8Array {
  const text = (s: string) => new TextEncoder().encode(s);
  const info = [...protoField(1, text("Kubernetes")), ...protoField(2, text("v1.20.2-sim"))];
  return new Uint8Array([
    ...protoField(1, text("2.0")),
    ...protoField(2, new Uint8Array(info)),
    ...protoField(8, new Uint8Array()),
    ...protoField(9, new Uint8Array()),
  ]);
}

/** The apiserver answers the protobuf document as a plain octet stream. */
export const OPENAPI_V2_PROTOBUF_TYPE = "application/octet-stream";
