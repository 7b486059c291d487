/**
 * The controller's configuration: every flag, its environment variable and its default, parsed into one
 * typed value. Pure: the caller passes argv and env, so tests need no process.
 */

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

interface OptionSpec {
  flag: string;
  env: string | null;
  defaultText: string;
  help: string;
  boolean?: boolean;
}

const OPTIONS: readonly OptionSpec[] = [
  { flag: "kubeconfig", env: "KUBECONFIG", defaultText: "in-cluster, else ~/.kube/config", help: "kubeconfig file (KUBECONFIG may list several, separated by ':')" },
  { flag: "docker-host", env: "DOCKER_HOST", defaultText: "unix:///var/run/docker.sock", help: "Docker Engine API endpoint: unix:///path or tcp://host:port (TLS when DOCKER_TLS_VERIFY=1, certificates from DOCKER_CERT_PATH)" },
  { flag: "namespace", env: "CONTROLLER_NAMESPACE", defaultText: "default", help: "namespace of the Container mirrors" },
  { flag: "concurrency", env: "CONTROLLER_CONCURRENCY", defaultText: "4", help: "keys processed at once, per queue (actions, mirrors)" },
  { flag: "resync-period", env: "CONTROLLER_RESYNC_PERIOD", defaultText: "5m", help: "period of the full resync (every Docker container and every mirror)" },
  { flag: "metrics-address", env: "CONTROLLER_METRICS_ADDRESS", defaultText: "127.0.0.1:9440", help: "host:port serving /metrics, /healthz and /readyz" },
  { flag: "leader-elect", env: "CONTROLLER_LEADER_ELECT", defaultText: "false", help: "elect a leader through a coordination.k8s.io/v1 Lease", boolean: true },
  { flag: "lease-name", env: "CONTROLLER_LEASE_NAME", defaultText: "container-actions-controller", help: "name of the Lease" },
  { flag: "lease-namespace", env: "CONTROLLER_LEASE_NAMESPACE", defaultText: "the --namespace value", help: "namespace of the Lease" },
  { flag: "lease-duration", env: "CONTROLLER_LEASE_DURATION", defaultText: "15s", help: "how long a lease is valid without renewal" },
  { flag: "renew-deadline", env: "CONTROLLER_RENEW_DEADLINE", defaultText: "10s", help: "how long the leader retries renewal before it exits" },
  { flag: "retry-period", env: "CONTROLLER_RETRY_PERIOD", defaultText: "2s", help: "interval between acquire/renew attempts" },
  { flag: "leader-identity", env: "CONTROLLER_LEADER_IDENTITY", defaultText: "<hostname>_<random>", help: "holder identity written into the Lease" },
  { flag: "log-level", env: "LOG_LEVEL", defaultText: "info", help: "trace, debug, info, warn, error or fatal" },
  { flag: "shutdown-timeout", env: "CONTROLLER_SHUTDOWN_TIMEOUT", defaultText: "30s", help: "how long SIGTERM/SIGINT waits for keys in flight" },
];

const LOG_LEVELS: readonly LogLevel[] = ["trace", "debug", "info", "warn", "error", "fatal"];

/** The `--help` text: every flag, its environment variable and its default. */
export function helpText(): string {
  const lines = ["Usage: bun apps/controller/src/main.ts [flags]", "", "Flags (a flag wins over its environment variable):"];
  for (const o of OPTIONS) {
    const name = o.boolean ? `--${o.flag}[=true|false]` : `--${o.flag} VALUE`;
    lines.push(`  ${name}`);
    lines.push(`      ${o.help}`);
    lines.push(`      env: ${o.env ?? "-"}   default: ${o.defaultText}`);
  }
  lines.push("  --help", "      print this text and exit", "");
  lines.push("Durations: a number with a unit, e.g. 500ms, 15s, 5m, 1h.");
  return lines.join("\n");
}

export interface ConfigInputs {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  hostname: string;
  /** A random suffix for the default leader identity (controller-runtime: hostname_uuid). */
  randomSuffix: string;
}

