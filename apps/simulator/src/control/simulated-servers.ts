/**
 * The simulated world on the wire, for people and real processes: a fake kube-apiserver (HTTPS, the
 * Container CRD installed) over a fresh FastClusterStore, and the simulated Docker engine on a unix socket,
 * each model's virtual clock following wall time.
 * Does not model: persistence — every start is a fresh, empty cluster and engine.
 */
import { rmSync } from "node:fs";
import { containerCrd } from "@container-actions/core";
import { type ClusterStore, CRD_REF, FastClusterStore } from "@container-actions/fake-apiserver";
import { NO_ENGINE_FAULTS, SimulatedDocker, messageOf, type CreateContainerBody, type DockerResponse, type EngineFaults, type ProcessExitResult } from "@container-actions/fake-docker";
import { serveDockerApi } from "@container-actions/fake-docker";
import { serveKubeApi, type KubeApiServer } from "@container-actions/fake-apiserver";
import { Prng } from "@container-actions/sim-kernel";
import { ApiserverFaults } from "./apiserver-faults.ts";
import { VirtualClock, followWallClock } from "@container-actions/sim-kernel";

/** A unix socket path longer than this cannot be bound (sun_path is 108 bytes with its NUL). */
export const SOCKET_PATH_BYTES_MAX = 107;

/** The simulated engine as the control API drives it: its faults, and its process hooks. */
export interface EngineControl {
  /** The faults in force now. */
  faults(): EngineFaults;
  /** Changes the faults (fields left out keep their value) and returns those now in force. */
  setFaults(faults: Partial<EngineFaults>): EngineFaults;
  /** PID 1 of `ref` (id, name or unique id prefix) exits with `code`. */
  exitProcess(ref: string, code: number): ProcessExitResult;
  /** `docker run -d`: creates and starts a container; the id, or Docker's refusal. */
  run(body: CreateContainerBody, name: string): Promise<{ kind: "started"; id: string } | { kind: "refused"; status: number; message: string }>;
}

export interface SimulatedEngine extends EngineControl {
  docker: SimulatedDocker;
  /** A DOCKER_HOST value: `unix://<socketPath>`. */
  url: string;
  stop(): Promise<void>;
}

/** Serves a fresh simulated engine on `socketPath`, removing a stale socket file first. */
export function startSimulatedEngine(options: { socketPath: string; seed?: number }): SimulatedEngine {
  if (Buffer.byteLength(options.socketPath) > SOCKET_PATH_BYTES_MAX) {
    throw Object.assign(new Error(`socket path too long (over ${SOCKET_PATH_BYTES_MAX} bytes): ${options.socketPath}`), { code: "SOCKET_PATH_TOO_LONG" });
  }
  rmSync(options.socketPath, { force: true });
  const clock = new VirtualClock(Date.now());
  const stopFollowing = followWallClock(clock);
  const docker = new SimulatedDocker({ clock, prng: new Prng(options.seed ?? Date.now() >>> 0) });
  const server = serveDockerApi({ docker, socketPath: options.socketPath });
  return {
    ...engineControl(docker),
    docker,
    url: server.url,
    async stop() {
      await server.stop();
      stopFollowing();
      rmSync(options.socketPath, { force: true });
    },
  };
}

/** The control hooks of `docker`, an in-process model (no socket needed). */
export function engineControl(docker: SimulatedDocker): EngineControl {
  let faults: EngineFaults = NO_ENGINE_FAULTS;
  return {
    faults: () => faults,
    setFaults(changes) {
      faults = { ...faults, ...changes };
      docker.setFaults(faults);
      return faults;
    },
    exitProcess: (ref, code) => docker.exitProcess(ref, code),
    async run(body, name) {
      const created = await docker.create(body, { name });
      if (created.kind !== "http") return { kind: "refused", status: 503, message: created.detail };
      if (created.statusCode !== 201) return refused(created);
      const id = (created.body as { Id: string }).Id;
      const started = await docker.start(id);
      if (started.kind !== "http") return { kind: "refused", status: 503, message: started.detail };
      if (started.statusCode >= 300 && started.statusCode !== 304) return refused(started);
      return { kind: "started", id };
    },
  };
}

function refused(answer: DockerResponse & { kind: "http" }): { kind: "refused"; status: number; message: string } {
  return { kind: "refused", status: answer.statusCode, message: messageOf(answer) ?? `HTTP ${answer.statusCode}` };
}

export interface SimulatedCluster {
  store: ClusterStore;
  /** The fault hook in front of the store (off until the control API sets faults). */
  faults: ApiserverFaults;
  server: KubeApiServer;
  /** The admin kubeconfig (user `admin`, group system:masters). */
  kubeconfigPath: string;
  url: string;
  stop(): Promise<void>;
}

/** Serves a fresh cluster store, with the Container CRD installed, and writes its admin kubeconfig. */
export async function startSimulatedCluster(options: { kubeconfigPath: string; port?: number }): Promise<SimulatedCluster> {
  const store = new FastClusterStore({ clock: new VirtualClock(Date.now()), seed: Date.now() >>> 0 });
  const installed = await store.create(CRD_REF, undefined, containerCrd());
  if (installed.kind !== "ok") throw Object.assign(new Error(`installing the Container CRD: ${JSON.stringify(installed)}`), { code: "CRD_INSTALL_FAILED" });
  const faults = new ApiserverFaults(store, Date.now() >>> 0);
  const server = await serveKubeApi({ store, api: () => faults.api(), kubeconfigPath: options.kubeconfigPath, ...(options.port !== undefined ? { port: options.port } : {}) });
  return { store, faults, server, kubeconfigPath: server.kubeconfigPath, url: server.url, stop: () => server.stop() };
}
