/**
 * One factory, two Kubernetes API servers: the simulator's fake apiserver (served from this test
 * process) and a real kube-apiserver v1.20.2 (started once by CI, found through CA_REAL_KUBECONFIG).
 * Each gives a kubeconfig, a kubectl runner and an HTTPS client with the admin client certificate, and
 * has the Container CRD installed and Established.
 */
import { afterAll, beforeAll } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VirtualClock } from "@container-actions/sim-kernel";
import { type ClusterStore, FastClusterStore } from "@container-actions/fake-apiserver";
import { serveKubeApi } from "@container-actions/fake-apiserver";

export const KubeBackend = { simulated: "simulated", realApiserver: "real-apiserver" } as const;
export type KubeBackend = (typeof KubeBackend)[keyof typeof KubeBackend];
export const KUBE_BACKENDS: readonly KubeBackend[] = [KubeBackend.simulated, KubeBackend.realApiserver];

export const REPO_ROOT = join(import.meta.dir, "..", "..");
export const CRD_FILE = join(REPO_ROOT, "deploy", "crd", "containers.yaml");
export const CRD_NAME = "containers.containers.rancherdesktop.io";
export const CONTAINERS_PATH = "/apis/containers.rancherdesktop.io/v1alpha1";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A JSON answer of the apiserver: the status code and the parsed body. */
export interface HttpAnswer {
  code: number;
  body: unknown;
  headers: Headers;
}

export interface TestCluster {
  backend: KubeBackend;
  kubeconfigPath: string;
  url: string;
  /** The store behind the simulated backend (undefined for the real one). */
  store: ClusterStore | undefined;
  /** Runs `kubectl --kubeconfig <ours> ...args`, never the shell; times out after `timeoutMs`. */
  kubectl(args: string[], options?: { stdin?: string; timeoutMs?: number }): Promise<CommandResult>;
  /** Starts a long-running kubectl (e.g. `get -w`); the caller kills it. */
  spawnKubectl(args: string[]): Bun.Subprocess<"ignore", "pipe", "pipe">;
  /** One HTTPS request with the admin client certificate; the body is JSON unless a string. */
  request(method: string, path: string, body?: unknown, contentType?: string, headers?: Record<string, string>): Promise<HttpAnswer>;
  /** Opens a watch stream; returns a reader of JSON lines and a stopper. */
  watchStream(path: string): Promise<{ lines: AsyncGenerator<unknown>; stop: () => void }>;
  /** Creates a namespace with a unique name for one test (not removed: a real one never finishes terminating). */
  freshNamespace(prefix: string): Promise<string>;
  stop(): Promise<void>;
}

interface Credentials {
  url: string;
  ca: string;
  cert: string;
  key: string;
}

/** Reads the server and the embedded certificates of a kubeconfig written by start.sh or serveKubeApi. */
export function readKubeconfig(path: string): Credentials {
  const text = readFileSync(path, "utf8");
  const field = (name: string) => {
    const m = new RegExp(`^\\s*${name}:\\s*(\\S+)\\s*$`, "m").exec(text);
    if (m === null) throw Object.assign(new Error(`kubeconfig ${path} has no ${name}`), { code: "BAD_KUBECONFIG" });
    return m[1] as string;
  };
  const b64 = (name: string) => Buffer.from(field(name), "base64").toString("utf8");
  return { url: field("server"), ca: b64("certificate-authority-data"), cert: b64("client-certificate-data"), key: b64("client-key-data") };
}

let nameCounter = 0;
function uniqueSuffix(): string {
  nameCounter += 1;
  return `${Date.now().toString(36)}${process.pid.toString(36)}${nameCounter}`;
}

