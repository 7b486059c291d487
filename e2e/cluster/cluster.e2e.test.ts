/**
 * The product on a real single-node Kubernetes v1.20.2: images built here from deploy/images, pods on a
 * real kubelet (dockershim) that runs them on the node's dockerd, the webhook reached through its
 * Service, failover by deleting pods. Everything goes through the cluster: kubectl as a user, and the
 * docker CLI only where a user of the engine would use it (docker run) or to observe what the engine did.
 * Needs CA_CLUSTER_KUBECONFIG and CA_CLUSTER_DOCKER_HOST (scripts/test.sh starts a dockerd, an
 * apiserver and a node for it: tools/real-cluster/start.sh; docs/operations.md). This suite owns its
 * apiserver and dockerd: the controller it installs mirrors every container of that dockerd.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { randomUUID } from "node:crypto";
import { waitFor } from "../controller/support/wait.ts";
import { kubectlFor, must } from "../webhook/kube-cli.ts";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { caBundle, install } from "./support/install.ts";
import { ACTION, ACTION_ID, CONTROLLER, E2E_LABEL, getJson, isReady, mirror, mustDocker, NAMESPACE, nodeFor, pods, RESOURCE, restartEvents, WEBHOOK, type Node } from "./support/node.ts";
import { PodLogs } from "./support/pod-logs.ts";

const KUBECONFIG = process.env.CA_CLUSTER_KUBECONFIG ?? "";
const DOCKER_HOST = process.env.CA_CLUSTER_DOCKER_HOST ?? "";
const WEBHOOK_DENIED = `admission webhook "container-actions.containers.rancherdesktop.io" denied the request`;
const WEBHOOK_UNREACHABLE = `failed calling webhook "container-actions.containers.rancherdesktop.io"`;

if (KUBECONFIG === "" || DOCKER_HOST === "") {
  describe.skip("cluster e2e: skipped, CA_CLUSTER_KUBECONFIG and CA_CLUSTER_DOCKER_HOST are not set (scripts/test.sh sets them after tools/real-cluster/start.sh)", () => {
    test("needs a node", () => {});
  });
} else {
  describe("the product on a real kubelet", () => suite(nodeFor(KUBECONFIG, DOCKER_HOST)));
}

function suite(node: Node): void {
  const logs = new PodLogs(node);
  const kubectl = node.kubectl;

  /** Runs a container the way a user of the engine does; returns its full ID. */
  const dockerRun = async (name: string, ...flags: string[]) =>
    mustDocker(node, ["run", "-d", "--name", name, "--label", E2E_LABEL, ...flags, "local/busybox:latest"]);
  const mirrored = (id: string) =>
    waitFor(`the mirror of ${id.slice(0, 12)} with a status`, async () => {
      const m = await mirror(node, id);
      return m?.status?.status !== undefined ? m : undefined;
    }, 30_000, 250);
  /** Writes one action request with kubectl and waits for its recorded outcome. */
  const request = async (id: string, action: string) => {
    const requestId = randomUUID();
    await must(kubectl(["-n", NAMESPACE, "annotate", "--overwrite", RESOURCE, id, `${ACTION}=${action}`, `${ACTION_ID}=${requestId}`]), `kubectl annotate ${action}`);
    return waitFor(`the outcome of ${action} ${requestId}`, async () => {
      const m = await mirror(node, id);
      return m?.status?.lastAction?.requestId === requestId && m.metadata.annotations?.[ACTION] === undefined ? m : undefined;
    }, 60_000, 250);
  };
  const dockerState = async (id: string) => mustDocker(node, ["inspect", "-f", "{{.State.Status}}", id]);
  const annotateProbe = (id: string, n: number) => kubectl(["-n", NAMESPACE, "annotate", "--overwrite", RESOURCE, id, `e2e.container-actions.io/probe=${n}`]);

  beforeAll(async () => {
    await install(node);
  }, 240_000);

  afterAll(async () => {
    const ids = (await node.docker(["ps", "-aq", "--filter", `label=${E2E_LABEL}`])).stdout.trim();
    if (ids !== "") await node.docker(["rm", "-f", ...ids.split("\n")]);
  });

  test("the controller pod runs with its ServiceAccount's real token, which has exactly its Role's rights", async () => {
    const [controller] = await pods(node, CONTROLLER);
    const containerId = await mustDocker(node, ["ps", "-q", "--no-trunc", "--filter", `label=io.kubernetes.pod.name=${controller.metadata.name}`, "--filter", "label=io.kubernetes.container.name=controller"]);
    const mounted = (file: string) => mustDocker(node, ["exec", containerId, "cat", `/var/run/secrets/kubernetes.io/serviceaccount/${file}`]);
    const dir = mkdtempSync(join(tmpdir(), "cluster-e2e-token-"));
    try {
      // Only what the pod has: its token and the CA the controller-manager mounted beside it.
      writeFileSync(join(dir, "ca.crt"), await mounted("ca.crt"));
      const token = await mounted("token");
      const server = (await getJson(node, ["config", "view", "--minify"])).clusters[0].cluster.server as string;
      const asPod = (...args: string[]) =>
        kubectlFor("/dev/null")(["--server", server, "--certificate-authority", join(dir, "ca.crt"), "--token", token, ...args]);
      const can = async (...args: string[]) => (await asPod("auth", "can-i", "-n", NAMESPACE, ...args)).stdout.trim();
      expect(await can("create", "leases.coordination.k8s.io")).toBe("yes");
      expect(await can("patch", `${RESOURCE}/x`, "--subresource=status")).toBe("yes");
      expect(await can("get", `${RESOURCE}`)).toBe("no");
      expect(await can("get", "secrets")).toBe("no");
      const denied = await asPod("-n", NAMESPACE, "get", "secrets");
      expect(denied.output).toContain(`User "system:serviceaccount:${NAMESPACE}:controller" cannot list resource "secrets"`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  let subject = "";
  test("docker run on the node's dockerd: its mirror appears", async () => {
    subject = await dockerRun("cluster-e2e-actions", "--stop-timeout=1");
    const m = await mirrored(subject);
    expect(m.status).toMatchObject({ name: "cluster-e2e-actions", status: "running" });
    // Created by the controller pod: the webhook admits a CREATE only from the controller's ServiceAccount.
    expect(m.metadata.finalizers).toContain("engine.rancherdesktop.io/mirror");
  }, 60_000);

  test("every action written with kubectl succeeds, and Docker did it", async () => {
    const steps: [string, string][] = [["stop", "exited"], ["start", "running"], ["pause", "paused"], ["unpause", "running"], ["restart", "running"]];
    for (const [action, dockerStatus] of steps) {
      const m = await request(subject, action);
      expect({ action, lastAction: m.status.lastAction }).toMatchObject({ action, lastAction: { action, state: "Succeeded" } });
      expect(await dockerState(subject)).toBe(dockerStatus);
    }
  }, 120_000);

  test("an invalid action is denied by the webhook, reached through its Service", async () => {
    const r = await kubectl(["-n", NAMESPACE, "annotate", "--overwrite", RESOURCE, subject, `${ACTION}=bogus`]);
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toContain(WEBHOOK_DENIED);
    expect(r.output).toContain('"bogus"');
    expect((await mirror(node, subject)).metadata.annotations?.[ACTION]).toBeUndefined();
  }, 30_000);

  test("a CREATE by anyone but the controller's ServiceAccount is denied", async () => {
    const handWritten = { apiVersion: "containers.rancherdesktop.io/v1alpha1", kind: "Container", metadata: { name: "deadbeef".repeat(8), namespace: NAMESPACE } };
    const r = await kubectl(["create", "-f", "-"], JSON.stringify(handWritten));
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toContain(WEBHOOK_DENIED);
    expect(r.output).toContain("may not create them");
  }, 30_000);

  test("the controller pod deleted in the middle of a restart: the replacement takes the Lease, the restart is neither lost nor doubled", async () => {
    // PID 1 `sleep` ignores SIGTERM: Docker's restart waits the whole 10 s stop timeout, a wide window.
    const id = await dockerRun("cluster-e2e-failover");
    await mirrored(id);
    const sinceS = Math.floor(Date.now() / 1000) - 1;
    const [old] = await pods(node, CONTROLLER);
    const lease = async () => (await getJson(node, ["-n", NAMESPACE, "get", "lease", CONTROLLER])).spec.holderIdentity as string | undefined;
    const oldHolder = await lease();
    expect(oldHolder).toBeTruthy();

    const requestId = randomUUID();
    await must(kubectl(["-n", NAMESPACE, "annotate", RESOURCE, id, `${ACTION}=restart`, `${ACTION_ID}=${requestId}`]), "kubectl annotate restart");
    await waitFor("Docker to begin the restart (SIGTERM sent)", async () => {
      const out = await mustDocker(node, ["events", "--since", String(sinceS), "--until", String(Math.ceil(Date.now() / 1000)), "--filter", `container=${id}`, "--filter", "event=kill", "--format", "{{.Action}}"]);
      return out !== "" ? true : undefined;
    }, 30_000, 100);
    await logs.snapshot();
    // A crash, not a graceful stop: the kubelet kills the process while dockerd is still restarting.
    await must(kubectl(["-n", NAMESPACE, "delete", "pod", old.metadata.name, "--grace-period=0", "--force"]), "kubectl delete pod (controller)");

    const replacement = await waitFor("a Ready replacement controller pod", async () => {
      const [p] = await pods(node, CONTROLLER);
      return p !== undefined && p.metadata.uid !== old.metadata.uid && isReady(p) ? p : undefined;
    }, 120_000, 500);
    const newHolder = await waitFor("the replacement to take the Lease", async () => {
      const h = await lease();
      return h !== undefined && h !== null && h !== oldHolder ? h : undefined;
    }, 60_000, 500);
    expect(newHolder).not.toBe(oldHolder);

    const m = await waitFor("the restart's outcome", async () => {
      const c = await mirror(node, id);
      return c?.status?.lastAction?.requestId === requestId && c.metadata.annotations?.[ACTION] === undefined ? c : undefined;
    }, 90_000, 500);
    expect(m.status.lastAction).toMatchObject({ action: "restart", state: "Succeeded", requestId });
    const untilS = Math.ceil(Date.now() / 1000) + 1;
    await Bun.sleep(1_000);
    expect(await restartEvents(node, id, sinceS, untilS)).toBe(1);
    expect(await dockerState(id)).toBe("running");
    expect(replacement.metadata.name).not.toBe(old.metadata.name);
  }, 240_000);

  test("the webhook pod deleted: writes are refused (failurePolicy Fail) until the replacement registers, then judged again", async () => {
    const [old] = await pods(node, WEBHOOK);
    const oldCa = await caBundle(node);
    await logs.snapshot();
    const deleted = kubectl(["-n", NAMESPACE, "delete", "pod", old.metadata.name]);
    // Harmless writes (a probe annotation) while the pod goes and its replacement comes.
    const refusals: string[] = [];
    let n = 0;
    const ok = await waitFor("a write admitted again after the webhook pod's deletion", async () => {
      const r = await annotateProbe(subject, ++n);
      if (r.exitCode !== 0) refusals.push(r.output);
      const [p] = await pods(node, WEBHOOK);
      return r.exitCode === 0 && p !== undefined && p.metadata.uid !== old.metadata.uid && isReady(p) && refusals.length > 0 ? true : undefined;
    }, 150_000, 50);
    expect(ok).toBe(true);
    expect((await deleted).exitCode).toBe(0);
    // Fail closed while no webhook answered: every refusal is the apiserver failing to call it.
    expect(refusals.length).toBeGreaterThan(0);
    for (const refusal of refusals) expect(refusal).toContain(WEBHOOK_UNREACHABLE);
    // The replacement generated its own CA and registered it; it judges again.
    expect(await caBundle(node)).not.toBe(oldCa);
    const r = await kubectl(["-n", NAMESPACE, "annotate", "--overwrite", RESOURCE, subject, `${ACTION}=bogus`]);
    expect(r.output).toContain(WEBHOOK_DENIED);
    expect((await request(subject, "restart")).status.lastAction).toMatchObject({ action: "restart", state: "Succeeded" });
  }, 240_000);

  test("v1.20 cannot admit the ValidatingAdmissionPolicy overlay (its CEL is checked by apps/webhook/src/cel instead)", async () => {
    const r = await kubectl(["apply", "--dry-run=server", "-f", new URL("../../deploy/admission-policy/admission-policy.yaml", import.meta.url).pathname]);
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toContain('no matches for kind "ValidatingAdmissionPolicy"');
  }, 30_000);

  test("no 403 (or other RBAC denial) in any pod's log", async () => {
    await logs.snapshot();
    expect(logs.pods.length).toBeGreaterThanOrEqual(4); // two controller and two webhook pods
    expect(logs.grep(/\b403\b|forbidden/i)).toEqual([]);
  }, 60_000);
}
