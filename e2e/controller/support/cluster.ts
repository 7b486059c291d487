import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { VirtualClock } from "@container-actions/sim-kernel";
import { FastClusterStore } from "@container-actions/fake-apiserver";
import { serveKubeApi } from "@container-actions/fake-apiserver";
import { requireEnv, REPO_ROOT } from "./env.ts";
import { TestKube } from "./test-kube.ts";

/**
 * The Kubernetes API servers the suite runs against. Every test file loops over KUBE_BACKENDS, so a new
 * backend is one entry in STARTERS plus its starter function.
 */
export type KubeBackend = "real-apiserver" | "simulated";

export interface Cluster {
  backend: KubeBackend;
  /** Admin kubeconfig, handed to the controller and used by the test's own client. */
  kubeconfig: string;
  kube: TestKube;
  stop(): Promise<void>;
}

const STARTERS: Record<KubeBackend, () => Promise<Cluster>> = {
  "real-apiserver": startRealApiserver,
  simulated: startSimulatedApiserver,
};

/** Every backend, or those named in CA_E2E_BACKENDS (comma-separated) for a local run. */
export const KUBE_BACKENDS = (Object.keys(STARTERS) as KubeBackend[]).filter(
  (b) => !process.env.CA_E2E_BACKENDS || process.env.CA_E2E_BACKENDS.split(",").includes(b),
);

/** Connects to (or starts) the backend, with the Container CRD installed and Established. */
export function startCluster(backend: KubeBackend): Promise<Cluster> {
  return STARTERS[backend]();
}

/** The real kube-apiserver v1.20.2 CI started (CA_REAL_KUBECONFIG); shared with other suites, so never stopped here. */
async function startRealApiserver(): Promise<Cluster> {
  const kubeconfig = requireEnv("CA_REAL_KUBECONFIG");
  const kube = await TestKube.connect(kubeconfig);
  await kube.ensureCrd(`${REPO_ROOT}deploy/crd/containers.yaml`);
  return { backend: "real-apiserver", kubeconfig, kube, stop: async () => {} };
}

/**
 * The simulator's fake kube-apiserver (packages/fake-apiserver/src/http/kube, `serveKubeApi`), served from this
 * test process with a fresh store per test file; the CRD is installed with kubectl like on the real one.
 */
async function startSimulatedApiserver(): Promise<Cluster> {
  const store = new FastClusterStore({ clock: new VirtualClock(Date.now()) });
  const server = await serveKubeApi({ store });
  const kube = await TestKube.connect(server.kubeconfigPath);
  await kube.ensureCrd(`${REPO_ROOT}deploy/crd/containers.yaml`);
  const stop = async () => {
    await server.stop();
    rmSync(dirname(server.kubeconfigPath), { recursive: true, force: true }); // its kubeconfig and certificates
  };
  return { backend: "simulated", kubeconfig: server.kubeconfigPath, kube, stop };
}
