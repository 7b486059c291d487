/**
 * Installs the product as an operator would: `kubectl apply -k` of the webhook install through the
 * suite's overlay (e2e/cluster/overlay), plus the two values only a run knows: the host path of the
 * node's Docker socket, and where the pods reach the apiserver (127.0.0.1:<port>, standing in for the
 * `kubernetes` Service's ClusterIP that kube-proxy would route; there is no kube-proxy here).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { stringify } from "yaml";
import { must } from "../../webhook/kube-cli.ts";
import { waitFor } from "../../controller/support/wait.ts";
import { CONTROLLER, getJson, NAMESPACE, WEBHOOK, type Node } from "./node.ts";

const OVERLAY = new URL("../overlay", import.meta.url).pathname;

/**
 * The kustomization of one run, written into `dir`: the overlay (by a relative path: kustomize refuses
 * an absolute one) plus this run's socket path and apiserver address.
 */
export function runKustomization(dir: string, dockerHost: string, apiserver: URL): object {
  if (!dockerHost.startsWith("unix://")) throw new Error(`CA_CLUSTER_DOCKER_HOST must be unix://…, got ${dockerHost}`);
  const env = [
    { op: "add", path: "/spec/template/spec/containers/0/env/-", value: { name: "KUBERNETES_SERVICE_HOST", value: apiserver.hostname } },
    { op: "add", path: "/spec/template/spec/containers/0/env/-", value: { name: "KUBERNETES_SERVICE_PORT", value: apiserver.port || "443" } },
  ];
  return {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    resources: [relative(dir, OVERLAY)],
    patches: [
      {
        target: { kind: "Deployment", name: CONTROLLER },
        patch: stringify([
          { op: "test", path: "/spec/template/spec/volumes/0/name", value: "docker-socket" },
          { op: "replace", path: "/spec/template/spec/volumes/0/hostPath/path", value: dockerHost.slice("unix://".length) },
          ...env,
        ]),
      },
      { target: { kind: "Deployment", name: WEBHOOK }, patch: stringify(env) },
    ],
  };
}

/** Applies the install and waits until both Deployments are Available and the webhook has registered its CA. */
export async function install(node: Node): Promise<void> {
  const view = await getJson<{ clusters: { cluster: { server: string } }[] }>(node, ["config", "view", "--minify"]);
  const server = view.clusters[0]?.cluster.server;
  if (server === undefined) throw new Error(`${node.kubeconfig}: no cluster`);
  const dir = mkdtempSync(join(tmpdir(), "cluster-e2e-"));
  try {
    writeFileSync(join(dir, "kustomization.yaml"), stringify(runKustomization(dir, node.dockerHost, new URL(server))));
    await must(node.kubectl(["apply", "-k", dir]), "kubectl apply -k (the install)");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await waitAvailable(node);
  await waitFor("the webhook to register its caBundle", async () => ((await caBundle(node)) !== "" ? true : undefined), 60_000, 500);
}

export async function waitAvailable(node: Node): Promise<void> {
  await must(
    node.kubectl(["-n", NAMESPACE, "wait", "--for=condition=Available", `deployment/${CONTROLLER}`, `deployment/${WEBHOOK}`, "--timeout=180s"]),
    "waiting for the Deployments to be Available",
  );
}

export async function caBundle(node: Node): Promise<string> {
  const vwc = await getJson(node, ["get", "validatingwebhookconfiguration", WEBHOOK]);
  return vwc.webhooks?.[0]?.clientConfig?.caBundle ?? "";
}
