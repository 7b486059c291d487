/**
 * Server-side apply on the simulated and the real kube-apiserver: one scripted sequence of applies,
 * merge patches and conflicts over HTTPS whose answers (codes, reasons, messages, causes, labels,
 * status and managedFields without timestamps) must agree; `kubectl apply --server-side` with and
 * without `--force-conflicts`; and client-node's patch call with the apply content type.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { CONTAINERS_PATH, KUBE_BACKENDS, simulatedAndReal, type HttpAnswer, type TestCluster, startCluster } from "./cluster-backends.ts";

const APPLY = "application/apply-patch+yaml";
const API_VERSION = "containers.rancherdesktop.io/v1alpha1";
const TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g;

function yamlOf(name: string, labels: Record<string, string>, status?: Record<string, unknown>): string {
  const lines = [`apiVersion: ${API_VERSION}`, "kind: Container", "metadata:", `  name: ${name}`];
  if (Object.keys(labels).length > 0) lines.push("  labels:", ...Object.entries(labels).map(([k, v]) => `    ${k}: "${v}"`));
  if (status !== undefined) lines.push(`status: ${JSON.stringify(status)}`);
  return `${lines.join("\n")}\n`;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** What a user compares: code, and either the Status's words or the object's labels, status and owners. */
function normalize(a: HttpAnswer): unknown {
  const b = a.body;
  if (!isObj(b)) return { code: a.code };
  if (b.kind === "Status") {
    const details = isObj(b.details) ? b.details : {};
    return { code: a.code, reason: b.reason, message: String(b.message).replace(TIME, "TIME"), causes: JSON.parse(JSON.stringify(details.causes ?? []).replace(TIME, "TIME")) };
  }
  const meta = isObj(b.metadata) ? b.metadata : {};
  const managed = Array.isArray(meta.managedFields) ? meta.managedFields.filter(isObj) : [];
  return {
    code: a.code,
    labels: meta.labels ?? null,
    status: b.status ?? null,
    managedFields: managed.map((m) => `${String(m.manager)}|${String(m.operation)}|${JSON.stringify(m.fieldsV1)}`).sort(),
  };
}

async function script(cluster: TestCluster, ns: string): Promise<unknown[]> {
  const path = (name: string, q: string, sub = "") => `${CONTAINERS_PATH}/namespaces/${ns}/containers/${name}${sub}?${q}`;
  const out: unknown[] = [];
  const step = async (method: string, p: string, body: string, type: string) => out.push(normalize(await cluster.request(method, p, body, type)));
  await step("PATCH", path("a", ""), yamlOf("a", { x: "1" }), APPLY); // no fieldManager: 422
  await step("PATCH", path("a", "fieldManager=one"), yamlOf("a", { x: "1", y: "2" }), APPLY); // apply-create: 201
  await step("PATCH", path("a", "fieldManager=one"), yamlOf("a", { x: "1", y: "2" }), APPLY); // no-op
  await step("PATCH", path("a", "fieldManager=two"), yamlOf("a", { x: "9", y: "8" }), APPLY); // two conflicts
  await step("PATCH", path("a", "fieldManager=two"), yamlOf("a", { x: "1", z: "3" }), APPLY); // shared x, new z
  await step("PATCH", path("a", "fieldManager=one"), yamlOf("a", {}), APPLY); // one stops: y goes, x stays (two owns it)
  await step("PATCH", path("a", "fieldManager=edit"), JSON.stringify({ metadata: { labels: { z: "4" } } }), "application/merge-patch+json");
  await step("PATCH", path("a", "fieldManager=two"), yamlOf("a", { x: "1", z: "3" }), APPLY); // conflict with the Update manager
  await step("PATCH", path("a", "fieldManager=two&force=true"), yamlOf("a", { x: "1", z: "3" }), APPLY); // forced
  await step("PATCH", path("a", "fieldManager=two&force=true"), JSON.stringify({ metadata: { labels: { x: "1" } } }), "application/merge-patch+json"); // force on non-apply: 422
  await step("PATCH", path("a", "fieldManager=engine", "/status"), yamlOf("a", {}, { name: "web", namespace: "moby", path: "/bin/sh", image: "sha256:1", status: "running", ports: [{ name: "80/tcp" }] }), APPLY);
  await step("PATCH", path("a", "fieldManager=other", "/status"), yamlOf("a", {}, { ports: [{ name: "443/tcp" }] }), APPLY); // map list merged by key
  await step("PATCH", path("a", "fieldManager=engine", "/status"), yamlOf("a", {}, { name: "web", namespace: "moby", path: "/bin/sh", image: "sha256:1", status: "exited" }), APPLY); // engine stops applying its port
  await step("PATCH", path("b", "fieldManager=one"), JSON.stringify({ apiVersion: API_VERSION, kind: "Container", metadata: { name: "c" } }), APPLY); // name mismatch
  return out;
}

