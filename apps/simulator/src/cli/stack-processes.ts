/**
 * The stack's two child processes, started the way an operator would: the admission webhook (its own
 * TLS, registered in url mode) and the controller (its own client identity on the simulated cluster),
 * each waited on until its /readyz answers, and each stopped again by PID when the stack stops.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SimulatedCluster } from "../control/index.ts";
import { ChildProcess, freePort } from "./child-process.ts";
import { CONTROLLER_USER, registerWebhookInStore, removeWebhookRegistration } from "./kube-setup.ts";
import type { StackOptions } from "./stack.ts";

/** How long a child gets between SIGTERM and SIGKILL; the controller's own shutdown timeout is shorter. */
export const CHILD_GRACE_MS = 20_000;
/** How long a child may take to answer /readyz 200. */
export const READY_TIMEOUT_MS = 45_000;

/** What a starting stack accumulates: undo steps (run in reverse), children, notes and endpoints. */
export interface StartupContext {
  options: StackOptions;
  stateDir: string;
  undo: Array<() => Promise<unknown> | unknown>;
  children: ChildProcess[];
  notes: string[];
  endpoints: Record<string, string>;
}

/** The cluster side: the simulated one (null when a kubeconfig was given) and the kubeconfigs to use. */
export interface KubeSide {
  cluster: SimulatedCluster | null;
  /** The admin kubeconfig (console, kubectl). */
  kubeconfig: string;
  controllerKubeconfig: string;
}

export function fail(code: string, message: string): never {
  throw Object.assign(new Error(message), { code });
}

/**
 * The webhook. On the simulated cluster it is registered in the store (its own `--register` uses
 * server-side apply, which the fake apiserver answers with 415) with the controller as the only engine
 * identity; on a given cluster it registers itself, and the registration is removed again on stop.
 */
export async function startWebhook(ctx: StartupContext, kube: KubeSide): Promise<void> {
  const o = ctx.options;
  const port = freePort();
  const probePort = freePort();
  const certDir = join(ctx.stateDir, "webhook-certs");
  const identities = kube.cluster ? ["--engine-identity", CONTROLLER_USER] : [];
  const register = kube.cluster ? [] : ["--register", "--kubeconfig", kube.kubeconfig, "--client-config", "url"];
  const argv = [process.execPath, join(o.repoRoot, "apps/webhook/src/main.ts"), "--listen-port", String(port), "--probe-port", String(probePort), "--cert-dir", certDir, "--shutdown-grace", "5s"];
  const webhook = ChildProcess.start("webhook", [...argv, ...identities, ...register], {
    logPath: join(ctx.stateDir, "webhook.log"),
    cwd: o.repoRoot,
    env: childEnv(),
    url: `https://127.0.0.1:${port}`,
  });
  ctx.children.push(webhook);
  ctx.undo.push(() => webhook.stop(CHILD_GRACE_MS));
  await ready(webhook, `http://127.0.0.1:${probePort}/readyz`);
  if (kube.cluster) await registerWebhookInStore(kube.cluster.store, `https://127.0.0.1:${port}`, readFileSync(join(certDir, "ca.crt"), "utf8"));
  else {
    ctx.undo.push(() => removeWebhookRegistration(kube.kubeconfig));
    ctx.notes.push("webhook: engine identities left empty: the controller runs with the given kubeconfig's user");
    ctx.notes.push("webhook: its registration is removed again when this stack stops (a Fail policy without its webhook would refuse every Container write)");
  }
  ctx.endpoints.webhook = `https://127.0.0.1:${port}`;
  ctx.endpoints.webhookProbes = `http://127.0.0.1:${probePort}`;
  const who = kube.cluster ? `only ${CONTROLLER_USER} may create Containers` : "no engine identity (the controller's user on this cluster is unknown), so anyone may create Containers";
  o.say(`Webhook:     pid ${webhook.pid}, ${ctx.endpoints.webhook}, registered in url mode; ${who}`);
}

/** The controller, against the cluster's controller kubeconfig and the chosen DOCKER_HOST. */
export async function startController(ctx: StartupContext, kube: KubeSide, dockerHost: string): Promise<void> {
  const o = ctx.options;
  const metricsPort = freePort();
  const controller = ChildProcess.start(
    "controller",
    [
      process.execPath, join(o.repoRoot, "apps/controller/src/main.ts"),
      "--kubeconfig", kube.controllerKubeconfig, "--docker-host", dockerHost, "--namespace", o.namespace,
      "--metrics-address", `127.0.0.1:${metricsPort}`, "--shutdown-timeout", "15s",
    ],
    { logPath: join(ctx.stateDir, "controller.log"), cwd: o.repoRoot, env: childEnv(), url: `http://127.0.0.1:${metricsPort}/metrics` },
  );
  ctx.children.push(controller);
  ctx.undo.push(() => controller.stop(CHILD_GRACE_MS));
  await ready(controller, `http://127.0.0.1:${metricsPort}/readyz`);
  ctx.endpoints.controllerMetrics = `http://127.0.0.1:${metricsPort}/metrics`;
  o.say(`Controller:  pid ${controller.pid}, metrics ${ctx.endpoints.controllerMetrics}${kube.cluster ? `, as user ${CONTROLLER_USER}` : ""}`);
}

async function ready(child: ChildProcess, url: string): Promise<void> {
  const answer = await child.waitOk(url, READY_TIMEOUT_MS);
  if (!answer.ok) fail("CHILD_NOT_READY", `${child.name} did not become ready: ${answer.why}\n--- ${child.logPath} (last lines) ---\n${child.tail()}`);
}

/** The children's environment: no KUBECONFIG or DOCKER_HOST of ours leaks in; their flags say it all. */
function childEnv(): Record<string, string | undefined> {
  const { KUBECONFIG: _k, DOCKER_HOST: _d, ...rest } = process.env;
  return rest;
}
