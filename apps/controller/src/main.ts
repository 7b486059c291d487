/**
 * The controller process: wiring only. Builds the adapters from the configuration, hands them to core's
 * ContainerController, connects the informer and Docker's event stream to it, and orders start-up and
 * shutdown. Every decision about requests and mirrors is core's.
 */
import { randomUUID } from "node:crypto";
import { homedir, hostname } from "node:os";
import { ContainerController, DEFAULT_BACKOFF, EngineInventory, realTimers } from "@container-actions/core";
import { parseConfig } from "./config.ts";
import { DockerodeContainerEngine, DockerodeMirrorSource } from "@container-actions/docker-adapters";
import { FetchKubeTransport, KubeActionLedger, KubeEventRecorder, KubeMirrorLedger } from "@container-actions/kube-adapters";
import { createDockerode, describeEndpoint, DockerodeEventSource, EngineEventFollower } from "./docker/index.ts";
import { clientNodeInformerParts, ContainerInformer, describeSource, kubeConnectionSource, loadKubeConfig } from "./kube/index.ts";
import { LeaseElector } from "./leader/index.ts";
import { createShutdown, every, fullSync } from "./lifecycle/index.ts";
import {
  ControllerMetrics,
  createLogger,
  createReportHandler,
  requestInAnnotations,
  serveHealth,
} from "./observability/index.ts";

const COMPONENT = "container-actions-controller";
const KUBE_REQUEST_TIMEOUT_MS = 30_000;

const parsed = parseConfig({ argv: Bun.argv.slice(2), env: process.env, homeDir: homedir(), hostname: hostname(), randomSuffix: randomUUID() });
if (parsed.kind === "help") {
  console.log(parsed.text);
  process.exit(0);
}
if (parsed.kind === "invalid") {
  console.error(`container-actions controller: ${parsed.error}`);
  process.exit(2);
}
const config = parsed.config;
const { namespace } = config;
const log = createLogger(config.logLevel);
process.on("uncaughtException", (error) => {
  log.fatal({ error: String(error), stack: (error as Error).stack }, "Uncaught exception");
  process.exit(1);
});
process.on("unhandledRejection", (error) => {
  log.fatal({ error: String(error) }, "Unhandled rejection");
  process.exit(1);
});

const metrics = new ControllerMetrics();
const timers = realTimers;
const clock = { nowMs: () => Date.now() };

// Kubernetes
const kc = loadKubeConfig(config.kubeconfig);
const kube = new FetchKubeTransport({
  connection: kubeConnectionSource(kc),
  timeoutMs: KUBE_REQUEST_TIMEOUT_MS,
  observe: (request, code) => metrics.observeKubeRequest(request, code),
});
const informerParts = clientNodeInformerParts(kc, namespace);
const informer = new ContainerInformer({
  namespace,
  ...informerParts,
  timers,
  onChange: (container, deleted) => controller.onContainer(container, deleted),
  onSynced: () => controller.onSynced(),
  onRequest: (verb, code) => metrics.observeKubeRequest({ verb, resource: "containers", caller: "informer" }, code),
  log: log.child({ loop: "informer" }),
});
const events = new KubeEventRecorder(kube, {
  component: COMPONENT,
  instance: config.leaderElection.identity,
  uidOf: (ref) => informer.get(ref)?.metadata.uid,
  nowMs: clock.nowMs,
  onFailure: (ref, reason, detail) => log.warn({ key: `${ref.namespace}/${ref.name}`, reason, detail }, "Event not recorded"),
});

// Docker
const docker = createDockerode(config.docker);
const observeDocker = (call: string, caller: string, seconds: number) => metrics.observeDockerCall(call, caller, seconds);
const source = new DockerodeMirrorSource(docker, observeDocker);
// The container IDs of this engine: requests on any other Container never reach Docker.
const inventory = new EngineInventory();