function makeCluster(backend: KubeBackend, kubeconfigPath: string, store: ClusterStore | undefined, stop: () => Promise<void>): TestCluster {
  const creds = readKubeconfig(kubeconfigPath);
  const tls = { ca: creds.ca, cert: creds.cert, key: creds.key };
  const cluster: TestCluster = {
    backend,
    kubeconfigPath,
    url: creds.url,
    store,
    async kubectl(args, options = {}) {
      const proc = Bun.spawn(["kubectl", "--kubeconfig", kubeconfigPath, ...args], {
        stdin: options.stdin !== undefined ? new TextEncoder().encode(options.stdin) : "ignore",
        stdout: "pipe",
        stderr: "pipe",
      });
      const timer = setTimeout(() => proc.kill(), options.timeoutMs ?? 30_000);
      const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
      clearTimeout(timer);
      return { code, stdout, stderr };
    },
    spawnKubectl(args) {
      return Bun.spawn(["kubectl", "--kubeconfig", kubeconfigPath, ...args], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    },
    async request(method, path, body, contentType = "application/json", headers = {}) {
      const init: RequestInit & { tls: typeof tls } = { method, tls, headers: { Accept: "application/json", "User-Agent": "e2e-kube/1.0", ...headers } };
      if (body !== undefined) {
        init.body = typeof body === "string" ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)["Content-Type"] = contentType;
      }
      const res = await fetch(`${creds.url}${path}`, init);
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { code: res.status, body: parsed, headers: res.headers };
    },
    async watchStream(path) {
      const controller = new AbortController();
      const res = await fetch(`${creds.url}${path}`, { tls, signal: controller.signal, headers: { Accept: "application/json" } } as RequestInit);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      async function* lines(): AsyncGenerator<unknown> {
        let buffer = "";
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            buffer += decoder.decode(value, { stream: true });
            let nl = buffer.indexOf("\n");
            while (nl >= 0) {
              const line = buffer.slice(0, nl).trim();
              buffer = buffer.slice(nl + 1);
              if (line !== "") yield JSON.parse(line);
              nl = buffer.indexOf("\n");
            }
          }
        } catch {
          return;
        }
      }
      return { lines: lines(), stop: () => controller.abort() };
    },
    async freshNamespace(prefix) {
      const name = `${prefix}-${uniqueSuffix()}`.slice(0, 63).replace(/-+$/, "");
      const r = await cluster.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
      if (r.code !== 201) throw Object.assign(new Error(`creating namespace ${name}: ${r.code} ${JSON.stringify(r.body)}`), { code: "NAMESPACE_FAILED" });
      return name;
    },
    stop,
  };
  return cluster;
}

async function installCrd(cluster: TestCluster): Promise<void> {
  const apply = await cluster.kubectl(["apply", "-f", CRD_FILE]);
  if (apply.code !== 0) throw Object.assign(new Error(`kubectl apply CRD: ${apply.stderr}`), { code: "CRD_FAILED" });
  const wait = await cluster.kubectl(["wait", "--for=condition=Established", `crd/${CRD_NAME}`, "--timeout=60s"]);
  if (wait.code !== 0) throw Object.assign(new Error(`CRD not Established: ${wait.stderr}`), { code: "CRD_FAILED" });
}

/**
 * Starts (simulated) or connects to (real-apiserver) a cluster with the Container CRD Established.
 * The real backend needs CA_REAL_KUBECONFIG; without it this fails, it never skips.
 */
export async function startCluster(options: { backend: KubeBackend }): Promise<TestCluster> {
  let cluster: TestCluster;
  if (options.backend === KubeBackend.simulated) {
    const store = new FastClusterStore({ clock: new VirtualClock(Date.now()) });
    const server = await serveKubeApi({ store });
    cluster = makeCluster(options.backend, server.kubeconfigPath, store, () => server.stop());
  } else {
    const kubeconfig = process.env.CA_REAL_KUBECONFIG;
    if (kubeconfig === undefined || kubeconfig === "") {
      throw Object.assign(
        new Error(
          "CA_REAL_KUBECONFIG is not set. The real-apiserver backend needs a running kube-apiserver v1.20.2: " +
            "run `tools/real-apiserver/start.sh RUN_DIR [PORT]` and export CA_REAL_KUBECONFIG=RUN_DIR/kubeconfig.",
        ),
        { code: "NO_REAL_APISERVER" },
      );
    }
    cluster = makeCluster(options.backend, kubeconfig, undefined, async () => {});
  }
  await installCrd(cluster);
  return cluster;
}

/**
 * Starts a simulated and a real cluster before the tests of the calling `describe` block, and stops both
 * after them: the differential suites' shared setup. Read the clusters from the returned object inside tests.
 */
export function simulatedAndReal(): { readonly simulated: TestCluster; readonly real: TestCluster } {
  const pair = {} as { simulated: TestCluster; real: TestCluster };
  beforeAll(async () => {
    pair.simulated = await startCluster({ backend: KubeBackend.simulated });
    pair.real = await startCluster({ backend: KubeBackend.realApiserver });
  }, 90_000);
  afterAll(async () => {
    await pair.simulated?.stop();
    await pair.real?.stop();
  });
  return pair;
}
