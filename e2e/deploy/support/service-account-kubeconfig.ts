/**
 * Credentials of a ServiceAccount as a kubeconfig: a token from the TokenRequest API
 * (`kubectl create token`, served by kube-apiserver v1.20 when it has a service-account signing key),
 * and the server and CA a process should use. No kube-controller-manager runs beside the test
 * apiserver, so the legacy token Secrets would never be filled in; TokenRequest needs no controller.
 */
import { KubeConfig } from "@kubernetes/client-node";
import { kubectl } from "../../controller/support/test-kube.ts";

/** A bound token for `namespace/name`, valid `durationSeconds` (TokenRequest's minimum is 600). */
export async function serviceAccountToken(adminKubeconfig: string, namespace: string, name: string, durationSeconds = 3600): Promise<string> {
  const r = await kubectl(adminKubeconfig, ["create", "token", name, "-n", namespace, `--duration=${durationSeconds}s`]);
  if (r.exitCode !== 0) throw new Error(`kubectl create token ${namespace}/${name} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** The admin kubeconfig's current server and CA (PEM). */
export function clusterOf(kubeconfigPath: string): { server: string; caPem: string } {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const cluster = kc.getCurrentCluster();
  if (cluster === null || cluster.caData === undefined) throw new Error(`${kubeconfigPath}: no current cluster with certificate-authority-data`);
  return { server: cluster.server, caPem: Buffer.from(cluster.caData, "base64").toString("utf8") };
}

/** Writes a kubeconfig that authenticates with `token` (and nothing else) to `server`, trusting `caPem`. */
export async function writeTokenKubeconfig(path: string, options: { server: string; caPem: string; token: string; namespace: string; user: string }): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "deploy-e2e", server: options.server, caData: Buffer.from(options.caPem).toString("base64"), skipTLSVerify: false }],
    users: [{ name: options.user, token: options.token }],
    contexts: [{ name: options.user, cluster: "deploy-e2e", user: options.user, namespace: options.namespace }],
    currentContext: options.user,
  });
  await Bun.write(path, kc.exportConfig());
}
