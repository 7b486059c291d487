/**
 * The real backends the last two parts need, from the environment the e2e suite uses:
 * CA_REAL_DOCKER_HOST (a real dockerd; required — without it nothing is measured) and
 * CA_REAL_KUBECONFIG (a real kube-apiserver; without it the simulator's apiserver, `serveKubeApi`, is
 * served from this process instead). Never fakes a backend that is missing: it says so.
 */
import { startCluster, type Cluster } from "@container-actions/e2e";

export interface RealBackends {
  dockerHost: string;
  cluster: Cluster;
  /** What the apiserver is, for the report. */
  apiserver: string;
}

export type Backends = { kind: "ready"; backends: RealBackends } | { kind: "missing"; why: string };

export const HOW_TO_START =
  "start them with `tools/docker-engine/start.sh /tmp/bn-de` and `tools/real-apiserver/start.sh /tmp/bn-ks 6943`, then export " +
  "CA_REAL_DOCKER_HOST=unix:///tmp/bn-de/docker.sock CA_REAL_KUBECONFIG=/tmp/bn-ks/kubeconfig";

export async function openBackends(): Promise<Backends> {
  const dockerHost = process.env.CA_REAL_DOCKER_HOST;
  if (dockerHost === undefined || dockerHost === "") return { kind: "missing", why: `CA_REAL_DOCKER_HOST is not set: this part needs a real dockerd; ${HOW_TO_START}` };
  const real = process.env.CA_REAL_KUBECONFIG !== undefined && process.env.CA_REAL_KUBECONFIG !== "";
  const cluster = await startCluster(real ? "real-apiserver" : "simulated");
  return {
    kind: "ready",
    backends: { dockerHost, cluster, apiserver: real ? "real kube-apiserver v1.20.2 (CA_REAL_KUBECONFIG)" : "the simulator's apiserver (serveKubeApi, in the bench process; CA_REAL_KUBECONFIG not set)" },
  };
}
