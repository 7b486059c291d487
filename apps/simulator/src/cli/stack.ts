/**
 * The whole system on one machine, wired together: a cluster (the simulated apiserver, or one given
 * by kubeconfig), a Docker engine (a real one when it answers, else the simulated one), the webhook
 * and controller processes, the console, and the control API. Started in dependency order; whatever
 * started is stopped again, in reverse, on failure or on stop().
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Elysia } from "elysia";
import { chaosRoutes, createConsoleApp, kubeConsoleCluster, type ConsoleCluster } from "../console/index.ts";
import { controlRoutes, startSimulatedCluster, startSimulatedEngine, type ControlDeps, type SimulatedEngine, type StackView } from "../control/index.ts";
import { portIsFree, readStackRecord, commandLineOf, stopLeftovers, type ChildProcess } from "./child-process.ts";
import { DEMO_CONTAINERS, DEMO_IMAGE, engineAnswers, hasImage, runDemoContainer } from "./docker-endpoint.ts";
import { CONTROLLER_USER, ensureCrd, ensureNamespace, issueClientKubeconfig } from "./kube-setup.ts";
import { fail, startController, startWebhook, type KubeSide, type StartupContext } from "./stack-processes.ts";

export const DockerChoice = { auto: "auto", simulated: "simulated", real: "real" } as const;
export type DockerChoice = (typeof DockerChoice)[keyof typeof DockerChoice];

export interface StackOptions {
  repoRoot: string;
  stateDir: string;
  consolePort: number;
  /** 0 picks a free port. */
  controlPort: number;
  /** The simulated apiserver's port; 0 picks a free one. */
  kubePort: number;
  docker: DockerChoice;
  /** A cluster to run against instead of the simulated apiserver. */
  kubeconfig?: string;
  namespace: string;
  seed: boolean;
  webhook: boolean;
  say: (line: string) => void;
}

export interface Stack {
  consoleUrl: string;
  controlUrl: string;
  kubeconfig: string;
  dockerHost: string;
  view(): StackView;
  children: ChildProcess[];
  stop(): Promise<void>;
}

export async function startStack(o: StackOptions): Promise<Stack> {
  const stateDir = resolve(o.stateDir);
  mkdirSync(stateDir, { recursive: true });
  const recordPath = join(stateDir, "stack.json");
  await clearLeftovers(recordPath, stateDir, o.say);
  for (const [what, port] of [["console", o.consolePort], ["control", o.controlPort]] as const) {
    if (port !== 0 && !portIsFree(port)) fail("PORT_IN_USE", `the ${what} port ${port} on 127.0.0.1 is in use; pick another with --${what === "console" ? "port" : "control-port"}`);
  }
  const ctx: StartupContext = { options: o, stateDir, undo: [], children: [], notes: [], endpoints: {} };
  const rollback = async () => {
    for (const step of ctx.undo.reverse()) await Promise.resolve(step()).catch(() => {});
    ctx.undo.length = 0;
  };
  try {
    const docker = await chooseDocker(o, stateDir, ctx.notes);
    if (docker.engine) ctx.undo.push(() => docker.engine?.stop());
    o.say(`Docker:      ${docker.kind === "real" ? "a real engine" : "the simulated engine"} at ${docker.host}${docker.why ? ` (${docker.why})` : ""}`);

    const kube = await prepareCluster(o, stateDir, ctx.notes);
    if (kube.cluster) ctx.undo.push(() => kube.cluster?.stop());
    o.say(`Kubernetes:  ${kube.cluster ? `the simulated kube-apiserver at ${kube.cluster.url}` : `the cluster of ${kube.kubeconfig}`}`);

    // The webhook before the controller, so the controller's first writes already pass admission.
    if (o.webhook) await startWebhook(ctx, kube);
    else {
      ctx.notes.push("webhook: not started (--skip-webhook)");
      o.say("Webhook:     not started (--skip-webhook)");
    }
    await startController(ctx, kube, docker.host);

    const consoleCluster = kubeConsoleCluster(kube.kubeconfig, o.namespace);
    if (o.seed) await seed(docker, consoleCluster, ctx.notes, o.say);

    // The console and the control API last: once the console answers, everything behind it is up.
    const view = (): StackView => ({
      docker: { kind: docker.kind, url: docker.host },
      kube: { kind: kube.cluster ? "simulated" : "external", url: kube.cluster?.url ?? "", kubeconfig: kube.kubeconfig },
      processes: ctx.children.map((c) => c.view()),
      endpoints: { ...ctx.endpoints },
      notes: [...ctx.notes],
    });
    const { consoleUrl, controlUrl } = serveConsoleAndControl(ctx, consoleCluster, { engine: docker.engine, apiserver: kube.cluster?.faults ?? null, stack: view });

    writeFileSync(recordPath, JSON.stringify({ pid: process.pid, children: Object.fromEntries(ctx.children.map((c) => [c.name, c.pid])) }, null, 2));
    ctx.undo.unshift(() => rmSync(recordPath, { force: true }));
    return { consoleUrl, controlUrl, kubeconfig: kube.kubeconfig, dockerHost: docker.host, view, children: ctx.children, stop: rollback };
  } catch (error) {
    await rollback();
    throw error;
  }
}

