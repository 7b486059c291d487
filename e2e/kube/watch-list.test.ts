/**
 * Watch-list (`sendInitialEvents`, KEP-3157) on the simulated and the real kube-apiserver.
 *
 * v1.20.2 predates it and refuses `resourceVersionMatch` on any watch; current servers with the
 * WatchList gate on (1.32, 1.34) refuse it without `sendInitialEvents`. Both answer 422 Invalid there,
 * which the differential checks. The stream itself (the current objects, then a BOOKMARK annotated
 * `k8s.io/initial-events-end`) is asserted on the simulated server, as KEP-3157 defines it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CONTAINERS_PATH, KubeBackend, type TestCluster, simulatedAndReal, startCluster } from "./cluster-backends.ts";

const API_VERSION = "containers.rancherdesktop.io/v1alpha1";
type Obj = Record<string, unknown>;

describe("watch-list: simulated vs real kube-apiserver", () => {
  const clusters = simulatedAndReal();

  test("a watch with resourceVersionMatch but no sendInitialEvents is 422 Invalid on both", async () => {
    for (const cluster of [clusters.simulated, clusters.real]) {
      const ns = await cluster.freshNamespace("wl-diff");
      const a = await cluster.request("GET", `${CONTAINERS_PATH}/namespaces/${ns}/containers?watch=1&resourceVersionMatch=NotOlderThan&resourceVersion=1`);
      expect({ backend: cluster.backend, code: a.code, reason: (a.body as Obj).reason }).toEqual({ backend: cluster.backend, code: 422, reason: "Invalid" });
    }
  });
});

describe("watch-list on the simulated apiserver (current servers' semantics)", () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startCluster({ backend: KubeBackend.simulated });
  }, 90_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  test("sendInitialEvents=true streams the current objects, then the bookmark that ends them", async () => {
    const ns = await cluster.freshNamespace("wl");
    const created = await cluster.request("POST", `${CONTAINERS_PATH}/namespaces/${ns}/containers`, { apiVersion: API_VERSION, kind: "Container", metadata: { name: "a" } });
    expect(created.code).toBe(201);
    const rv = String(((created.body as Obj).metadata as Obj).resourceVersion);
    const watch = await cluster.watchStream(`${CONTAINERS_PATH}/namespaces/${ns}/containers?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    const first = (await watch.lines.next()).value as Obj;
    const second = (await watch.lines.next()).value as Obj;
    watch.stop();
    expect([first.type, ((first.object as Obj).metadata as Obj).name]).toEqual(["ADDED", "a"]);
    expect(second).toEqual({ type: "BOOKMARK", object: { apiVersion: API_VERSION, kind: "Container", metadata: { resourceVersion: rv, annotations: { "k8s.io/initial-events-end": "true" } } } });
    const refused = await cluster.request("GET", `${CONTAINERS_PATH}/namespaces/${ns}/containers?watch=1&sendInitialEvents=true`);
    expect([refused.code, (refused.body as Obj).message]).toEqual([422, 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan']);
  });
});
