/**
 * The controller's configuration: every flag, its environment variable and its default, parsed into one
 * typed value. Pure: the caller passes argv and env, so tests need no process.
 */
import { helpText as commandHelp, parseOptions, type Command, type FlagTable } from "@container-actions/cli-options";

/** Where the kubeconfig comes from, in the order they are tried. */
export type KubeconfigSource =
  /** `--kubeconfig PATH`, or `KUBECONFIG` (which may list several files, merged as kubectl does). */
  | { kind: "file"; path: string }
  | { kind: "env"; value: string }
  /** The service account of the pod, when `KUBERNETES_SERVICE_HOST` is set. */
  | { kind: "in-cluster" }
  /** `~/.kube/config`. */
  | { kind: "home"; path: string };

/** The Docker Engine API endpoint. */
export type DockerEndpoint =
  | { kind: "unix"; socketPath: string }
  | { kind: "tcp"; host: string; port: number; tls: { certPath: string } | null };

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal";

export interface LeaderElectionConfig {
  enabled: boolean;
  leaseName: string;
  leaseNamespace: string;
  /** How long a lease is valid without renewal (controller-runtime: 15 s). */
  leaseDurationMs: number;
  /** How long the leader keeps trying to renew before it gives up leadership (10 s). */
  renewDeadlineMs: number;
  /** How often acquire and renew are tried (2 s). */
  retryPeriodMs: number;
  /** This process's identity in the Lease. */
  identity: string;
}

export interface ControllerConfig {
  kubeconfig: KubeconfigSource;
  docker: DockerEndpoint;
  namespace: string;
  concurrency: number;
  resyncPeriodMs: number;
  /** host:port of the HTTP server for /metrics, /healthz and /readyz. */
  metricsAddress: { host: string; port: number };
  leaderElection: LeaderElectionConfig;
  logLevel: LogLevel;
  /** How long SIGTERM waits for keys in flight before the process exits anyway. */
  shutdownTimeoutMs: number;
}

export type ConfigResult = { kind: "config"; config: ControllerConfig } | { kind: "help"; text: string } | { kind: "invalid"; error: string };

const LOG_LEVELS: readonly LogLevel[] = ["trace", "debug", "info", "warn", "error", "fatal"];

/** Every flag, its environment variable and its default: the one table --help is generated from. */
const COMMAND = {
  binary: "container-actions-controller",
  summary: "Runs Container actions: turns the action annotation on a Container mirror into a Docker call.",
  flags: {
    kubeconfig: { kind: "string", valueName: "PATH", defaultText: "$KUBECONFIG (may list several, separated by ':'), else in-cluster, else ~/.kube/config", help: "kubeconfig file" },
    "docker-host": { kind: "string", env: "DOCKER_HOST", default: "unix:///var/run/docker.sock", valueName: "URL", help: "Docker Engine API endpoint: unix:///path or tcp://host:port (TLS when DOCKER_TLS_VERIFY=1, certificates from DOCKER_CERT_PATH)" },
    namespace: { kind: "string", env: "CONTROLLER_NAMESPACE", default: "default", help: "namespace of the Container mirrors" },
    concurrency: { kind: "integer", env: "CONTROLLER_CONCURRENCY", default: "4", min: 1, max: 1000, help: "keys processed at once, per queue (actions, mirrors)" },
    "resync-period": { kind: "duration", env: "CONTROLLER_RESYNC_PERIOD", default: "5m", min: 1, help: "period of the full resync (every Docker container and every mirror)" },
    "metrics-address": { kind: "string", env: "CONTROLLER_METRICS_ADDRESS", default: "127.0.0.1:9440", valueName: "HOST:PORT", help: "host:port serving /metrics, /healthz and /readyz" },
    "leader-elect": { kind: "boolean", env: "CONTROLLER_LEADER_ELECT", defaultText: "false", help: "elect a leader through a coordination.k8s.io/v1 Lease" },
    "lease-name": { kind: "string", env: "CONTROLLER_LEASE_NAME", default: "container-actions-controller", help: "name of the Lease" },
    "lease-namespace": { kind: "string", env: "CONTROLLER_LEASE_NAMESPACE", defaultText: "the --namespace value", help: "namespace of the Lease" },
    "lease-duration": { kind: "duration", env: "CONTROLLER_LEASE_DURATION", default: "15s", min: 1, help: "how long a lease is valid without renewal" },
    "renew-deadline": { kind: "duration", env: "CONTROLLER_RENEW_DEADLINE", default: "10s", min: 1, help: "how long the leader retries renewal before it exits" },
    "retry-period": { kind: "duration", env: "CONTROLLER_RETRY_PERIOD", default: "2s", min: 1, help: "interval between acquire/renew attempts" },
    "leader-identity": { kind: "string", env: "CONTROLLER_LEADER_IDENTITY", defaultText: "<hostname>_<random>", help: "holder identity written into the Lease" },
    "log-level": { kind: "string", env: "LOG_LEVEL", default: "info", choices: LOG_LEVELS, help: "log level" },
    "shutdown-timeout": { kind: "duration", env: "CONTROLLER_SHUTDOWN_TIMEOUT", default: "30s", min: 1, help: "how long SIGTERM/SIGINT waits for keys in flight" },
  },
} as const satisfies Command<FlagTable>;

