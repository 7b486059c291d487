/**
 * Preparing a cluster for the stack: a client identity of its own for the controller (so the webhook
 * can name it as the only engine identity), the webhook's registration in the simulated store, and,
 * on a cluster given by kubeconfig, the CRD and the namespace when they are missing.
 */
import { join } from "node:path";
import { readFileSync, writeFileSync } from "node:fs";
import { AdmissionregistrationV1Api, ApiextensionsV1Api, CoreV1Api, KubeConfig, type V1CustomResourceDefinition } from "@kubernetes/client-node";
import { containerCrd, GROUP, PLURAL, VERSION } from "@container-actions/core";
import { type ClusterStore, WEBHOOK_CONFIG_REF } from "@container-actions/fake-apiserver";
import { kubeconfigYaml, type TlsMaterial } from "@container-actions/fake-apiserver";

/** The controller's user name in the simulated cluster (its client certificate's CN). */
export const CONTROLLER_USER = "container-actions-controller";

/** The webhook's names and path, as apps/webhook registers them (webhook-configuration.ts, admission-routes.ts). */
const WEBHOOK = {
  configurationName: "container-actions-webhook",
  name: `container-actions.${GROUP}`,
  path: "/validate-containers-rancherdesktop-io-v1alpha1-container",
} as const;

const CRD_NAME = `${PLURAL}.${GROUP}`;

function openssl(dir: string, args: string[]): void {
  const r = Bun.spawnSync(["openssl", ...args], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw Object.assign(new Error(`openssl ${args[0]} failed: ${r.stderr.toString()}`), { code: "OPENSSL_FAILED" });
}

/**
 * Signs a client certificate for `user` with the simulated apiserver's CA and writes a kubeconfig for
 * it next to the admin one. Returns the kubeconfig's path.
 */
export function issueClientKubeconfig(tls: TlsMaterial, serverUrl: string, user: string, kubeconfigPath: string): string {
  const name = user.replace(/[^a-z0-9-]/gi, "-");
  openssl(tls.dir, ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${name}.key`]);
  openssl(tls.dir, ["req", "-new", "-key", `${name}.key`, "-subj", `/CN=${user}`, "-out", `${name}.csr`]);
  writeFileSync(join(tls.dir, `${name}.ext`), "extendedKeyUsage=clientAuth\n");
  openssl(tls.dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "365", "-out", `${name}.crt`, "-extfile", `${name}.ext`]);
  const read = (f: string) => readFileSync(join(tls.dir, f), "utf8");
  return writeKubeconfig(kubeconfigPath, serverUrl, { ...tls, clientCert: read(`${name}.crt`), clientKey: read(`${name}.key`) });
}

function writeKubeconfig(path: string, serverUrl: string, tls: TlsMaterial): string {
  writeFileSync(path, kubeconfigYaml(serverUrl, tls), { mode: 0o600 });
  return path;
}

/**
 * Registers the webhook (url mode) directly in the simulated store. The webhook's own `--register`
 * uses server-side apply, which the fake apiserver does not model (it answers 415).
 */
export async function registerWebhookInStore(store: ClusterStore, webhookUrlBase: string, caPem: string): Promise<void> {
  const configuration = {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingWebhookConfiguration",
    metadata: { name: WEBHOOK.configurationName, labels: { "app.kubernetes.io/name": "container-actions-webhook" } },
    webhooks: [
      {
        name: WEBHOOK.name,
        admissionReviewVersions: ["v1"],
        sideEffects: "None",
        failurePolicy: "Fail",
        matchPolicy: "Equivalent",
        timeoutSeconds: 5,
        clientConfig: { url: `${webhookUrlBase}${WEBHOOK.path}`, caBundle: Buffer.from(caPem).toString("base64") },
        rules: [{ apiGroups: [GROUP], apiVersions: [VERSION], resources: [PLURAL], operations: ["CREATE", "UPDATE"], scope: "Namespaced" }],
      },
    ],
  };
  const outcome = await store.create(WEBHOOK_CONFIG_REF, undefined, configuration);
  if (outcome.kind !== "ok") throw Object.assign(new Error(`registering the webhook: ${outcome.status.message}`), { code: "WEBHOOK_REGISTRATION_FAILED" });
}

function kubeConfig(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

function codeOf(error: unknown): number | undefined {
  return (error as { code?: number }).code;
}

/** Installs the Container CRD when the cluster lacks it, and waits until it is Established. Returns whether it installed it. */
export async function ensureCrd(kubeconfigPath: string, timeoutMs = 30_000): Promise<boolean> {
  const api = kubeConfig(kubeconfigPath).makeApiClient(ApiextensionsV1Api);
  let installed = false;
  try {
    await api.readCustomResourceDefinition({ name: CRD_NAME });
  } catch (error) {
    if (codeOf(error) !== 404) throw error;
    await api.createCustomResourceDefinition({ body: containerCrd() as unknown as V1CustomResourceDefinition });
    installed = true;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const crd = await api.readCustomResourceDefinition({ name: CRD_NAME });
    if (crd.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")) return installed;
    await Bun.sleep(250);
  }
  throw Object.assign(new Error(`CRD ${CRD_NAME} not Established after ${timeoutMs} ms`), { code: "CRD_NOT_ESTABLISHED" });
}

/** Creates namespace `name` when it does not exist. */
export async function ensureNamespace(kubeconfigPath: string, name: string): Promise<void> {
  const api = kubeConfig(kubeconfigPath).makeApiClient(CoreV1Api);
  try {
    await api.readNamespace({ name });
  } catch (error) {
    if (codeOf(error) !== 404) throw error;
    await api.createNamespace({ body: { metadata: { name } } });
  }
}

/**
 * Deletes the webhook's registration from a cluster given by kubeconfig (NotFound counts as done). With
 * failurePolicy Fail, a registration left behind without its webhook would refuse every Container write.
 */
export async function removeWebhookRegistration(kubeconfigPath: string): Promise<void> {
  const api = kubeConfig(kubeconfigPath).makeApiClient(AdmissionregistrationV1Api);
  try {
    await api.deleteValidatingWebhookConfiguration({ name: WEBHOOK.configurationName });
  } catch (error) {
    if (codeOf(error) !== 404) throw error;
  }
}