/** Parses flags and environment into a config, the help text, or the first problem found. */
export function parseConfig(inputs: ConfigInputs): ConfigResult {
  const flags = new Map<string, string>();
  const argv = [...inputs.argv];
  while (argv.length > 0) {
    const arg = argv.shift() as string;
    if (arg === "--help" || arg === "-h") return { kind: "help", text: helpText() };
    if (!arg.startsWith("--")) return { kind: "invalid", error: `unexpected argument ${JSON.stringify(arg)}` };
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const spec = OPTIONS.find((o) => o.flag === name);
    if (spec === undefined) return { kind: "invalid", error: `unknown flag --${name} (see --help)` };
    if (eq >= 0) flags.set(name, arg.slice(eq + 1));
    else if (spec.boolean) flags.set(name, "true");
    else {
      const value = argv.shift();
      if (value === undefined) return { kind: "invalid", error: `--${name} needs a value` };
      flags.set(name, value);
    }
  }
  const read = (flag: string): string | undefined => {
    const spec = OPTIONS.find((o) => o.flag === flag);
    const fromEnv = spec?.env ? inputs.env[spec.env] : undefined;
    return flags.get(flag) ?? (fromEnv === "" ? undefined : fromEnv);
  };
  try {
    const namespace = read("namespace") ?? "default";
    const config: ControllerConfig = {
      kubeconfig: kubeconfigSource(flags.get("kubeconfig"), inputs),
      docker: parseDockerHost(read("docker-host") ?? "unix:///var/run/docker.sock", inputs.env),
      namespace,
      concurrency: parseCount("concurrency", read("concurrency") ?? "4"),
      resyncPeriodMs: parseDurationMs("resync-period", read("resync-period") ?? "5m"),
      metricsAddress: parseAddress(read("metrics-address") ?? "127.0.0.1:9440"),
      leaderElection: {
        enabled: parseBoolean("leader-elect", read("leader-elect") ?? "false"),
        leaseName: read("lease-name") ?? "container-actions-controller",
        leaseNamespace: read("lease-namespace") ?? namespace,
        leaseDurationMs: parseDurationMs("lease-duration", read("lease-duration") ?? "15s"),
        renewDeadlineMs: parseDurationMs("renew-deadline", read("renew-deadline") ?? "10s"),
        retryPeriodMs: parseDurationMs("retry-period", read("retry-period") ?? "2s"),
        identity: read("leader-identity") ?? `${inputs.hostname}_${inputs.randomSuffix}`,
      },
      logLevel: parseLogLevel(read("log-level") ?? "info"),
      shutdownTimeoutMs: parseDurationMs("shutdown-timeout", read("shutdown-timeout") ?? "30s"),
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

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDurationMs(name: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
  if (match === null) throw new ConfigError(`--${name} ${JSON.stringify(value)}: expected a duration such as 500ms, 15s, 5m`);
  const ms = Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  if (!(ms > 0)) throw new ConfigError(`--${name} must be positive`);
  return Math.round(ms);
}

function parseCount(name: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1000) throw new ConfigError(`--${name} ${JSON.stringify(value)}: expected an integer from 1 to 1000`);
  return Number(value);
}

function parseBoolean(name: string, value: string): boolean {
  if (["true", "1", "yes"].includes(value)) return true;
  if (["false", "0", "no"].includes(value)) return false;
  throw new ConfigError(`--${name} ${JSON.stringify(value)}: expected true or false`);
}

function parseAddress(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(":");
  const host = colon < 0 ? "" : value.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  const port = Number(value.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--metrics-address ${JSON.stringify(value)}: expected host:port`);
  return { host: host === "" ? "0.0.0.0" : host, port };
}

function parseLogLevel(value: string): LogLevel {
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new ConfigError(`--log-level ${JSON.stringify(value)}: expected one of ${LOG_LEVELS.join(", ")}`);
}
