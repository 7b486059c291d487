/**
 * The webhook process: wiring only. Reads the configuration, loads (or issues) the certificates,
 * serves admission over HTTPS and probes over HTTP, registers the webhook when asked, keeps the
 * certificates fresh, and on SIGTERM/SIGINT stops accepting, finishes in-flight requests and exits 0.
 */
import { parseConfig, servingDnsNames, SERVING_IP_ADDRESSES, type WebhookConfig } from "./config.ts";
import { createLogger, createReadiness, createWebhookMetrics, type Logger } from "./observability/index.ts";
import {
  applyWithRetry,
  kubeWebhookRegistrar,
  loadKubeConfig,
  localWebhookUrl,
  type WebhookEndpoint,
  type WebhookRegistrar,
} from "./registration/index.ts";
import {
  certNotAfterMs,
  externalCertSource,
  generatedCertSource,
  startCertRotation,
  startServingListener,
  type CertSource,
  type CheckResult,
  type ServingListener,
  type ServingMaterial,
} from "./tls/index.ts";
import { admissionApp, probeApp } from "./webhook-app.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Bun refuses bodies beyond this on its own (413); below it the handler answers 400 past `maxBodyBytes`. */
const BUN_BODY_CAP_FACTOR = 2;
const REGISTRATION_RETRY = { attemptsMax: 20, backoffMsMin: 200, backoffMsMax: 5000 };

const parsed = parseConfig(Bun.argv.slice(2), process.env);
if (parsed.kind === "help") {
  process.stdout.write(parsed.text);
  process.exit(0);
}
if (parsed.kind === "invalid") {
  process.stderr.write(`container-actions webhook: invalid configuration:\n  ${parsed.problems.join("\n  ")}\n`);
  process.exit(2);
}
const config = parsed.config;
const logger = createLogger(config.logLevel);
const metrics = createWebhookMetrics();
const readiness = createReadiness();
readiness.set("tls", false, "loading certificates");
if (config.registration.enabled) readiness.set("registration", false, "not registered yet");

const probes = serveProbes();
logger.info({ address: `http://${config.probes.host}:${probes.port}` }, "probes and metrics listening");

const source = certSource(config);
const first = await source.load();
if (first.kind === "unavailable") fatal(logger, `no serving certificate (${source.description}): ${first.detail}`);
logIssued(logger, first.issued, first.why);

const app = admissionApp({ admission: { engineIdentities: config.engineIdentities }, metrics, logger, maxBodyBytes: config.maxBodyBytes });
const listener = listen(first.material);
readiness.set("tls", true, source.description);
metrics.setCertificateNotAfter((certNotAfterMs(first.material.certPem) ?? 0) / 1000);
logger.info({ address: `https://${config.listen.host}:${listener.port}`, certificates: source.description }, "admission listening");

const registrar = config.registration.enabled ? registrarFor(config, listener.port) : undefined;
if (registrar !== undefined) {
  const result = await applyWithRetry(registrar, first.material.caPem, REGISTRATION_RETRY, Bun.sleep, (attempt, failure) =>
    logger.warn({ attempt, failure }, "registration failed; retrying"),
  );
  metrics.countRegistration(result.kind);
  if (result.kind === "failed") fatal(logger, `could not register ${registrar.configurationName}: ${result.detail}`);
  readiness.set("registration", true, `${registrar.configurationName} applied`);
  logger.info({ configuration: registrar.configurationName, resourceVersion: result.resourceVersion }, "webhook registered");
}

const rotation = startCertRotation(
  source,
  first.material,
  {
    async publishCaBundle(bundlePem) {
      if (registrar === undefined) return true;
      const result = await registrar.apply(bundlePem);
      metrics.countRegistration(result.kind);
      if (result.kind === "failed") logger.warn({ failure: result }, "could not publish the new caBundle; keeping the old certificate");
      return result.kind === "applied";
    },
    serve: (material) => listener.replaceCertificate(material),
    caPropagationMs: config.registration.enabled ? config.registration.caPropagationMs : 0,
    sleepMs: Bun.sleep,
  },
  config.certCheckIntervalMs,
  (result) => onRotation(result),
);
logger.info({ pid: process.pid }, "webhook ready");

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void shutdown(signal));

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  readiness.set("shutdown", false, `stopping on ${signal}`);
  logger.info({ signal, inFlight: listener.pendingRequests() }, "stopping: no new connections, finishing in-flight requests");
  rotation.stop();
  await listener.stop(config.shutdownGraceMs);
  await probes.stop(true);
  logger.info("stopped");
  process.exit(0);
}

