/**
 * The webhook's configuration from command-line flags and environment variables (a flag wins over
 * its variable, which wins over the default). Problems come back as a list, not an exception.
 * `OPTIONS` is the one table of flags, variables, defaults and help texts (the README copies it).
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { LOG_LEVELS, type LogLevel } from "./observability/index.ts";
import { MAX_BODY_BYTES_DEFAULT } from "./admission-routes.ts";
import { CONFIGURATION_NAME_DEFAULT } from "./registration/index.ts";

interface OptionSpec {
  flag: string;
  env: string;
  /** The default as text; undefined: none. */
  default?: string;
  help: string;
  /** Boolean flags take no value (`--register`); their variable takes true/false. */
  boolean?: true;
  /** May be given several times; the variable holds a comma-separated list. */
  multiple?: true;
}

export const DEFAULT_CERT_DIR = join(tmpdir(), "container-actions-webhook", "serving-certs");

export const OPTIONS = [
  { flag: "listen-host", env: "WEBHOOK_LISTEN_HOST", default: "127.0.0.1", help: "HTTPS admission listener address" },
  { flag: "listen-port", env: "WEBHOOK_LISTEN_PORT", default: "9443", help: "HTTPS admission listener port (0: any free port)" },
  { flag: "probe-host", env: "WEBHOOK_PROBE_HOST", default: "127.0.0.1", help: "plain-HTTP /healthz, /readyz, /metrics address" },
  { flag: "probe-port", env: "WEBHOOK_PROBE_PORT", default: "9441", help: "plain-HTTP probe and metrics port (0: any free port)" },
  { flag: "cert-dir", env: "WEBHOOK_CERT_DIR", default: DEFAULT_CERT_DIR, help: "directory of the generated ca.crt/ca.key/tls.crt/tls.key" },
  { flag: "tls-cert-file", env: "WEBHOOK_TLS_CERT_FILE", help: "external serving certificate (cert-manager style); with --tls-key-file, nothing is generated" },
  { flag: "tls-key-file", env: "WEBHOOK_TLS_KEY_FILE", help: "external serving key" },
  { flag: "ca-file", env: "WEBHOOK_CA_FILE", help: "external CA bundle registered as caBundle (required with --register in external mode)" },
  { flag: "cert-validity-days", env: "WEBHOOK_CERT_VALIDITY_DAYS", default: "90", help: "lifetime of a generated serving certificate" },
  { flag: "cert-renew-before-days", env: "WEBHOOK_CERT_RENEW_BEFORE_DAYS", default: "30", help: "renew the serving certificate (and the CA) when it expires within this many days" },
  { flag: "ca-validity-days", env: "WEBHOOK_CA_VALIDITY_DAYS", default: "3650", help: "lifetime of a generated CA" },
  { flag: "cert-check-interval-seconds", env: "WEBHOOK_CERT_CHECK_INTERVAL_SECONDS", default: "10", help: "how often certificates are re-checked (renewal, changed files)" },
  { flag: "service-name", env: "WEBHOOK_SERVICE_NAME", default: "container-actions-webhook", help: "Service name: serving-certificate SANs and service-mode registration" },
  { flag: "service-namespace", env: "WEBHOOK_SERVICE_NAMESPACE", default: "container-actions", help: "Service namespace" },
  { flag: "service-port", env: "WEBHOOK_SERVICE_PORT", default: "443", help: "Service port (service mode)" },
  { flag: "register", env: "WEBHOOK_REGISTER", default: "false", boolean: true, help: "create/update the ValidatingWebhookConfiguration at start and after a CA change" },
  { flag: "kubeconfig", env: "KUBECONFIG", help: "kubeconfig file for registration; unset: the in-cluster service account" },
  { flag: "client-config", env: "WEBHOOK_CLIENT_CONFIG", default: "url", help: "how the apiserver reaches the webhook: url (local) or service (in-cluster)" },
  { flag: "webhook-url", env: "WEBHOOK_URL", help: "url mode: the URL to register; default https://<listen host>:<bound port>/<path>" },
  { flag: "configuration-name", env: "WEBHOOK_CONFIGURATION_NAME", default: CONFIGURATION_NAME_DEFAULT, help: "name of the ValidatingWebhookConfiguration" },
  { flag: "namespace-selector", env: "WEBHOOK_NAMESPACE_SELECTOR", help: "key=value[,key=value]: only namespaces with these labels (tests); unset: all namespaces" },
  { flag: "ca-propagation-seconds", env: "WEBHOOK_CA_PROPAGATION_SECONDS", default: "2", help: "wait between publishing a new caBundle and serving a certificate from the new CA" },
  { flag: "engine-identity", env: "WEBHOOK_ENGINE_IDENTITIES", multiple: true, help: "user allowed to CREATE Containers (repeatable); none: anyone authorized" },
  { flag: "log-level", env: "WEBHOOK_LOG_LEVEL", default: "info", help: `one of ${LOG_LEVELS.join(", ")}` },
  { flag: "max-body-bytes", env: "WEBHOOK_MAX_BODY_BYTES", default: String(MAX_BODY_BYTES_DEFAULT), help: "larger AdmissionReview bodies get 400" },
  { flag: "shutdown-grace-seconds", env: "WEBHOOK_SHUTDOWN_GRACE_SECONDS", default: "25", help: "on SIGTERM, how long in-flight requests may take" },
] as const satisfies readonly OptionSpec[];

