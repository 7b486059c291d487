/**
 * What the apiserver's authorizer sees in an HTTP request: the verb, API group, resource (with
 * `/subresource`), namespace and name, derived from method, path and query the way kube-apiserver's
 * RequestInfo does for resource requests. Used to turn recorded traffic into RBAC terms.
 * Does not model: non-resource URLs (/healthz, /version), the deprecated /watch/ path prefix,
 * deletecollection, impersonation.
 */

export interface ApiRequestAttributes {
  verb: string;
  group: string;
  /** Plural resource, `containers/status` for a subresource. */
  resource: string;
  namespace?: string;
  name?: string;
}

/** The authorizer's view of `method path?query`, or undefined for a non-resource path. */
export function apiRequestAttributes(method: string, path: string, query: URLSearchParams): ApiRequestAttributes | undefined {
  const parts = path.split("/").filter((p) => p !== "").map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (parts[0] === "api" && parts.length >= 3) {
    group = "";
    rest = parts.slice(2);
  } else if (parts[0] === "apis" && parts.length >= 4) {
    group = parts[1] ?? "";
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource] = rest;
  if (plural === undefined) return undefined;
  const resource = subresource === undefined ? plural : `${plural}/${subresource}`;
  const watch = query.get("watch") === "true" || query.get("watch") === "1";
  const verb = verbOf(method.toUpperCase(), name !== undefined, watch);
  return { verb, group, resource, ...(namespace === undefined ? {} : { namespace }), ...(name === undefined ? {} : { name }) };
}

function verbOf(method: string, named: boolean, watch: boolean): string {
  switch (method) {
    case "GET":
    case "HEAD":
      return watch ? "watch" : named ? "get" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return named ? "delete" : "deletecollection";
    default:
      return method.toLowerCase();
  }
}

/** `verb group/resource`, e.g. `patch containers.rancherdesktop.io/containers/status`, `create /events`. */
export function grantKey(g: { verb: string; group: string; resource: string }): string {
  return `${g.verb} ${g.group}/${g.resource}`;
}
