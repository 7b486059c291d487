import { describe, expect, test } from "bun:test";
import { DEFAULT_CERT_DIR, helpText, OPTIONS, parseConfig, servingDnsNames, type WebhookConfig } from "./config.ts";

function ok(argv: string[], env: Record<string, string> = {}): WebhookConfig {
  const result = parseConfig(argv, env);
  if (result.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.config;
}
function problems(argv: string[], env: Record<string, string> = {}): string[] {
  const result = parseConfig(argv, env);
  if (result.kind !== "invalid") throw new Error(`expected invalid, got ${result.kind}`);
  return result.problems;
}

describe("config", () => {
  test("defaults: loopback 9443, probes on 9441, generated certificates, no registration", () => {
    expect(ok([])).toEqual({
      listen: { host: "127.0.0.1", port: 9443 },
      probes: { host: "127.0.0.1", port: 9441 },
      certs: { kind: "generated", dir: DEFAULT_CERT_DIR, caValidityDays: 3650, leafValidityDays: 90, renewBeforeDays: 30 },
      certCheckIntervalMs: 10_000,
      service: { name: "container-actions-webhook", namespace: "container-actions", port: 443 },
      registration: { enabled: false },
      engineIdentities: [],
      logLevel: "info",
      maxBodyBytes: 4 * 1024 * 1024,
      shutdownGraceMs: 25_000,
    });
  });

  test("environment variables apply; flags win over them", () => {
    const c = ok(["--listen-port", "8443"], { WEBHOOK_LISTEN_PORT: "7443", WEBHOOK_LISTEN_HOST: "0.0.0.0", LOG_LEVEL: "debug" });
    expect(c.listen).toEqual({ host: "0.0.0.0", port: 8443 });
    expect(c.logLevel).toBe("debug");
  });

  test("registration in url mode with a kubeconfig and a namespace selector", () => {
    const c = ok(["--register", "--kubeconfig", "/k", "--namespace-selector", "a=b, c=d", "--configuration-name", "x"]);
    expect(c.registration).toEqual({
      enabled: true,
      kubeconfig: "/k",
      clientConfig: "url",
      configurationName: "x",
      namespaceSelector: { a: "b", c: "d" },
      caPropagationMs: 2000,
    });
  });

  test("registration from the environment, service mode, in-cluster (no kubeconfig)", () => {
    const c = ok([], { WEBHOOK_REGISTER: "true", WEBHOOK_CLIENT_CONFIG: "service" });
    expect(c.registration).toMatchObject({ enabled: true, clientConfig: "service" });
    expect(c.registration.enabled && c.registration.kubeconfig).toBeUndefined();
  });

  test("engine identities: repeated flag or comma-separated variable", () => {
    expect(ok(["--engine-identity", "a", "--engine-identity", "b"]).engineIdentities).toEqual(["a", "b"]);
    expect(ok([], { WEBHOOK_ENGINE_IDENTITIES: "a, b," }).engineIdentities).toEqual(["a", "b"]);
  });

  test("external certificate files switch off generation", () => {
    expect(ok(["--tls-cert-file", "/c", "--tls-key-file", "/k", "--ca-file", "/ca"]).certs).toEqual({
      kind: "external",
      certFile: "/c",
      keyFile: "/k",
      caFile: "/ca",
    });
  });

  test("problems are listed, not thrown", () => {
    expect(problems(["--listen-port", "99999"])[0]).toContain("--listen-port");
    expect(problems(["--tls-cert-file", "/c"])[0]).toContain("go together");
    expect(problems(["--register", "--tls-cert-file", "/c", "--tls-key-file", "/k"])[0]).toContain("--ca-file");
    expect(problems(["--register", "--client-config", "dns"])[0]).toContain("url, service");
    expect(problems(["--log-level", "loud"])[0]).toContain("--log-level");
    expect(problems(["--cert-validity-days", "10", "--cert-renew-before-days", "10"])[0]).toContain("less than");
    expect(problems(["--no-such-flag"])[0]).toContain("no-such-flag");
    expect(problems([], { WEBHOOK_REGISTER: "perhaps" })[0]).toContain("true or false");
    expect(problems(["--register", "--namespace-selector", "novalue"])[0]).toContain("key=value");
  });

  test("--help lists every flag with its variable", () => {
    expect(parseConfig(["--help"], {})).toEqual({ kind: "help", text: helpText() });
    expect(helpText().split("\n")[0]).toBe("Usage: container-actions-webhook [flags]");
    for (const [flag, option] of Object.entries(OPTIONS)) {
      expect(helpText()).toContain(`--${flag}`);
      expect(helpText()).toContain(option.env);
    }
  });

  test("waits are durations in the one syntax; the old -seconds flags are gone", () => {
    const c = ok(["--cert-check-interval", "1m30s", "--shutdown-grace=5s", "--register"], { WEBHOOK_CA_PROPAGATION: "500ms" });
    expect([c.certCheckIntervalMs, c.shutdownGraceMs, c.registration.enabled && c.registration.caPropagationMs]).toEqual([90_000, 5_000, 500]);
    expect(problems(["--cert-check-interval", "10"])[0]).toContain("expected a duration");
    expect(problems(["--cert-check-interval", "500ms"])[0]).toContain("from 1s to 24h");
    expect(problems(["--shutdown-grace-seconds", "5"])[0]).toContain("shutdown-grace-seconds");
  });

  test("serving DNS names: localhost and the Service's in-cluster forms", () => {
    expect(servingDnsNames({ name: "wh", namespace: "ns" })).toEqual(["localhost", "wh", "wh.ns", "wh.ns.svc", "wh.ns.svc.cluster.local"]);
  });
});
