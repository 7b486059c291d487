/**
 * Initial sync against real services: the controller binary (`bun apps/controller/src/main.ts`, spawned
 * as the e2e suite spawns it) on a real dockerd holding `containers` containers of the bench, timed from
 * spawn until every one has a mirror with status `running`; its peak RSS from /proc (VmHWM). The baseline
 * in the same run: the same binary started with none of the bench's containers, timed to /readyz.
 */
import { ControllerProcess } from "@container-actions/e2e";
import type { RealBackends } from "../real/real-backends.ts";
import { dockerFor, foreignContainers, removeBenchContainers, runBenchContainers } from "../real/bench-containers.ts";
import { processMemory } from "../real/process-memory.ts";

export interface ControllerStart {
  containers: number;
  /** Wall ms from spawn to /readyz 200. */
  readyMs: number;
  /** Wall ms from spawn until every bench container has a running mirror (= readyMs when there are none). */
  mirroredMs: number;
  peakRssMb: number;
}

export interface RealSync {
  apiserver: string;
  /** Containers on the daemon that are not the bench's: the controller mirrors them too. */
  foreignContainers: number;
  empty: ControllerStart;
  full: ControllerStart;
}

const NAMESPACE = "bench-sync";
const POLL_MS = 20;
const TIMEOUT_MS = 120_000;

export async function measureRealSync(b: RealBackends, containers: number): Promise<RealSync> {
  const docker = dockerFor(b.dockerHost);
  const kube = b.cluster.kube;
  await kube.ensureNamespace(NAMESPACE);
  await removeBenchContainers(docker);
  await kube.purgeNamespace(NAMESPACE);
  try {
    const foreign = await foreignContainers(docker);
    const empty = await startAndTime(b, []);
    await kube.purgeNamespace(NAMESPACE);
    const ids = await runBenchContainers(docker, containers);
    const full = await startAndTime(b, ids);
    return { apiserver: b.apiserver, foreignContainers: foreign, empty, full };
  } finally {
    await removeBenchContainers(docker);
    await kube.purgeNamespace(NAMESPACE);
  }
}

async function startAndTime(b: RealBackends, ids: string[]): Promise<ControllerStart> {
  const t0 = performance.now();
  const controller = await ControllerProcess.start({ kubeconfig: b.cluster.kubeconfig, dockerHost: b.dockerHost, namespace: NAMESPACE });
  try {
    let readyMs: number | undefined;
    let mirroredMs: number | undefined;
    while (readyMs === undefined || mirroredMs === undefined) {
      if (performance.now() - t0 > TIMEOUT_MS) throw new Error(`controller: not ready or not mirrored after ${TIMEOUT_MS} ms`);
      if (readyMs === undefined && (await controller.readyz().catch(() => ({ status: 0 }))).status === 200) readyMs = performance.now() - t0;
      if (mirroredMs === undefined && (await allRunning(b, ids))) mirroredMs = performance.now() - t0;
      await Bun.sleep(POLL_MS);
    }
    return { containers: ids.length, readyMs, mirroredMs: Math.max(mirroredMs, ids.length === 0 ? readyMs : 0), peakRssMb: processMemory(controller.pid)?.peakRssMb ?? Number.NaN };
  } finally {
    await controller.stop();
  }
}

async function allRunning(b: RealBackends, ids: string[]): Promise<boolean> {
  if (ids.length === 0) return true;
  const mirrors = new Map((await b.cluster.kube.listContainers(NAMESPACE)).map((c) => [c.metadata.name, c]));
  return ids.every((id) => mirrors.get(id)?.status?.status === "running");
}
