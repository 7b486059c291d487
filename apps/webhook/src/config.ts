/**
 * The webhook's configuration from command-line flags and environment variables (a flag wins over
 * its variable, which wins over the default), read by the shared cli-options parser. Problems come back
 * as a list, not an exception. `OPTIONS` is the one table of flags, variables, defaults and help texts
 * (the README copies it).
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { helpText as commandHelp, parseOptions, type Command, type FlagTable } from "@container-actions/cli-options";
import { LOG_LEVELS, type LogLevel } from "./observability/index.ts";
import { MAX_BODY_BYTES_DEFAULT } from "./admission-routes.ts";
import { CONFIGURATION_NAME_DEFAULT } from "./registration/index.ts";

export const DEFAULT_CERT_DIR = join(tmpdir(), "container-actions-webhook", "serving-certs");

export const OPTIONS = {
  "listen-host": { kind: "string", env: "WEBHOOK_LISTEN_HOST", default: "127.0.0.1", help: "HTTPS admission listener address" },
  "listen-port": { kind: "integer", env: "WEBHOOK_LISTEN_PORT", default: "9443", min: 0, max: 65535, help: "HTTPS admission listener port (0: any free port)" },
  "probe-host": { kind: "string", env: "WEBHOOK_PROBE_HOST", default: "127.0.0.1", help: "plain-HTTP /healthz, /readyz, /metrics address" },
  "probe-port": { kind: "integer", env: "WEBHOOK_PROBE_PORT", default: "9441", min: 0, max: 65535, help: "plain-HTTP probe and metrics port (0: any free port)" },
  "cert-dir": { kind: "string", env: "WEBHOOK_CERT_DIR", default: DEFAULT_CERT_DIR, help: "directory of the generated ca.crt/ca.key/tls.crt/tls.key" },
  "tls-cert-file": { kind: "string", env: "WEBHOOK_TLS_CERT_FILE", help: "external serving certificate (cert-manager style); with --tls-key-file, nothing is generated" },
  "tls-key-file": { kind: "string", env: "WEBHOOK_TLS_KEY_FILE", help: "external serving key" },
  "ca-file": { kind: "string", env: "WEBHOOK_CA_FILE", help: "external CA bundle registered as caBundle (required with --register in external mode)" },
  "cert-validity-days": { kind: "integer", env: "WEBHOOK_CERT_VALIDITY_DAYS", default: "90", min: 1, max: 3650, help: "lifetime of a generated serving certificate" },
  "cert-renew-before-days": { kind: "integer", env: "WEBHOOK_CERT_RENEW_BEFORE_DAYS", default: "30", min: 0, max: 3650, help: "renew the serving certificate (and the CA) when it expires within this many days" },
  "ca-validity-days": { kind: "integer", env: "WEBHOOK_CA_VALIDITY_DAYS", default: "3650", min: 2, max: 36500, help: "lifetime of a generated CA" },
  "cert-check-interval": { kind: "duration", env: "WEBHOOK_CERT_CHECK_INTERVAL", default: "10s", min: 1_000, max: 86_400_000, help: "how often certificates are re-checked (renewal, changed files)" },
  "service-name": { kind: "string", env: "WEBHOOK_SERVICE_NAME", default: "container-actions-webhook", help: "Service name: serving-certificate SANs and service-mode registration" },
  "service-namespace": { kind: "string", env: "WEBHOOK_SERVICE_NAMESPACE", default: "container-actions", help: "Service namespace" },
  "service-port": { kind: "integer", env: "WEBHOOK_SERVICE_PORT", default: "443", min: 1, max: 65535, help: "Service port (service mode)" },
  register: { kind: "boolean", env: "WEBHOOK_REGISTER", defaultText: "false", help: "create/update the ValidatingWebhookConfiguration at start and after a CA change" },
  kubeconfig: { kind: "string", env: "KUBECONFIG", valueName: "PATH", help: "kubeconfig file for registration; unset: the in-cluster service account" },
  "client-config": { kind: "string", env: "WEBHOOK_CLIENT_CONFIG", default: "url", choices: ["url", "service"], help: "how the apiserver reaches the webhook: url (local) or service (in-cluster)" },
  "webhook-url": { kind: "string", env: "WEBHOOK_URL", help: "url mode: the URL to register; default https://<listen host>:<bound port>/<path>" },
  "configuration-name": { kind: "string", env: "WEBHOOK_CONFIGURATION_NAME", default: CONFIGURATION_NAME_DEFAULT, help: "name of the ValidatingWebhookConfiguration" },
  "namespace-selector": { kind: "string", env: "WEBHOOK_NAMESPACE_SELECTOR", help: "key=value[,key=value]: only namespaces with these labels (tests); unset: all namespaces" },
  "ca-propagation": { kind: "duration", env: "WEBHOOK_CA_PROPAGATION", default: "2s", min: 0, max: 300_000, help: "wait between publishing a new caBundle and serving a certificate from the new CA" },
  "engine-identity": { kind: "list", env: "WEBHOOK_ENGINE_IDENTITIES", help: "user allowed to CREATE Containers; none: anyone authorized" },
  "log-level": { kind: "string", env: "LOG_LEVEL", default: "info", choices: LOG_LEVELS, help: "log level" },
  "max-body-bytes": { kind: "integer", env: "WEBHOOK_MAX_BODY_BYTES", default: String(MAX_BODY_BYTES_DEFAULT), min: 1024, max: 64 * 1024 * 1024, help: "larger AdmissionReview bodies get 400" },
  "shutdown-grace": { kind: "duration", env: "WEBHOOK_SHUTDOWN_GRACE", default: "25s", min: 0, max: 3_600_000, help: "on SIGTERM, how long in-flight requests may take" },
} as const satisfies FlagTable;

const COMMAND = {
  binary: "container-actions-webhook",
  summary: "The validating admission webhook for Container actions, over HTTPS, with its own certificates.",
  flags: OPTIONS,
} as const satisfies Command<FlagTable>;

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

export function parseConfig(argv: readonly string[], env: Record<string, string | undefined>): ConfigResult {
  const parsed = parseOptions(COMMAND, argv, env);
  if (parsed.kind !== "ok") return parsed;
  const v = parsed.values;
  const problems: string[] = [];
  const certFile = v["tls-cert-file"];
  const keyFile = v["tls-key-file"];
  const caFile = v["ca-file"];
  if ((certFile === undefined) !== (keyFile === undefined)) problems.push("--tls-cert-file and --tls-key-file go together");
  const leafValidityDays = v["cert-validity-days"];
  const renewBeforeDays = v["cert-renew-before-days"];
  if (renewBeforeDays >= leafValidityDays) problems.push("--cert-renew-before-days must be less than --cert-validity-days");
  const certs: CertConfig =
    certFile !== undefined && keyFile !== undefined
      ? { kind: "external", certFile, keyFile, ...(caFile !== undefined ? { caFile } : {}) }
      : { kind: "generated", dir: v["cert-dir"], caValidityDays: v["ca-validity-days"], leafValidityDays, renewBeforeDays };
  const service = { name: v["service-name"], namespace: v["service-namespace"], port: v["service-port"] };

  let registration: RegistrationConfig = { enabled: false };
  if (v.register) {
    if (certs.kind === "external" && certs.caFile === undefined) problems.push("--register with external certificates needs --ca-file for the caBundle");
    const selector = parseSelector(v["namespace-selector"], problems);
    const kubeconfig = v.kubeconfig;
    const webhookUrl = v["webhook-url"];
    registration = {
      enabled: true,
      ...(kubeconfig !== undefined ? { kubeconfig } : {}),
      clientConfig: v["client-config"] === "service" ? "service" : "url",
      ...(webhookUrl !== undefined ? { webhookUrl } : {}),
      configurationName: v["configuration-name"],
      namespaceSelector: selector,
      caPropagationMs: v["ca-propagation"],
    };
  }
  const config: WebhookConfig = {
    listen: { host: v["listen-host"], port: v["listen-port"] },
    probes: { host: v["probe-host"], port: v["probe-port"] },
    certs,
    certCheckIntervalMs: v["cert-check-interval"],
    service,
    registration,
    engineIdentities: v["engine-identity"],
    logLevel: v["log-level"] as LogLevel,
    maxBodyBytes: v["max-body-bytes"],
    shutdownGraceMs: v["shutdown-grace"],
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
  return commandHelp(COMMAND);
}