for (const backend of KUBE_BACKENDS) {
  describe(`server-side apply on ${backend}`, () => {
    let cluster: TestCluster;
    let ns = "";
    const k = (args: string[], stdin?: string) => cluster.kubectl(["-n", ns, ...args], stdin !== undefined ? { stdin } : {});

    beforeAll(async () => {
      cluster = await startCluster({ backend });
      ns = await cluster.freshNamespace("ssa");
    }, 90_000);

    afterAll(async () => {
      await cluster?.stop();
    });

    test("kubectl apply --server-side: creates, reports unchanged, conflicts with another manager, takes over with --force-conflicts", async () => {
      const manifest = yamlOf("k", { app: "web" });
      const first = await k(["apply", "--server-side", "-f", "-"], manifest);
      expect({ code: first.code, out: first.stdout.trim() }).toEqual({ code: 0, out: "container.containers.rancherdesktop.io/k serverside-applied" });
      const again = await k(["apply", "--server-side", "-f", "-"], manifest);
      expect(again.stdout.trim()).toBe("container.containers.rancherdesktop.io/k serverside-applied");
      expect((await k(["label", "container", "k", "app=db", "--overwrite"])).code).toBe(0);
      const clash = await k(["apply", "--server-side", "-f", "-"], manifest);
      expect(clash.code).toBe(1);
      expect(clash.stderr).toContain('conflict with "kubectl-label"');
      expect(clash.stderr).toContain(".metadata.labels.app");
      const forced = await k(["apply", "--server-side", "--force-conflicts", "-f", "-"], manifest);
      expect(forced.code).toBe(0);
      const label = await k(["get", "container", "k", "-o", "jsonpath={.metadata.labels.app}"]);
      expect(label.stdout).toBe("web");
      const owners = await k(["get", "container", "k", "--show-managed-fields", "-o", "jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation} {end}"]);
      expect(owners.stdout.trim()).toBe("kubectl/Apply");
    }, 30_000); // seven kubectl processes: a hang guard, not a timing target

    test("client-node: patchNamespacedCustomObject with the apply content type creates, then conflicts, then forces", async () => {
      const kc = new KubeConfig();
      kc.loadFromFile(cluster.kubeconfigPath);
      const api = kc.makeApiClient(CustomObjectsApi);
      const options = setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply);
      const body = { apiVersion: API_VERSION, kind: "Container", metadata: { name: "cn", labels: { owner: "controller" } } };
      const base = { group: "containers.rancherdesktop.io", version: "v1alpha1", namespace: ns, plural: "containers", name: "cn" };
      const created = (await api.patchNamespacedCustomObject({ ...base, body, fieldManager: "controller" }, options)) as Obj;
      expect((created.metadata as Obj).labels).toEqual({ owner: "controller" });
      const clash = await api.patchNamespacedCustomObject({ ...base, body: { ...body, metadata: { name: "cn", labels: { owner: "rival" } } }, fieldManager: "rival" }, options).then(
        () => 0,
        (e: unknown) => Number((e as { code?: unknown }).code),
      );
      expect(clash).toBe(409);
      const forced = (await api.patchNamespacedCustomObject({ ...base, body: { ...body, metadata: { name: "cn", labels: { owner: "rival" } } }, fieldManager: "rival", force: true }, options)) as Obj;
      expect((forced.metadata as Obj).labels).toEqual({ owner: "rival" });
    });
  });
}

describe("server-side apply: simulated vs real kube-apiserver", () => {
  const clusters = simulatedAndReal();

  test("the same applies, patches and conflicts get the same answers and owners", async () => {
    const fake = await script(clusters.simulated, await clusters.simulated.freshNamespace("ssa-diff"));
    const truth = await script(clusters.real, await clusters.real.freshNamespace("ssa-diff"));
    for (let i = 0; i < truth.length; i++) expect({ step: i, answer: fake[i] }).toEqual({ step: i, answer: truth[i] });
  });
});