/** The web console (with the chaos page) and the control API, on 127.0.0.1. */
function serveConsoleAndControl(ctx: StartupContext, cluster: ConsoleCluster, control: ControlDeps) {
  const o = ctx.options;
  const consoleApp = createConsoleApp({
    cluster,
    newRequestId: () => crypto.randomUUID(),
    chaos: chaosRoutes({ failuresDir: join(o.repoRoot, ".cache", "chaos-failures"), workDir: o.repoRoot }),
  }).listen({ port: o.consolePort, hostname: "127.0.0.1" });
  ctx.undo.push(() => consoleApp.stop(true));
  const consoleUrl = `http://127.0.0.1:${consoleApp.server?.port ?? o.consolePort}/`;
  ctx.endpoints.console = consoleUrl;
  const controlApp = new Elysia().use(controlRoutes(control)).listen({ port: o.controlPort, hostname: "127.0.0.1" });
  ctx.undo.push(() => controlApp.stop(true));
  const controlUrl = `http://127.0.0.1:${controlApp.server?.port ?? o.controlPort}/control`;
  ctx.endpoints.control = controlUrl;
  return { consoleUrl, controlUrl };
}

/** A previous run's children still alive (its up process killed) are stopped; a live run is left alone. */
async function clearLeftovers(recordPath: string, stateDir: string, say: (line: string) => void): Promise<void> {
  const record = readStackRecord(recordPath);
  if (record === undefined) return;
  if (record.pid !== process.pid && commandLineOf(record.pid)?.includes("up.ts")) {
    fail("ALREADY_RUNNING", `another stack (pid ${record.pid}) runs from ${stateDir}; stop it (Ctrl-C, or kill ${record.pid}) or use another --state-dir`);
  }
  const stopped = await stopLeftovers(record, stateDir, 10_000);
  if (stopped.length > 0) say(`Stopped ${stopped.length} process(es) a previous run left behind: ${stopped.join(", ")}`);
  rmSync(recordPath, { force: true });
}

interface DockerSide {
  kind: "real" | "simulated";
  host: string;
  engine: SimulatedEngine | null;
  why?: string;
}

async function chooseDocker(o: StackOptions, stateDir: string, notes: string[]): Promise<DockerSide> {
  const candidate = process.env.DOCKER_HOST || "unix:///var/run/docker.sock";
  if (o.docker !== DockerChoice.simulated) {
    if (await engineAnswers(candidate)) return { kind: "real", host: candidate, engine: null };
    if (o.docker === DockerChoice.real) fail("NO_DOCKER", `no Docker engine answers /_ping at ${candidate} (--docker real)`);
  }
  const engine = startSimulatedEngine({ socketPath: join(stateDir, "docker.sock") });
  const why = o.docker === DockerChoice.simulated ? "--docker simulated" : `no engine answered /_ping at ${candidate}`;
  notes.push(`docker: simulated engine (${why})`);
  return { kind: "simulated", host: engine.url, engine, why };
}

async function prepareCluster(o: StackOptions, stateDir: string, notes: string[]): Promise<KubeSide> {
  if (o.kubeconfig !== undefined) {
    const kubeconfig = resolve(o.kubeconfig);
    if (await ensureCrd(kubeconfig)) notes.push("kube: installed the Container CRD");
    await ensureNamespace(kubeconfig, o.namespace);
    return { cluster: null, kubeconfig, controllerKubeconfig: kubeconfig };
  }
  const cluster = await startSimulatedCluster({ kubeconfigPath: join(stateDir, "kubeconfig"), port: o.kubePort });
  try {
    const controllerKubeconfig = issueClientKubeconfig(cluster.server.tls, cluster.url, CONTROLLER_USER, join(stateDir, "controller.kubeconfig"));
    await ensureNamespace(cluster.kubeconfigPath, o.namespace);
    return { cluster, kubeconfig: cluster.kubeconfigPath, controllerKubeconfig };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

/** Runs the demo containers and waits (bounded) until their mirrors show up. */
async function seed(docker: DockerSide, cluster: ConsoleCluster, notes: string[], say: (line: string) => void): Promise<void> {
  if (docker.kind === "real" && !(await hasImage(docker.host, DEMO_IMAGE))) {
    notes.push(`seed: skipped, the engine has no ${DEMO_IMAGE} (tools/docker-engine/start.sh imports it)`);
    say(`Seeded:      nothing: the engine has no ${DEMO_IMAGE}`);
    return;
  }
  const results = await Promise.all(DEMO_CONTAINERS.map((demo) => runDemoContainer(docker.host, demo)));
  const failed = results.filter((r) => r.kind === "failed");
  for (const f of failed) if (f.kind === "failed") notes.push(`seed: ${f.name} failed: ${f.why}`);
  say(`Seeded:      ${results.map((r) => `${r.name} (${r.kind === "failed" ? `failed: ${r.why}` : r.kind})`).join(", ")}`);
  const names = new Set(results.filter((r) => r.kind !== "failed").map((r) => r.name));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { items } = await cluster.list().catch(() => ({ items: [] }));
    const mirrored = items.filter((c) => names.has(c.status?.name ?? "")).length;
    if (mirrored === names.size) return;
    await Bun.sleep(200);
  }
  notes.push("seed: not every demo container was mirrored within 20 s");
}
