/**
 * Reads a kube-apiserver URL: discovery and health endpoints, or a resource request (group, version,
 * namespace, resource, name, subresource, the deprecated `/watch/` prefix) with its query parameters.
 */

export type KubeRoute =
  | { kind: "version" }
  | { kind: "health"; check: string }
  | { kind: "openapi"; version: "v2" | "v3" }
  | { kind: "apiVersions" }
  | { kind: "apiGroupList" }
  | { kind: "apiGroup"; group: string }
  | { kind: "resourceList"; group: string; version: string }
  | {
      kind: "resource";
      group: string;
      version: string;
      resource: string;
      namespace?: string;
      name?: string;
      subresource?: string;
      watchPath: boolean;
    }
  | { kind: "unknown" };

/** Parses a request path (no query string). */
export function parseKubePath(path: string): KubeRoute {
  const segs = path.split("/").filter((s) => s !== "").map(decodeURIComponent);
  const [first, second, third] = segs;
  if (first === "version" && segs.length === 1) return { kind: "version" };
  if (first === "healthz" || first === "readyz" || first === "livez") return { kind: "health", check: segs.join("/") };
  if (first === "openapi" && (second === "v2" || second === "v3") && segs.length === 2) return { kind: "openapi", version: second };
  if (first === "api") {
    if (segs.length === 1) return { kind: "apiVersions" };
    if (second === undefined) return { kind: "unknown" };
    if (segs.length === 2) return { kind: "resourceList", group: "", version: second };
    return resourceRoute("", second, segs.slice(2));
  }
  if (first === "apis") {
    if (segs.length === 1) return { kind: "apiGroupList" };
    if (second === undefined) return { kind: "unknown" };
    if (segs.length === 2) return { kind: "apiGroup", group: second };
    if (third === undefined) return { kind: "unknown" };
    if (segs.length === 3) return { kind: "resourceList", group: second, version: third };
    return resourceRoute(second, third, segs.slice(3));
  }
  return { kind: "unknown" };
}

function resourceRoute(group: string, version: string, parts: string[]): KubeRoute {
  let rest = parts;
  let watchPath = false;
  if (rest[0] === "watch") {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  const namespaceSub = rest.length === 3 && (rest[2] === "status" || rest[2] === "finalize");
  if (rest[0] === "namespaces" && rest.length >= 3 && !namespaceSub) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest;
  if (resource === undefined || rest.length > 3) return { kind: "unknown" };
  const route: KubeRoute = { kind: "resource", group, version, resource, watchPath };
  if (namespace !== undefined) route.namespace = namespace;
  if (name !== undefined) route.name = name;
  if (subresource !== undefined) route.subresource = subresource;
  return route;
}

/** Whether a query flag is set the way the apiserver reads booleans (`true`, `1`). */
export function queryFlag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === "true" || v === "1";
}
