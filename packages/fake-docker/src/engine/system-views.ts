/**
 * The engine-wide documents: `GET /version` and `GET /info`, as a Debian dockerd 20.10.24 on linux/amd64
 * answers them, with the counts and the clock taken from the model.
 */
import type { ContainerRecord } from "./container-state.ts";
import { formatGoTime } from "./docker-time.ts";

/** The engine version the model imitates. */
export const DOCKER_ENGINE_VERSION = "20.10.24";
/** The newest API version it speaks. */
export const DOCKER_API_VERSION = "1.41";
/** The oldest API version it accepts. */
export const DOCKER_API_VERSION_MIN = "1.12";

const GIT_COMMIT = "5d6db84";
const GO_VERSION = "go1.19.8";
const KERNEL_VERSION = "6.1.0-simulated";
const BUILD_TIME = "2023-04-04T00:00:00.000000000+00:00";

/** `GET /version`. */
export function versionView(): Record<string, unknown> {
  return {
    Platform: { Name: "" },
    Components: [
      {
        Name: "Engine",
        Version: DOCKER_ENGINE_VERSION,
        Details: {
          ApiVersion: DOCKER_API_VERSION, Arch: "amd64", BuildTime: BUILD_TIME, Experimental: "false", GitCommit: GIT_COMMIT,
          GoVersion: GO_VERSION, KernelVersion: KERNEL_VERSION, MinAPIVersion: DOCKER_API_VERSION_MIN, Os: "linux",
        },
      },
      { Name: "containerd", Version: "1.6.20", Details: { GitCommit: "" } },
      { Name: "runc", Version: "1.1.5", Details: { GitCommit: "" } },
      { Name: "docker-init", Version: "0.19.0", Details: { GitCommit: "" } },
    ],
    Version: DOCKER_ENGINE_VERSION,
    ApiVersion: DOCKER_API_VERSION,
    MinAPIVersion: DOCKER_API_VERSION_MIN,
    GitCommit: GIT_COMMIT,
    GoVersion: GO_VERSION,
    Os: "linux",
    Arch: "amd64",
    KernelVersion: KERNEL_VERSION,
    BuildTime: BUILD_TIME,
  };
}

/** `GET /info`: counts by state (restarting counts as running, as in moby), SystemTime from the virtual clock. */
export function infoView(containers: readonly ContainerRecord[], images: number, nowMs: number, listeners: number): Record<string, unknown> {
  const paused = containers.filter((c) => c.flags.paused).length;
  const running = containers.filter((c) => c.flags.running && !c.flags.paused).length;
  return {
    ID: "SIMU:LATE:DDOC:KER0:0000:0000:0000:0000:0000:0000:0000:0000",
    Containers: containers.length,
    ContainersRunning: running,
    ContainersPaused: paused,
    ContainersStopped: containers.length - running - paused,
    Images: images,
    Driver: "overlay2",
    DriverStatus: [["Backing Filesystem", "extfs"]],
    Plugins: { Volume: ["local"], Network: ["bridge", "host", "null"], Authorization: null, Log: ["json-file"] },
    MemoryLimit: true,
    SwapLimit: true,
    IPv4Forwarding: false,
    Debug: false,
    NFd: 20,
    NGoroutines: 30,
    SystemTime: formatGoTime(nowMs),
    LoggingDriver: "json-file",
    CgroupDriver: "cgroupfs",
    CgroupVersion: "1",
    NEventsListener: listeners,
    KernelVersion: KERNEL_VERSION,
    OperatingSystem: "Debian GNU/Linux 12 (bookworm)",
    OSVersion: "12",
    OSType: "linux",
    Architecture: "x86_64",
    IndexServerAddress: "https://index.docker.io/v1/",
    RegistryConfig: { IndexConfigs: {}, Mirrors: [] },
    NCPU: 2,
    MemTotal: 4_294_967_296,
    DockerRootDir: "/var/lib/docker",
    Name: "simulated-docker",
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: DOCKER_ENGINE_VERSION,
    Runtimes: { runc: { path: "runc" } },
    DefaultRuntime: "runc",
    Swarm: { NodeID: "", NodeAddr: "", LocalNodeState: "inactive", ControlAvailable: false, Error: "", RemoteManagers: null },
    LiveRestoreEnabled: false,
    Isolation: "",
    InitBinary: "docker-init",
    ContainerdCommit: { ID: "1.6.20", Expected: "1.6.20" },
    RuncCommit: { ID: "1.1.5", Expected: "1.1.5" },
    InitCommit: { ID: "0.19.0", Expected: "0.19.0" },
    SecurityOptions: [],
    Warnings: null,
  };
}

