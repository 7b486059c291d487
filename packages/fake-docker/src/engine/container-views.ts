/**
 * The JSON documents dockerd 20.10 answers about containers: `GET /containers/{id}/json` (inspect) and
 * one row of `GET /containers/json` (list), plus the list query's `all` and `filters` rules.
 */
import type { FilterArgs } from "./docker-filters.ts";
import { DockerMessages } from "./docker-messages.ts";
import { formatGoTime } from "./docker-time.ts";
import { DOCKER_STATUSES, statusOf, statusText, type ContainerRecord } from "./container-state.ts";

/** The list filters dockerd accepts (moby `acceptedPsFilterTags`). */
const ACCEPTED_LIST_FILTERS = [
  "ancestor", "before", "expose", "exited", "health", "id", "label", "name", "status", "since", "volume",
  "network", "is-task", "publish", "isolation",
];
/** The ones this model evaluates; the rest answer 400 rather than being silently ignored. */
const MODELLED_LIST_FILTERS = ["ancestor", "exited", "id", "label", "name", "status"];

/** Checks a list query's filters; returns dockerd's 400 message, or undefined when they are usable. */
export function listFilterProblem(filters: FilterArgs): string | undefined {
  for (const key of filters.keys()) {
    if (!ACCEPTED_LIST_FILTERS.includes(key) || !MODELLED_LIST_FILTERS.includes(key)) {
      return DockerMessages.invalidFilter(key);
    }
  }
  for (const status of filters.values("status")) {
    if (!DOCKER_STATUSES.includes(status)) return DockerMessages.invalidFilter("status", status);
  }
  for (const code of filters.values("exited")) {
    if (!/^-?\d+$/.test(code)) return DockerMessages.notAnInteger(code);
  }
  return undefined;
}

/** Whether a container belongs in a list answer (moby `includeContainerInList`, modelled filters only). */
export function includeInList(c: ContainerRecord, all: boolean, filters: FilterArgs): boolean {
  const status = statusOf(c.flags);
  // A status filter implies all=1.
  if (!all && !filters.has("status") && !c.flags.running) return false;
  if (!filters.regexMatch("id", c.id)) return false;
  if (!filters.regexMatch("name", c.name) && !filters.regexMatch("name", c.name.slice(1))) return false;
  if (!filters.exactMatch("status", status)) return false;
  if (!filters.matchKeyValues("label", c.spec.labels)) return false;
  if (filters.has("exited")) {
    if (status !== "exited" || !filters.values("exited").map(Number).includes(c.flags.exitCode)) return false;
  }
  if (filters.has("ancestor")) {
    const image = c.spec.image;
    const ok = filters.values("ancestor").some((a) => a === image || a === c.spec.imageId || c.spec.imageId.startsWith(`sha256:${a}`));
    if (!ok) return false;
  }
  return true;
}

function command(c: ContainerRecord): { path: string; args: string[] } {
  const argv = [...(c.spec.entrypoint ?? []), ...c.spec.cmd];
  return { path: argv[0] ?? "", args: argv.slice(1) };
}

function networks(c: ContainerRecord): Record<string, unknown> {
  const name = c.spec.networkMode === "default" ? "bridge" : c.spec.networkMode;
  return {
    [name]: {
      IPAMConfig: null, Links: null, Aliases: null, NetworkID: "", EndpointID: "", Gateway: "", IPAddress: "",
      IPPrefixLen: 0, IPv6Gateway: "", GlobalIPv6Address: "", GlobalIPv6PrefixLen: 0, MacAddress: "", DriverOpts: null,
    },
  };
}

/** The inspect document: the fields a controller mirrors, with dockerd's names, order and zero values. */
export function inspectView(c: ContainerRecord): Record<string, unknown> {
  const f = c.flags;
  const { path, args } = command(c);
  const hostConfig: Record<string, unknown> = {
    NetworkMode: c.spec.networkMode,
    PortBindings: null,
    RestartPolicy: { ...c.spec.restartPolicy },
    AutoRemove: c.spec.autoRemove,
  };
  if (c.spec.init !== null) hostConfig.Init = c.spec.init;
  const config: Record<string, unknown> = {
    Hostname: c.id.slice(0, 12), Domainname: "", User: "", AttachStdin: false, AttachStdout: false,
    AttachStderr: false, Tty: false, OpenStdin: c.spec.openStdin, StdinOnce: false, Env: null, Cmd: [...c.spec.cmd],
    Image: c.spec.image, Volumes: null, WorkingDir: "", Entrypoint: c.spec.entrypoint && [...c.spec.entrypoint],
    OnBuild: null, Labels: { ...c.spec.labels },
  };
  if (c.spec.stopTimeoutS !== undefined) config.StopTimeout = c.spec.stopTimeoutS;
  return {
    Id: c.id,
    Created: formatGoTime(c.createdMs),
    Path: path,
    Args: args,
    State: {
      Status: statusOf(f), Running: f.running, Paused: f.paused, Restarting: f.restarting, OOMKilled: f.oomKilled,
      Dead: f.dead, Pid: f.pid, ExitCode: f.exitCode, Error: f.error,
      StartedAt: formatGoTime(f.startedAtMs), FinishedAt: formatGoTime(f.finishedAtMs),
    },
    Image: c.spec.imageId,
    ResolvConfPath: "", HostnamePath: "", HostsPath: "", LogPath: "",
    Name: c.name,
    RestartCount: c.restartCount,
    Driver: "overlay2", Platform: "linux", MountLabel: "", ProcessLabel: "", AppArmorProfile: "", ExecIDs: null,
    HostConfig: hostConfig,
    Mounts: [],
    Config: config,
    NetworkSettings: { Bridge: "", SandboxID: "", HairpinMode: false, Ports: {}, Networks: networks(c) },
  };
}

/** One row of the list answer, with `Status` in words as of `nowMs`. */
export function listView(c: ContainerRecord, nowMs: number): Record<string, unknown> {
  const { path, args } = command(c);
  return {
    Id: c.id,
    Names: [c.name],
    Image: c.spec.image,
    ImageID: c.spec.imageId,
    // dockerd quotes an argument holding a space in single quotes (and nothing else).
    Command: args.length > 0 ? `${path} ${args.map((a) => (a.includes(" ") ? `'${a}'` : a)).join(" ")}` : path,
    Created: Math.floor(c.createdMs / 1000),
    Ports: [],
    Labels: { ...c.spec.labels },
    State: statusOf(c.flags),
    Status: statusText(c.flags, nowMs),
    HostConfig: { NetworkMode: c.spec.networkMode },
    NetworkSettings: { Networks: networks(c) },
    Mounts: [],
  };
}