/** The `--help` text: every flag, its environment variable and its default. */
export function helpText(): string {
  return commandHelp(COMMAND);
}

export interface ConfigInputs {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  hostname: string;
  /** A random suffix for the default leader identity (controller-runtime: hostname_uuid). */
  randomSuffix: string;
}

/** Parses flags and environment into a config, the help text, or the problems found. */
export function parseConfig(inputs: ConfigInputs): ConfigResult {
  const parsed = parseOptions(COMMAND, inputs.argv, inputs.env);
  if (parsed.kind === "help") return parsed;
  if (parsed.kind === "invalid") return { kind: "invalid", error: parsed.problems.join("; ") };
  const v = parsed.values;
  try {
    const config: ControllerConfig = {
      kubeconfig: kubeconfigSource(v.kubeconfig, inputs),
      docker: parseDockerHost(v["docker-host"], inputs.env),
      namespace: v.namespace,
      concurrency: v.concurrency,
      resyncPeriodMs: v["resync-period"],
      metricsAddress: parseAddress(v["metrics-address"]),
      leaderElection: {
        enabled: v["leader-elect"],
        leaseName: v["lease-name"],
        leaseNamespace: v["lease-namespace"] ?? v.namespace,
        leaseDurationMs: v["lease-duration"],
        renewDeadlineMs: v["renew-deadline"],
        retryPeriodMs: v["retry-period"],
        identity: v["leader-identity"] ?? `${inputs.hostname}_${inputs.randomSuffix}`,
      },
      logLevel: v["log-level"] as LogLevel,
      shutdownTimeoutMs: v["shutdown-timeout"],
    };
    const le = config.leaderElection;
    if (le.enabled && !(le.leaseDurationMs > le.renewDeadlineMs && le.renewDeadlineMs > le.retryPeriodMs)) {
      throw new ConfigError("leader election needs lease-duration > renew-deadline > retry-period");
    }
    return { kind: "config", config };
  } catch (error) {
    if (error instanceof ConfigError) return { kind: "invalid", error: error.message };
    throw error;
  }
}

class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
}

function kubeconfigSource(flag: string | undefined, inputs: ConfigInputs): KubeconfigSource {
  if (flag !== undefined && flag !== "") return { kind: "file", path: flag };
  const env = inputs.env.KUBECONFIG;
  if (env !== undefined && env !== "") return { kind: "env", value: env };
  if (inputs.env.KUBERNETES_SERVICE_HOST) return { kind: "in-cluster" };
  return { kind: "home", path: `${inputs.homeDir}/.kube/config` };
}

/** Parses DOCKER_HOST as the docker CLI does for the two schemes this controller supports. */
export function parseDockerHost(value: string, env: Readonly<Record<string, string | undefined>>): DockerEndpoint {
  if (value.startsWith("unix://")) {
    const socketPath = value.slice("unix://".length);
    if (!socketPath.startsWith("/")) throw new ConfigError(`docker host ${value}: the socket path must be absolute`);
    return { kind: "unix", socketPath };
  }
  if (value.startsWith("tcp://")) {
    const url = new URL(value.replace(/^tcp:/, "http:"));
    const tlsVerify = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== "" && env.DOCKER_TLS_VERIFY !== "0";
    const port = url.port === "" ? (tlsVerify ? 2376 : 2375) : Number(url.port);
    const certPath = env.DOCKER_CERT_PATH;
    if (tlsVerify && !certPath) throw new ConfigError("DOCKER_TLS_VERIFY is set but DOCKER_CERT_PATH is not");
    return { kind: "tcp", host: url.hostname, port, tls: tlsVerify && certPath ? { certPath } : null };
  }
  throw new ConfigError(`docker host ${JSON.stringify(value)}: expected unix:///path or tcp://host:port`);
}

function parseAddress(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(":");
  const host = colon < 0 ? "" : value.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  const port = Number(value.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--metrics-address ${JSON.stringify(value)}: expected host:port`);
  return { host: host === "" ? "0.0.0.0" : host, port };
}

