import { expect, test } from "bun:test";
import { parseKubePath } from "./kube-routes.ts";

test("routes: discovery, health and resource paths (namespaced, cluster-scoped, /watch/, subresources)", () => {
  expect(parseKubePath("/version")).toEqual({ kind: "version" });
  expect(parseKubePath("/readyz/etcd")).toEqual({ kind: "health", check: "readyz/etcd" });
  expect(parseKubePath("/openapi/v2")).toEqual({ kind: "openapi", version: "v2" });
  expect(parseKubePath("/api")).toEqual({ kind: "apiVersions" });
  expect(parseKubePath("/api/v1")).toEqual({ kind: "resourceList", group: "", version: "v1" });
  expect(parseKubePath("/apis")).toEqual({ kind: "apiGroupList" });
  expect(parseKubePath("/apis/containers.rancherdesktop.io")).toEqual({ kind: "apiGroup", group: "containers.rancherdesktop.io" });
  expect(parseKubePath("/apis/containers.rancherdesktop.io/v1alpha1/namespaces/ns1/containers/abc/status")).toEqual({
    kind: "resource",
    group: "containers.rancherdesktop.io",
    version: "v1alpha1",
    resource: "containers",
    namespace: "ns1",
    name: "abc",
    subresource: "status",
    watchPath: false,
  });
  expect(parseKubePath("/api/v1/namespaces/ns1")).toEqual({ kind: "resource", group: "", version: "v1", resource: "namespaces", name: "ns1", watchPath: false });
  expect(parseKubePath("/api/v1/namespaces/ns1/status")).toEqual({
    kind: "resource",
    group: "",
    version: "v1",
    resource: "namespaces",
    name: "ns1",
    subresource: "status",
    watchPath: false,
  });
  expect(parseKubePath("/apis/coordination.k8s.io/v1/watch/namespaces/ns1/leases")).toEqual({
    kind: "resource",
    group: "coordination.k8s.io",
    version: "v1",
    resource: "leases",
    namespace: "ns1",
    watchPath: true,
  });
  expect(parseKubePath("/nope")).toEqual({ kind: "unknown" });
});