export type CertConfig =
  | { kind: "generated"; dir: string; caValidityDays: number; leafValidityDays: number; renewBeforeDays: number }
  | { kind: "external"; certFile: string; keyFile: string; caFile?: string };

export type RegistrationConfig =
  | { enabled: false }
  | {
      enabled: true;
      /** undefined: in-cluster service account. */
      kubeconfig?: string;
      clientConfig: "url" | "service";
      /** url mode: explicit URL; undefined: derived from the listener. */
      webhookUrl?: string;
      configurationName: string;
      namespaceSelector: Record<string, string>;
      caPropagationMs: number;
    };

export interface WebhookConfig {
  listen: { host: string; port: number };
  probes: { host: string; port: number };
  certs: CertConfig;
  certCheckIntervalMs: number;
  service: { name: string; namespace: string; port: number };
  registration: RegistrationConfig;
  engineIdentities: string[];
  logLevel: LogLevel;
  maxBodyBytes: number;
  shutdownGraceMs: number;
}

export type ConfigResult = { kind: "ok"; config: WebhookConfig } | { kind: "invalid"; problems: string[] } | { kind: "help"; text: string };

type Raw = Partial<Record<(typeof OPTIONS)[number]["flag"], string | string[]>>;

export function parseConfig(argv: readonly string[], env: Record<string, string | undefined>): ConfigResult {
  if (argv.includes("--help") || argv.includes("-h")) return { kind: "help", text: helpText() };
  let flags: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    const parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: Object.fromEntries(
        OPTIONS.map((o: OptionSpec) => [o.flag, { type: o.boolean ? ("boolean" as const) : ("string" as const), multiple: o.multiple ?? false }]),
      ),
    });
    flags = parsed.values;
  } catch (error) {
    return { kind: "invalid", problems: [error instanceof Error ? error.message : String(error)] };
  }
  const raw: Raw = {};
  for (const option of OPTIONS as readonly OptionSpec[]) {
    const fromFlag = flags[option.flag];
    const fromEnv = env[option.env];
    const value =
      fromFlag !== undefined
        ? Array.isArray(fromFlag)
          ? fromFlag.map(String)
          : String(fromFlag)
        : fromEnv !== undefined && fromEnv !== ""
          ? option.multiple
            ? fromEnv.split(",").map((s) => s.trim()).filter((s) => s !== "")
            : fromEnv
          : option.default;
    if (value !== undefined) raw[option.flag as keyof Raw] = value;
  }
  return build(raw);
}

