import { describe, expect, test } from "bun:test";
import { helpText, parseConfig, parseDockerHost, type ConfigInputs, type ControllerConfig } from "./config.ts";

const inputs = (argv: string[], env: Record<string, string> = {}): ConfigInputs => ({ argv, env, homeDir: "/home/u", hostname: "host", randomSuffix: "r1" });

function config(argv: string[], env: Record<string, string> = {}): ControllerConfig {
  const result = parseConfig(inputs(argv, env));
  if (result.kind !== "config") throw new Error(`expected a config, got ${JSON.stringify(result)}`);
  return result.config;
}

describe("config: defaults", () => {
  test("no flags, no env: every documented default", () => {
    expect(config([])).toEqual({
      kubeconfig: { kind: "home", path: "/home/u/.kube/config" },
      docker: { kind: "unix", socketPath: "/var/run/docker.sock" },
      namespace: "default",
      concurrency: 4,
      resyncPeriodMs: 300_000,
      metricsAddress: { host: "127.0.0.1", port: 9440 },
      leaderElection: {
        enabled: false,
        leaseName: "container-actions-controller",
        leaseNamespace: "default",
        leaseDurationMs: 15_000,
        renewDeadlineMs: 10_000,
        retryPeriodMs: 2_000,
        identity: "host_r1",
      },
      logLevel: "info",
      shutdownTimeoutMs: 30_000,
    });
  });

  test("help: lists every flag with its env variable and default", () => {
    const result = parseConfig(inputs(["--help"]));
    expect(result.kind).toBe("help");
    expect(result.kind === "help" ? result.text.split("\n")[0] : "").toBe("Usage: container-actions-controller [flags]");
    for (const needle of ["--kubeconfig", "KUBECONFIG", "--docker-host", "DOCKER_HOST", "--namespace", "--concurrency", "--resync-period", "5m", "--metrics-address", "127.0.0.1:9440", "--leader-elect", "--lease-duration", "15s", "10s", "2s", "--log-level"]) {
      expect(helpText()).toContain(needle);
    }
  });
});

describe("config: sources", () => {
  test("kubeconfig: the flag wins over KUBECONFIG, which wins over in-cluster, which wins over ~/.kube/config", () => {
    expect(config(["--kubeconfig", "/k"], { KUBECONFIG: "/e", KUBERNETES_SERVICE_HOST: "10.0.0.1" }).kubeconfig).toEqual({ kind: "file", path: "/k" });
    expect(config([], { KUBECONFIG: "/e:/f", KUBERNETES_SERVICE_HOST: "10.0.0.1" }).kubeconfig).toEqual({ kind: "env", value: "/e:/f" });
    expect(config([], { KUBERNETES_SERVICE_HOST: "10.0.0.1" }).kubeconfig).toEqual({ kind: "in-cluster" });
  });

  test("flags win over env; --flag=value and --flag value both work", () => {
    const c = config(["--namespace=ns1", "--concurrency", "8", "--leader-elect"], { CONTROLLER_NAMESPACE: "ns2", CONTROLLER_CONCURRENCY: "2", LOG_LEVEL: "debug" });
    expect([c.namespace, c.concurrency, c.leaderElection.enabled, c.logLevel, c.leaderElection.leaseNamespace]).toEqual(["ns1", 8, true, "debug", "ns1"]);
  });

  test("env alone configures everything", () => {
    const c = config([], {
      DOCKER_HOST: "tcp://10.1.2.3:2375",
      CONTROLLER_RESYNC_PERIOD: "90s",
      CONTROLLER_METRICS_ADDRESS: "0.0.0.0:8080",
      CONTROLLER_LEADER_ELECT: "true",
      CONTROLLER_LEASE_NAME: "l",
      CONTROLLER_LEASE_NAMESPACE: "kube-system",
    });
    expect(c.docker).toEqual({ kind: "tcp", host: "10.1.2.3", port: 2375, tls: null });
    expect(c.resyncPeriodMs).toBe(90_000);
    expect(c.metricsAddress).toEqual({ host: "0.0.0.0", port: 8080 });
    expect(c.leaderElection).toMatchObject({ enabled: true, leaseName: "l", leaseNamespace: "kube-system" });
  });
});

describe("config: parsing", () => {
  test("docker host: unix and tcp, with TLS from DOCKER_TLS_VERIFY + DOCKER_CERT_PATH", () => {
    expect(parseDockerHost("unix:///tmp/x/docker.sock", {})).toEqual({ kind: "unix", socketPath: "/tmp/x/docker.sock" });
    expect(parseDockerHost("tcp://h", { DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: "/c" })).toEqual({ kind: "tcp", host: "h", port: 2376, tls: { certPath: "/c" } });
  });

  test("durations use the one Go-style syntax", () => {
    expect(config(["--resync-period", "1m30s", "--shutdown-timeout=500ms"])).toMatchObject({ resyncPeriodMs: 90_000, shutdownTimeoutMs: 500 });
  });

  test.each([
    [["--bogus"], "--bogus"],
    [["--namespace"], "--namespace"],
    [["--concurrency", "0"], "--concurrency"],
    [["--resync-period", "5"], "expected a duration"],
    [["--docker-host", "npipe:////./pipe/docker_engine"], "expected unix:///path or tcp://host:port"],
    [["--metrics-address", "9440"], "expected host:port"],
    [["--log-level", "loud"], "--log-level"],
    [["--leader-elect", "--renew-deadline", "20s"], "lease-duration > renew-deadline > retry-period"],
    [["extra"], "extra"],
  ])("invalid: %p → %s", (argv, message) => {
    const result = parseConfig(inputs(argv));
    expect(result.kind).toBe("invalid");
    expect(result.kind === "invalid" ? result.error : "").toContain(message);
  });
});
