/**
 * @kubernetes/client-node 1.4.0 (what the controller uses) against the simulated and the real
 * apiserver: typed custom-object calls with merge and JSON patches, the guarded removal, and an
 * informer that lists, watches and sees changes in order.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  CoordinationV1Api,
  CustomObjectsApi,
  KubeConfig,
  type KubernetesObject,
  PatchStrategy,
  makeInformer,
  setHeaderOptions,
} from "@kubernetes/client-node";
import { KUBE_BACKENDS, type TestCluster, startCluster } from "./cluster-backends.ts";

const group = "containers.rancherdesktop.io";
const version = "v1alpha1";
const plural = "containers";

async function eventually<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

/** The HTTP status of a client-node ApiException (`code`), or undefined for anything else. */
function statusOf(e: unknown): number | undefined {
  return typeof e === "object" && e !== null && "code" in e ? Number((e as { code: unknown }).code) : undefined;
}

for (const backend of KUBE_BACKENDS) {
  describe(`client-node against ${backend}`, () => {
    let cluster: TestCluster;
    let kc: KubeConfig;
    let api: CustomObjectsApi;
    let ns = "";

    beforeAll(async () => {
      cluster = await startCluster({ backend });
      ns = await cluster.freshNamespace("client-node");
      kc = new KubeConfig();
      kc.loadFromFile(cluster.kubeconfigPath);
      api = kc.makeApiClient(CustomObjectsApi);
    }, 90_000);

    afterAll(async () => {
      await cluster?.stop();
    });

    test("create, merge patch, guarded JSON patch removal, status patch, get", async () => {
      const body = { apiVersion: `${group}/${version}`, kind: "Container", metadata: { name: "cn", annotations: { [`${group}/action`]: "start" } } };
      await api.createNamespacedCustomObject({ group, version, namespace: ns, plural, body });
      const merged = (await api.patchNamespacedCustomObject(
        { group, version, namespace: ns, plural, name: "cn", body: { metadata: { annotations: { [`${group}/action-id`]: "r1" } } }, fieldManager: "cn-test" },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      )) as KubernetesObject;
      expect(merged.metadata?.annotations).toEqual({ [`${group}/action`]: "start", [`${group}/action-id`]: "r1" });
      const guard = (value: string) => [
        { op: "test", path: `/metadata/annotations/${group}~1action`, value },
        { op: "remove", path: `/metadata/annotations/${group}~1action` },
      ];
      const refused = await api
        .patchNamespacedCustomObject({ group, version, namespace: ns, plural, name: "cn", body: guard("stop") }, setHeaderOptions("Content-Type", PatchStrategy.JsonPatch))
        .then(() => 200, statusOf);
      expect(refused).toBe(422);
      await api.patchNamespacedCustomObject({ group, version, namespace: ns, plural, name: "cn", body: guard("start") }, setHeaderOptions("Content-Type", PatchStrategy.JsonPatch));
      const status = { name: "web", namespace: "moby", path: "/bin/sh", image: "sha256:1", status: "running" };
      await api.patchNamespacedCustomObjectStatus(
        { group, version, namespace: ns, plural, name: "cn", body: { status }, fieldManager: "cn-status" },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
      const got = (await api.getNamespacedCustomObject({ group, version, namespace: ns, plural, name: "cn" })) as KubernetesObject & { status?: unknown };
      expect(got.metadata?.annotations).toEqual({ [`${group}/action-id`]: "r1" });
      expect(got.status).toEqual(status);
      const missing = await api.getNamespacedCustomObject({ group, version, namespace: ns, plural, name: "nope" }).then(() => 200, statusOf);
      expect(missing).toBe(404);
    });

    test("an informer lists, then sees adds, updates and deletes in order", async () => {
      const path = `/apis/${group}/${version}/namespaces/${ns}/${plural}`;
      const informer = makeInformer<KubernetesObject>(
        kc,
        path,
        () => api.listNamespacedCustomObject({ group, version, namespace: ns, plural }) as never,
      );
      const seen: string[] = [];
      informer.on("add", (o) => seen.push(`add ${o.metadata?.name}`));
      informer.on("update", (o) => seen.push(`update ${o.metadata?.name} ${o.metadata?.annotations?.step ?? ""}`));
      informer.on("delete", (o) => seen.push(`delete ${o.metadata?.name}`));
      await informer.start();
      try {
        const body = { apiVersion: `${group}/${version}`, kind: "Container", metadata: { name: "inf" } };
        await api.createNamespacedCustomObject({ group, version, namespace: ns, plural, body });
        for (const step of ["1", "2"]) {
          await api.patchNamespacedCustomObject(
            { group, version, namespace: ns, plural, name: "inf", body: { metadata: { annotations: { step } } } },
            setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
          );
        }
        await api.deleteNamespacedCustomObject({ group, version, namespace: ns, plural, name: "inf" });
        await eventually("the delete", () => (seen.includes("delete inf") ? true : undefined));
        expect(seen.filter((s) => s.includes("inf"))).toEqual(["add inf", "update inf 1", "update inf 2", "delete inf"]);
      } finally {
        await informer.stop();
      }
    }, 30_000);

    test("leases: create, renew with the resourceVersion, conflict on a stale one", async () => {
      const leases = kc.makeApiClient(CoordinationV1Api);
      const created = await leases.createNamespacedLease({ namespace: ns, body: { metadata: { name: "leader" }, spec: { holderIdentity: "a", leaseDurationSeconds: 15 } } });
      const renewed = await leases.replaceNamespacedLease({ namespace: ns, name: "leader", body: { ...created, spec: { ...created.spec, holderIdentity: "b" } } });
      expect(renewed.spec?.holderIdentity).toBe("b");
      const stale = await leases.replaceNamespacedLease({ namespace: ns, name: "leader", body: created }).then(() => 200, statusOf);
      expect(stale).toBe(409);
    });
  });
}