function build(raw: Raw): ConfigResult {
  const problems: string[] = [];
  const text = (flag: keyof Raw): string | undefined => {
    const v = raw[flag];
    return Array.isArray(v) ? v[v.length - 1] : v;
  };
  const integer = (flag: keyof Raw, min: number, max: number): number => {
    const v = text(flag) ?? "";
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) problems.push(`--${flag}: expected an integer in [${min}, ${max}], got "${v}"`);
    return n;
  };
  const bool = (flag: keyof Raw): boolean => {
    const v = (text(flag) ?? "").toLowerCase();
    if (!["true", "false", "1", "0", "yes", "no"].includes(v)) problems.push(`--${flag}: expected true or false, got "${v}"`);
    return ["true", "1", "yes"].includes(v);
  };

  const listen = { host: text("listen-host") ?? "", port: integer("listen-port", 0, 65535) };
  const probes = { host: text("probe-host") ?? "", port: integer("probe-port", 0, 65535) };
  const certFile = text("tls-cert-file");
  const keyFile = text("tls-key-file");
  const caFile = text("ca-file");
  if ((certFile === undefined) !== (keyFile === undefined)) problems.push("--tls-cert-file and --tls-key-file go together");
  const leafValidityDays = integer("cert-validity-days", 1, 3650);
  const renewBeforeDays = integer("cert-renew-before-days", 0, 3650);
  if (renewBeforeDays >= leafValidityDays) problems.push("--cert-renew-before-days must be less than --cert-validity-days");
  const certs: CertConfig =
    certFile !== undefined && keyFile !== undefined
      ? { kind: "external", certFile, keyFile, ...(caFile !== undefined ? { caFile } : {}) }
      : { kind: "generated", dir: text("cert-dir") ?? DEFAULT_CERT_DIR, caValidityDays: integer("ca-validity-days", 2, 36500), leafValidityDays, renewBeforeDays };
  const service = { name: text("service-name") ?? "", namespace: text("service-namespace") ?? "", port: integer("service-port", 1, 65535) };

  let registration: RegistrationConfig = { enabled: false };
  if (bool("register")) {
    const clientConfig = text("client-config");
    if (clientConfig !== "url" && clientConfig !== "service") problems.push(`--client-config: expected url or service, got "${clientConfig}"`);
    if (certs.kind === "external" && certs.caFile === undefined) problems.push("--register with external certificates needs --ca-file for the caBundle");
    const selector = parseSelector(text("namespace-selector"), problems);
    const kubeconfig = text("kubeconfig");
    const webhookUrl = text("webhook-url");
    registration = {
      enabled: true,
      ...(kubeconfig !== undefined ? { kubeconfig } : {}),
      clientConfig: clientConfig === "service" ? "service" : "url",
      ...(webhookUrl !== undefined ? { webhookUrl } : {}),
      configurationName: text("configuration-name") ?? "",
      namespaceSelector: selector,
      caPropagationMs: integer("ca-propagation-seconds", 0, 300) * 1000,
    };
  }
  const logLevel = text("log-level") as LogLevel;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) problems.push(`--log-level: expected one of ${LOG_LEVELS.join(", ")}, got "${logLevel}"`);
  const identities = raw["engine-identity"];
  const engineIdentities = (Array.isArray(identities) ? identities : identities === undefined ? [] : [identities]).filter((s) => s !== "");
  const config: WebhookConfig = {
    listen,
    probes,
    certs,
    certCheckIntervalMs: integer("cert-check-interval-seconds", 1, 86400) * 1000,
    service,
    registration,
    engineIdentities,
    logLevel,
    maxBodyBytes: integer("max-body-bytes", 1024, 64 * 1024 * 1024),
    shutdownGraceMs: integer("shutdown-grace-seconds", 0, 3600) * 1000,
  };
  return problems.length > 0 ? { kind: "invalid", problems } : { kind: "ok", config };
}

function parseSelector(value: string | undefined, problems: string[]): Record<string, string> {
  const selector: Record<string, string> = {};
  for (const pair of (value ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const [key, val, extra] = pair.split("=");
    if (key === undefined || key === "" || val === undefined || extra !== undefined) problems.push(`--namespace-selector: expected key=value, got "${pair}"`);
    else selector[key] = val;
  }
  return selector;
}

/** DNS names the serving certificate carries: localhost and the Service's in-cluster names. */
export function servingDnsNames(service: { name: string; namespace: string }): string[] {
  const base = `${service.name}.${service.namespace}`;
  return ["localhost", service.name, base, `${base}.svc`, `${base}.svc.cluster.local`];
}

export const SERVING_IP_ADDRESSES = ["127.0.0.1", "::1"] as const;

export function helpText(): string {
  const rows = (OPTIONS as readonly OptionSpec[]).map(
    (o) => `  --${o.flag}${o.boolean ? "" : " VALUE"}\n      ${o.help}\n      env ${o.env}${o.default !== undefined ? `, default ${o.default}` : ""}${o.multiple ? " (comma-separated)" : ""}`,
  );
  return `usage: bun apps/webhook/src/main.ts [flags]\n\n${rows.join("\n")}\n`;
}
