import { describe, expect, test } from "bun:test";
import { apiRequestAttributes } from "./api-request.ts";
import { grantKey, grantsOf, needs, rulesWithout, usedGrants, type PolicyRule } from "./rbac-rules.ts";
import type { RecordedRequest } from "./recording-proxy.ts";

const RULES: PolicyRule[] = [
  { apiGroups: ["containers.rancherdesktop.io"], resources: ["containers"], verbs: ["list", "watch", "patch"] },
  { apiGroups: ["containers.rancherdesktop.io"], resources: ["containers/status"], verbs: ["patch"] },
  { apiGroups: ["coordination.k8s.io"], resources: ["leases"], resourceNames: ["l"], verbs: ["get", "update"] },
];

const request = (method: string, path: string, status: number): RecordedRequest => {
  const url = new URL(`https://x${path}`);
  const attributes = apiRequestAttributes(method, url.pathname, url.searchParams);
  return { client: "c", method, path: url.pathname, query: url.search, status, ...(attributes ? { attributes } : {}) };
};

describe("deploy support: RBAC terms of recorded requests", () => {
  test("request attributes: verbs, groups, subresources and names as the apiserver's RequestInfo derives them", () => {
    const q = (s: string) => new URLSearchParams(s);
    expect(apiRequestAttributes("GET", "/apis/g/v1/namespaces/ns/containers", q(""))).toEqual({ verb: "list", group: "g", resource: "containers", namespace: "ns" });
    expect(apiRequestAttributes("GET", "/apis/g/v1/namespaces/ns/containers", q("watch=true&resourceVersion=1"))?.verb).toBe("watch");
    expect(apiRequestAttributes("PATCH", "/apis/g/v1/namespaces/ns/containers/a/status", q(""))).toEqual({ verb: "patch", group: "g", resource: "containers/status", namespace: "ns", name: "a" });
    expect(apiRequestAttributes("POST", "/api/v1/namespaces/ns/events", q(""))).toEqual({ verb: "create", group: "", resource: "events", namespace: "ns" });
    expect(apiRequestAttributes("PUT", "/apis/coordination.k8s.io/v1/namespaces/ns/leases/l", q(""))?.verb).toBe("update");
    expect(apiRequestAttributes("DELETE", "/apis/g/v1/namespaces/ns/containers/a", q(""))?.verb).toBe("delete");
    expect(apiRequestAttributes("PATCH", "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/w", q(""))).toEqual({
      verb: "patch",
      group: "admissionregistration.k8s.io",
      resource: "validatingwebhookconfigurations",
      name: "w",
    });
    expect(apiRequestAttributes("GET", "/api/v1/namespaces/ns", q(""))).toEqual({ verb: "get", group: "", resource: "namespaces", name: "ns" });
    expect(apiRequestAttributes("GET", "/healthz", q(""))).toBeUndefined();
  });

  test("unused grants: a granted verb no request used is listed", () => {
    const used = usedGrants([
      request("GET", "/apis/containers.rancherdesktop.io/v1alpha1/namespaces/n/containers", 200),
      request("GET", "/apis/containers.rancherdesktop.io/v1alpha1/namespaces/n/containers?watch=true", 200),
      request("PATCH", "/apis/containers.rancherdesktop.io/v1alpha1/namespaces/n/containers/a/status", 200),
      request("GET", "/apis/coordination.k8s.io/v1/namespaces/n/leases/l", 404),
      request("PUT", "/apis/coordination.k8s.io/v1/namespaces/n/leases/l", 403),
    ]);
    const unused = grantsOf(RULES).map(grantKey).filter((g) => !used.has(g));
    expect(unused).toEqual(["patch containers.rancherdesktop.io/containers", "update coordination.k8s.io/leases"]);
  });

  test("server-side apply: a PATCH that created its object counts as create; a refused one needs create", () => {
    const created = request("PATCH", "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/w", 201);
    expect([...usedGrants([created])].sort()).toEqual(["create admissionregistration.k8s.io/validatingwebhookconfigurations", "patch admissionregistration.k8s.io/validatingwebhookconfigurations"]);
    const refused = { ...created, status: 403 };
    expect(needs(refused, { verb: "create", group: "admissionregistration.k8s.io", resource: "validatingwebhookconfigurations" })).toBe(true);
    expect(needs(refused, { verb: "get", group: "admissionregistration.k8s.io", resource: "validatingwebhookconfigurations" })).toBe(false);
  });

  test("rules without a verb: only that verb on that resource goes; the rule's other verbs and resources stay", () => {
    const rules: PolicyRule[] = [{ apiGroups: ["g"], resources: ["a", "b"], verbs: ["get", "patch"] }];
    const without = rulesWithout(rules, { verb: "patch", group: "g", resource: "a" });
    expect(grantsOf(without).map(grantKey).sort()).toEqual(["get g/a", "get g/b", "patch g/b"]);
    expect(rulesWithout([{ apiGroups: ["g"], resources: ["a"], verbs: ["get"] }], { verb: "get", group: "g", resource: "a" })).toEqual([]);
    expect(() => grantsOf([{ apiGroups: ["*"], resources: ["a"], verbs: ["get"] }])).toThrow(/wildcard/);
  });
});
