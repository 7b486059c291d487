import { KubeConfig } from "@kubernetes/client-node";
import { ANNOTATION_ACTION, ANNOTATION_ACTION_ID, GROUP, PLURAL, VERSION, type Container } from "@container-actions/core";
import { waitFor } from "./wait.ts";

type Tls = { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean };

/**
 * What a user does with the Kubernetes API in these tests: read Containers, write requests as the GUI
 * does (a JSON merge patch of the annotations, no resourceVersion), delete mirrors. Talks to the API
 * server directly (never through the controller's proxy) with the admin kubeconfig.
 */
export class TestKube {
  private constructor(
    readonly server: string,
    private readonly tls: Tls,
    private readonly headers: Record<string, string>,
    readonly kubeconfigPath: string,
  ) {}

  static async connect(kubeconfigPath: string): Promise<TestKube> {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const opts: Tls & { headers?: Record<string, string> } = { headers: {} };
    await kc.applyToHTTPSOptions(opts as never);
    const cluster = kc.getCurrentCluster();
    if (cluster === null) throw new Error(`${kubeconfigPath}: no current cluster`);
    const { headers = {}, ...tls } = opts;
    if (cluster.skipTLSVerify) tls.rejectUnauthorized = false;
    return new TestKube(cluster.server, tls, headers, kubeconfigPath);
  }

  async request(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<{ status: number; body: any }> {
    const response = await fetch(this.server + path, {
      method,
      headers: { ...this.headers, Accept: "application/json", ...(body === undefined ? {} : { "Content-Type": contentType }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      tls: this.tls,
    } as RequestInit);
    const text = await response.text();
    return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
  }

  containersPath(namespace: string, name?: string): string {
    return `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${PLURAL}${name === undefined ? "" : `/${name}`}`;
  }

  async getContainer(namespace: string, name: string): Promise<Container | undefined> {
    const r = await this.request("GET", this.containersPath(namespace, name));
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new Error(`GET container ${name}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as Container;
  }

  async listContainers(namespace: string): Promise<Container[]> {
    const r = await this.request("GET", this.containersPath(namespace));
    if (r.status !== 200) throw new Error(`LIST containers: HTTP ${r.status}`);
    return (r.body as { items: Container[] }).items;
  }

  /** Writes a request the way the GUI does: a merge patch of the annotations, no resourceVersion. */
  async requestAction(namespace: string, name: string, action: string, requestId?: string): Promise<void> {
    const annotations: Record<string, string | null> = { [ANNOTATION_ACTION]: action, [ANNOTATION_ACTION_ID]: requestId ?? null };
    const r = await this.request("PATCH", this.containersPath(namespace, name), { metadata: { annotations } }, "application/merge-patch+json");
    if (r.status !== 200) throw new Error(`annotate ${name} ${action}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  }

  async deleteContainer(namespace: string, name: string): Promise<void> {
    const r = await this.request("DELETE", this.containersPath(namespace, name));
    if (r.status !== 200 && r.status !== 202 && r.status !== 404) throw new Error(`DELETE ${name}: HTTP ${r.status}`);
  }

  /** Waits until the request annotation is gone (the completion signal) and returns the Container then. */
  async waitHandled(namespace: string, name: string, timeoutMs = 20_000): Promise<Container> {
    return waitFor(`the request on ${name} to be handled (annotation removed)`, async () => {
      const c = await this.getContainer(namespace, name);
      return c !== undefined && c.metadata.annotations?.[ANNOTATION_ACTION] === undefined ? c : undefined;
    }, timeoutMs);
  }

  async ensureNamespace(namespace: string): Promise<void> {
    const r = await this.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
    if (r.status !== 201 && r.status !== 409) throw new Error(`create namespace ${namespace}: HTTP ${r.status}`);
  }

  /** Installs the CRD idempotently (kubectl apply) and waits for Established. */
  async ensureCrd(manifestPath: string): Promise<void> {
    const apply = await kubectl(this.kubeconfigPath, ["apply", "-f", manifestPath]);
    if (apply.exitCode !== 0) throw new Error(`kubectl apply ${manifestPath}: ${apply.stderr}`);
    await waitFor("the Container CRD to be Established", async () => {
      const r = await this.request("GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${PLURAL}.${GROUP}`);
      const conditions: Array<{ type: string; status: string }> = r.body?.status?.conditions ?? [];
      return conditions.some((c) => c.type === "Established" && c.status === "True") ? true : undefined;
    }, 30_000);
  }

  /**
   * Removes every mirror in the namespace without touching Docker: strips finalizers, then deletes.
   * Run only while no controller serves the namespace.
   */
  async purgeNamespace(namespace: string): Promise<void> {
    for (const c of await this.listContainers(namespace)) {
      await this.request("PATCH", this.containersPath(namespace, c.metadata.name), { metadata: { finalizers: null } }, "application/merge-patch+json");
      await this.deleteContainer(namespace, c.metadata.name);
    }
  }

  /** Events about one Container, as `kubectl describe` shows them. */
  async eventsFor(namespace: string, name: string): Promise<Array<{ reason: string; type: string; message: string; count: number; source?: { component?: string } }>> {
    const r = await this.request("GET", `/api/v1/namespaces/${namespace}/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${name}`)}`);
    return r.body?.items ?? [];
  }
}

/** Writes a kubeconfig like `source` whose current cluster's server is `server` (same TLS and credentials). */
export function kubeconfigWithServer(sourcePath: string, server: string, targetPath: string): void {
  const kc = new KubeConfig();
  kc.loadFromFile(sourcePath);
  const current = kc.getCurrentCluster();
  const out = new KubeConfig();
  out.loadFromOptions({
    clusters: kc.clusters.map((c) => (c.name === current?.name ? { ...c, server } : c)),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
  Bun.write(targetPath, out.exportConfig());
}

/**
 * Runs kubectl against `kubeconfigPath`, asynchronously: the simulated apiserver is served from this
 * very process, so a synchronous spawn would block the server kubectl is talking to.
 */
export async function kubectl(kubeconfigPath: string, args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn(["kubectl", ...args], { env: { ...process.env, KUBECONFIG: kubeconfigPath }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { exitCode, stdout, stderr };
}