// Core
const controller: ContainerController = new ContainerController({
  namespace,
  cache: informer,
  action: { engine: new DockerodeContainerEngine(docker, observeDocker), owner: inventory, ledger: new KubeActionLedger(kube), events, clock, ids: { newRequestId: () => crypto.randomUUID() } },
  mirror: { source, ledger: new KubeMirrorLedger(kube, informer) },
  inventory,
  timers,
  concurrency: config.concurrency,
  backoff: DEFAULT_BACKOFF,
  report: createReportHandler({
    metrics,
    log,
    requestOf: (key) => {
      const slash = key.indexOf("/");
      return requestInAnnotations(informer.get({ namespace: key.slice(0, slash), name: key.slice(slash + 1) })?.metadata.annotations);
    },
  }),
  onError: (where, key, error) => {
    metrics.observeThrown(where === "mirror" ? "mirrors" : "actions");
    log.error({ where, key, error: String(error), stack: (error as Error)?.stack }, "Reconcile threw (a bug); retrying with backoff");
  },
});
metrics.watchQueue("actions", controller.actions);
metrics.watchQueue("mirrors", controller.mirrors);

const syncAll = async (why: string) => {
  const result = await fullSync(source, controller);
  if (result.kind === "synced") log.info({ why, containers: result.containers }, "Full sync: every container and mirror enqueued");
  else log.warn({ why, detail: result.detail }, "Full sync skipped: Docker unreachable (mirrors are kept)");
};
const follower = new EngineEventFollower({
  source: new DockerodeEventSource(docker, observeDocker),
  onEvent: (id) => controller.onEngineEvent(id),
  onConnected: () => syncAll("engine connected"),
  onReachability: (reachable) => log.info({ reachable }, reachable ? "Docker reachable" : "Docker unreachable"),
  timers,
  log: log.child({ loop: "docker-events" }),
});

// Leader election, health, shutdown
const le = config.leaderElection;
const elector = le.enabled
  ? new LeaseElector({
      kube,
      name: le.leaseName,
      namespace: le.leaseNamespace,
      identity: le.identity,
      leaseDurationMs: le.leaseDurationMs,
      renewDeadlineMs: le.renewDeadlineMs,
      retryPeriodMs: le.retryPeriodMs,
      timers,
      onLeader: (leader) => metrics.setLeader(leader),
      onLost: (why) => {
        log.fatal({ why }, "Leader election lost; exiting");
        process.exit(1);
      },
      log: log.child({ loop: "leader" }),
    })
  : undefined;
metrics.setLeader(elector === undefined);

const health = serveHealth({
  host: config.metricsAddress.host,
  port: config.metricsAddress.port,
  metrics,
  checks: [
    { name: "informer", ok: () => informer.isSynced() },
    { name: "docker", ok: () => follower.isConnected() },
    { name: "leader", ok: () => elector?.isLeader() ?? true },
  ],
});
let stopResync = () => {};
const shutdown = createShutdown({
  timeoutMs: config.shutdownTimeoutMs,
  exit: (code) => process.exit(code),
  log,
  steps: [
    { name: "stop informer", run: () => informer.stop() },
    { name: "stop Docker events", run: () => follower.stop() },
    { name: "stop resync", run: async () => stopResync() },
    { name: "finish keys in flight", run: () => controller.shutdown() },
    { name: "flush Events", run: () => events.flush() },
    { name: "release Lease", run: async () => elector?.release() },
    { name: "stop HTTP server", run: () => health.stop() },
  ],
});
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

log.info(
  {
    metrics: `${health.url}/metrics`,
    healthz: `${health.url}/healthz`,
    readyz: `${health.url}/readyz`,
    apiServer: kc.getCurrentCluster()?.server,
    kubeconfig: describeSource(config.kubeconfig),
    docker: describeEndpoint(config.docker),
    namespace,
    concurrency: config.concurrency,
    resyncPeriodMs: config.resyncPeriodMs,
    leaderElection: le.enabled ? { lease: `${le.leaseNamespace}/${le.leaseName}`, identity: le.identity } : false,
    pid: process.pid,
  },
  "container-actions controller starting",
);

// Start-up order: leadership, then the cache, then Docker (whose connect runs the full sync), then resync.
if (elector !== undefined) await elector.acquire();
informer.start();
await informer.whenListed();
follower.start();
stopResync = every(timers, config.resyncPeriodMs, () => syncAll("periodic resync"));