function onRotation(result: CheckResult): void {
  switch (result.kind) {
    case "replaced": {
      const reason = result.caChanged ? "rotated-ca" : result.load.issued === "leaf" ? "renewed" : "files-changed";
      metrics.countCertificateReload(reason);
      metrics.setCertificateNotAfter((certNotAfterMs(result.load.material.certPem) ?? 0) / 1000);
      logIssued(logger, result.load.issued, result.load.why);
      logger.info({ reason }, "serving certificate replaced");
      return;
    }
    case "unavailable":
      logger.warn({ detail: result.detail }, "certificate check failed; still serving the current certificate");
      return;
    case "not-published":
    case "unchanged":
    case "busy":
      return;
    default:
      throw new Error(`unhandled check result ${JSON.stringify(result satisfies never)}`);
  }
}

function serveProbes() {
  try {
    return Bun.serve({ hostname: config.probes.host, port: config.probes.port, fetch: probeApp({ readiness, metrics }).fetch });
  } catch (error) {
    return fatal(logger, `cannot listen on ${config.probes.host}:${config.probes.port}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function listen(material: ServingMaterial): ServingListener {
  try {
    return startServingListener({
      hostname: config.listen.host,
      port: config.listen.port,
      material,
      fetch: app.fetch,
      maxRequestBodySizeBytes: config.maxBodyBytes * BUN_BODY_CAP_FACTOR,
    });
  } catch (error) {
    return fatal(logger, `cannot listen on ${config.listen.host}:${config.listen.port}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function certSource(c: WebhookConfig): CertSource {
  if (c.certs.kind === "external") {
    return externalCertSource({ certFile: c.certs.certFile, keyFile: c.certs.keyFile, ...(c.certs.caFile ? { caFile: c.certs.caFile } : {}) });
  }
  return generatedCertSource({
    dir: c.certs.dir,
    caValidityDays: c.certs.caValidityDays,
    leafValidityDays: c.certs.leafValidityDays,
    commonName: c.service.name,
    nowMs: Date.now,
    policy: {
      leafRenewBeforeMs: c.certs.renewBeforeDays * DAY_MS,
      caRenewBeforeMs: c.certs.renewBeforeDays * DAY_MS,
      dnsNames: servingDnsNames(c.service),
      ipAddresses: SERVING_IP_ADDRESSES,
    },
  });
}

function registrarFor(c: WebhookConfig, boundPort: number): WebhookRegistrar {
  if (!c.registration.enabled) throw new Error("registration is disabled");
  const r = c.registration;
  const endpoint: WebhookEndpoint =
    r.clientConfig === "service"
      ? { kind: "service", namespace: c.service.namespace, name: c.service.name, port: c.service.port }
      : { kind: "url", url: r.webhookUrl ?? localWebhookUrl(advertisedHost(c.listen.host), boundPort) };
  try {
    return kubeWebhookRegistrar(loadKubeConfig(r.kubeconfig), { configurationName: r.configurationName, endpoint, namespaceSelector: r.namespaceSelector });
  } catch (error) {
    return fatal(logger, `cannot load ${r.kubeconfig ?? "the in-cluster configuration"}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A wildcard listen address is not something the apiserver can call: use loopback. */
function advertisedHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "::1";
  return host;
}

function logIssued(log: Logger, issued: "none" | "leaf" | "ca-and-leaf", why: string | undefined): void {
  if (issued !== "none") log.info({ issued, why }, issued === "leaf" ? "issued a serving certificate" : "created a CA and a serving certificate");
}

function fatal(log: Logger, message: string): never {
  log.fatal(message);
  process.exit(1);
}
