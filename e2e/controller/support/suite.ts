import type Docker from "dockerode";
import { startCluster, type Cluster, type KubeBackend } from "./cluster.ts";
import { ControllerProcess } from "./controller-process.ts";
import { requireEnv } from "./env.ts";
import { dockerFor, removeLabelled } from "./test-docker.ts";

/** What a test file works with: a cluster backend, a namespace of its own, the real dockerd, a controller. */
export interface Suite {
  cluster: Cluster;
  namespace: string;
  dockerHost: string;
  docker: Docker;
  controller: ControllerProcess;
}

/**
 * Prepares a namespace of this file's own on the shared servers (created; mirrors left by an earlier run
 * purged without touching Docker), removes this suite's old Docker containers, and starts a controller.
 */
export async function openSuite(backend: KubeBackend, namespace: string, options: { dockerHost?: string; startController?: boolean } = {}): Promise<Suite> {
  const dockerHost = options.dockerHost ?? requireEnv("CA_REAL_DOCKER_HOST");
  const cluster = await startCluster(backend);
  const docker = dockerFor(dockerHost);
  await cluster.kube.ensureNamespace(namespace);
  await removeLabelled(docker);
  await cluster.kube.purgeNamespace(namespace);
  const suite = { cluster, namespace, dockerHost, docker } as Suite;
  if (options.startController ?? true) {
    suite.controller = await ControllerProcess.start({ kubeconfig: cluster.kubeconfig, dockerHost, namespace });
    await suite.controller.waitReady();
  }
  return suite;
}

/**
 * Removes this suite's Docker containers (by label; their mirrors go with them while the controller
 * runs), stops the controller by PID, then purges what is left in the namespace — mirrors of other
 * suites' containers on the shared dockerd — without touching Docker.
 */
export async function closeSuite(suite: Suite | undefined): Promise<void> {
  if (suite === undefined) return;
  if (process.env.CA_E2E_VERBOSE) for (const line of suite.controller?.logs ?? []) console.log(JSON.stringify(line));
  await removeLabelled(suite.docker).catch(() => undefined);
  await suite.controller?.stop();
  await suite.cluster.kube.purgeNamespace(suite.namespace).catch(() => undefined);
  await suite.cluster.stop();
}
