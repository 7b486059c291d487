/**
 * What the RBAC suite works with on the shared real backends: the admin's hands (TestKube, kubectl),
 * the real dockerd, the recording proxy, and the two service accounts' kubeconfigs; plus the real
 * controller and webhook processes started with exactly those credentials.
 */
import type Docker from "dockerode";
import { join } from "node:path";
import { ControllerProcess } from "../../controller/support/controller-process.ts";
import { IMAGE } from "../../controller/support/test-docker.ts";
import { kubectl, type TestKube } from "../../controller/support/test-kube.ts";
import { waitFor } from "../../controller/support/wait.ts";
import { freePort, startWebhook, waitReady, type WebhookProcess } from "../../webhook/webhook-process.ts";
import type { RecordingProxy } from "./recording-proxy.ts";

/** The namespace the manifests ship; this suite owns it on the shared apiserver. */
export const NAMESPACE = "container-actions";
export const LEASE = "container-actions-controller";
export const CONFIGURATION = "container-actions-webhook";
export const CONTROLLER_USER = `system:serviceaccount:${NAMESPACE}:controller`;
export const WEBHOOK_USER = `system:serviceaccount:${NAMESPACE}:webhook`;
/** Namespaces with this label are the only ones the test registration of the webhook matches. */
export const SELECTOR_LABEL = "container-actions.rancherdesktop.io/deploy-e2e";
/** Label on every Docker container this suite creates; cleanup removes exactly these. */
export const DOCKER_LABEL = { key: "container-actions-e2e", value: "deploy" } as const;
export const WEBHOOK_NAME = "container-actions.containers.rancherdesktop.io";

export interface Stage {
  adminKubeconfig: string;
  admin: TestKube;
  docker: Docker;
  dockerHost: string;
  proxy: RecordingProxy;
  /** Kubeconfigs with the service accounts' tokens, pointing at the proxy. */
  controllerKubeconfig: string;
  webhookKubeconfig: string;
  work: string;
}

/** The controller as the Deployment runs it (leader election on), with short election durations. */
export function startController(stage: Stage): Promise<ControllerProcess> {
  return ControllerProcess.start({
    kubeconfig: stage.controllerKubeconfig,
    dockerHost: stage.dockerHost,
    namespace: NAMESPACE,
    extraArgs: ["--leader-elect", "--leader-identity", "deploy-e2e", "--lease-duration", "4s", "--renew-deadline", "3s", "--retry-period", "500ms", "--shutdown-timeout", "5s"],
  });
}

/**
 * The webhook in url mode on 127.0.0.1, registering the configuration the manifests name (so its
 * ClusterRole's resourceNames apply), matched only in this suite's namespace, with the Deployment's
 * engine identity. `mode: "service"` registers a service clientConfig instead (nothing serves it).
 */
export function launchWebhook(stage: Stage, mode: "url" | "service" = "url"): WebhookProcess {
  return startWebhook(
    [
      "--listen-port", String(freePort()),
      "--cert-dir", join(stage.work, "webhook-certs"),
      "--register",
      "--client-config", mode,
      "--kubeconfig", stage.webhookKubeconfig,
      "--configuration-name", CONFIGURATION,
      "--namespace-selector", `${SELECTOR_LABEL}=true`,
      "--service-namespace", NAMESPACE,
      "--engine-identity", CONTROLLER_USER,
      "--log-level", "debug",
    ],
    { probePort: freePort(), logFile: join(stage.work, `webhook-${mode}.log`) },
  );
}

export async function startWebhookReady(stage: Stage, mode: "url" | "service" = "url"): Promise<WebhookProcess> {
  const webhook = launchWebhook(stage, mode);
  await waitReady(webhook);
  return webhook;
}

/** `docker run -d --init --label container-actions-e2e=deploy local/busybox sleep 100000`; the full id. */
export async function runLabelled(docker: Docker): Promise<string> {
  const container = await docker.createContainer({
    Image: IMAGE,
    Cmd: ["sleep", "100000"],
    Labels: { [DOCKER_LABEL.key]: DOCKER_LABEL.value },
    HostConfig: { Init: true },
  });
  await container.start();
  return container.id;
}

export async function removeLabelled(docker: Docker): Promise<void> {
  const all = await docker.listContainers({ all: true, filters: { label: [`${DOCKER_LABEL.key}=${DOCKER_LABEL.value}`] } });
  await Promise.all(all.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

/** Waits until the mirror of `id` shows Docker state `status`. */
export function waitMirror(stage: Stage, id: string, status: string, timeoutMs = 15_000): Promise<true> {
  return waitFor(`the mirror of ${id.slice(0, 12)} to show ${status}`, async () => ((await stage.admin.getContainer(NAMESPACE, id))?.status?.status === status ? true : undefined), timeoutMs);
}

export function waitMirrorGone(stage: Stage, id: string, timeoutMs = 15_000): Promise<true> {
  return waitFor(`the mirror of ${id.slice(0, 12)} to be gone`, async () => ((await stage.admin.getContainer(NAMESPACE, id)) === undefined ? true : undefined), timeoutMs);
}

/** Runs `kubectl` as the admin. */
export function adminKubectl(stage: Stage, args: string[]) {
  return kubectl(stage.adminKubeconfig, args);
}

/** Applies objects as the admin (`kubectl apply -f -`). */
export async function applyAsAdmin(stage: Stage, objects: readonly unknown[], extra: string[] = []): Promise<string> {
  const file = join(stage.work, `apply-${Date.now()}-${Math.random().toString(16).slice(2)}.json`);
  await Bun.write(file, JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }));
  const r = await adminKubectl(stage, ["apply", "-f", file, ...extra]);
  if (r.exitCode !== 0) throw new Error(`kubectl apply ${extra.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

/**
 * Puts the namespace back to "nothing running": this suite's Docker containers removed, mirrors purged
 * without touching Docker (finalizers stripped, then deleted), the Lease and the test registration gone.
 * Run only while no controller serves the namespace.
 */
export async function resetStage(stage: Stage): Promise<void> {
  await removeLabelled(stage.docker);
  await adminKubectl(stage, ["delete", "validatingwebhookconfiguration", CONFIGURATION, "--ignore-not-found"]);
  await stage.admin.purgeNamespace(NAMESPACE);
  await stage.admin.request("DELETE", `/apis/coordination.k8s.io/v1/namespaces/${NAMESPACE}/leases/${LEASE}`);
}

/** Whether `user` may do `verb` on `group/resource[/sub]` (named, in the namespace), as the authorizer answers now. */
export async function allowed(stage: Stage, user: string, grant: { verb: string; group: string; resource: string; namespace?: string; name?: string }): Promise<boolean> {
  const [resource, subresource] = grant.resource.split("/");
  const review = {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SubjectAccessReview",
    spec: {
      user,
      groups: ["system:serviceaccounts", `system:serviceaccounts:${NAMESPACE}`, "system:authenticated"],
      resourceAttributes: {
        verb: grant.verb,
        group: grant.group,
        resource,
        ...(subresource ? { subresource } : {}),
        ...(grant.namespace ? { namespace: grant.namespace } : {}),
        ...(grant.name ? { name: grant.name } : {}),
      },
    },
  };
  const r = await stage.admin.request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", review);
  if (r.status !== 201) throw new Error(`SubjectAccessReview: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.status.allowed === true;
}

/** Writes a request the way a GUI does: a merge patch of the annotations, as the admin. Throws when the apiserver refuses it. */
export async function requestAction(stage: Stage, id: string, action: string, requestId?: string): Promise<void> {
  await stage.admin.requestAction(NAMESPACE, id, action, requestId);
}

