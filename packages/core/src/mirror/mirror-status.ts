import { ContainerStatusValue, type ContainerStatus, type Port } from "../api/container-schema.ts";
import type { EngineState } from "../engine/container-engine.ts";
import type { DockerInspect } from "./docker-inspect.ts";

/** The status fields the mirror sync owns: everything but lastAction (the action reconciler's) and conditions. */
export type MirroredStatus = Omit<ContainerStatus, "lastAction" | "conditions">;

/** Optional fields the sync owns; when Docker no longer reports one, the sync removes it. */
export const MIRRORED_OPTIONAL_FIELDS = ["imageName", "args", "ports", "labels", "pid", "exitCode", "error", "createdAt", "startedAt", "finishedAt"] as const;

const STATUSES = new Set<string>(Object.values(ContainerStatusValue));
// Docker reports "never" as the zero time of Go.
const ZERO_TIME = /^0001-01-01T/;

/**
 * Builds a mirror's status from `docker inspect` (reference-behavior.md §1.4).
 * Deterministic for equal input: ports and bindings are sorted so an unchanged container never produces
 * a different status (E29), and an unknown Docker state becomes `unknown` (E28).
 */
export function mirrorStatusFromInspect(inspect: DockerInspect): MirroredStatus {
  const { name, namespace } = splitName(inspect.Name);
  const state = inspect.State;
  const status: MirroredStatus = {
    name,
    namespace,
    path: inspect.Path,
    image: inspect.Image,
    status: (STATUSES.has(state.Status) ? state.Status : "unknown") as ContainerStatusValue,
    pid: state.Pid ?? 0,
    exitCode: state.ExitCode ?? 0,
  };
  const imageName = inspect.Config?.Image;
  if (imageName) status.imageName = imageName;
  if (inspect.Args && inspect.Args.length > 0) status.args = [...inspect.Args];
  const labels = inspect.Config?.Labels;
  if (labels && Object.keys(labels).length > 0) status.labels = { ...labels };
  const ports = portsOf(inspect);
  if (ports.length > 0) status.ports = ports;
  if (state.Error) status.error = state.Error;
  const created = timeOf(inspect.Created);
  if (created) status.createdAt = created;
  const started = timeOf(state.StartedAt);
  if (started) status.startedAt = started;
  const finished = timeOf(state.FinishedAt);
  if (finished) status.finishedAt = finished;
  return status;
}

/** The engine state the action protocol reads, from the same inspect answer. */
export function engineStateFromInspect(inspect: DockerInspect): EngineState {
  const status = (STATUSES.has(inspect.State.Status) ? inspect.State.Status : "unknown") as ContainerStatusValue;
  const started = timeOf(inspect.State.StartedAt);
  return {
    status,
    running: inspect.State.Running,
    paused: inspect.State.Paused,
    restarting: inspect.State.Restarting,
    ...(started ? { startedAtMs: Date.parse(started) } : {}),
  };
}

/** True when `current` already holds every mirrored field exactly as `desired` has it. */
export function mirroredStatusEquals(current: ContainerStatus | undefined, desired: MirroredStatus): boolean {
  if (current === undefined) return false;
  const { lastAction: _a, conditions: _c, ...mirrored } = current;
  return canonical(mirrored) === canonical(desired);
}

function splitName(dockerName: string): { name: string; namespace: string } {
  const bare = dockerName.replace(/^\//, "");
  const slash = bare.indexOf("/");
  return slash < 0 ? { name: bare, namespace: "moby" } : { name: bare.slice(slash + 1), namespace: bare.slice(0, slash) };
}

function portsOf(inspect: DockerInspect): Port[] {
  const ports = inspect.NetworkSettings?.Ports ?? {};
  return Object.keys(ports)
    .sort()
    .map((name) => {
      const bindings = (ports[name] ?? [])
        .map((b) => ({ hostIP: b.HostIp, hostPort: b.HostPort }))
        .sort((a, b) => a.hostIP.localeCompare(b.hostIP) || a.hostPort.localeCompare(b.hostPort));
      return bindings.length > 0 ? { name, bindings } : { name };
    });
}

function timeOf(value: string | undefined): string | undefined {
  if (!value || ZERO_TIME.test(value) || Number.isNaN(Date.parse(value))) return undefined;
  return value;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
