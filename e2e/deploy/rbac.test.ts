/**
 * The shipped RBAC against a real kube-apiserver v1.20.2, with the real controller and webhook
 * processes holding nothing but their service accounts' tokens:
 *  - the rendered ServiceAccounts, Roles and bindings are applied (not the Deployments: nothing runs
 *    pods here), tokens come from the TokenRequest API, and every request of both processes passes a
 *    recording HTTPS proxy that sees what the apiserver authorized;
 *  - a small end-to-end run succeeds with no 403 anywhere, and every granted verb was used;
 *  - for each granted verb, rules without it make the process hit a 403 at the operation that needs it;
 *  - the shipped ValidatingWebhookConfiguration, applied by kubectl, is completed by the webhook's own
 *    service-mode registration, and a re-apply keeps its caBundle.
 * Needs CA_REAL_KUBECONFIG and CA_REAL_DOCKER_HOST (scripts/test.sh starts both). For a local run:
 *   tools/real-apiserver/start.sh /tmp/dep-ks 6843; tools/docker-engine/start.sh /tmp/dep-de
 *   CA_REAL_KUBECONFIG=/tmp/dep-ks/kubeconfig CA_REAL_DOCKER_HOST=unix:///tmp/dep-de/docker.sock bun test e2e/deploy
 *   tools/real-apiserver/stop.sh /tmp/dep-ks; tools/docker-engine/stop.sh /tmp/dep-de
 * The apiserver and dockerd are shared with other suites: this suite owns namespace container-actions,
 * matches its webhook registration to that namespace only, labels its Docker containers
 * container-actions-e2e=deploy, and removes its cluster-scoped objects at the end.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ControllerProcess, sumOf } from "../controller/support/controller-process.ts";
import { dockerFor, dockerState } from "../controller/support/test-docker.ts";
import { TestKube } from "../controller/support/test-kube.ts";
import { waitFor } from "../controller/support/wait.ts";
import type { WebhookProcess } from "../webhook/webhook-process.ts";
import { grantKey } from "./support/api-request.ts";
import {
  adminKubectl,
  applyAsAdmin,
  CONFIGURATION,
  CONTROLLER_USER,
  LEASE,
  NAMESPACE,
  requestAction,
  resetStage,
  runLabelled,
  SELECTOR_LABEL,
  startController,
  startWebhookReady,
  waitMirror,
  waitMirrorGone,
  WEBHOOK_NAME,
  WEBHOOK_USER,
  type Stage,
} from "./support/deploy-stage.ts";
import { describeRequest, forbiddenLines, recordedFrom, runWithout } from "./support/missing-verb-run.ts";
import { grantsOf, usedGrants, type PolicyRule } from "./support/rbac-rules.ts";
import { startRecordingProxy } from "./support/recording-proxy.ts";
import { readRendered, theObject } from "./support/rendered-manifests.ts";
import { clusterOf, serviceAccountToken, writeTokenKubeconfig } from "./support/service-account-kubeconfig.ts";

const ADMIN_KUBECONFIG = process.env.CA_REAL_KUBECONFIG ?? "";
const DOCKER_HOST = process.env.CA_REAL_DOCKER_HOST ?? "";
/** Kinds applied to the apiserver: everything of the webhook overlay that is not a workload or the webhook registration. */
const RBAC_KINDS = new Set(["Namespace", "CustomResourceDefinition", "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"]);

const rendered = await readRendered("webhook");
const controllerRole = theObject(rendered, "Role", "container-actions-controller");
const webhookRole = theObject(rendered, "ClusterRole", "container-actions-webhook");
const SUBJECTS = [
  { process: "controller", user: CONTROLLER_USER, role: controllerRole },
  { process: "webhook", user: WEBHOOK_USER, role: webhookRole },
] as const;
type ProcessName = (typeof SUBJECTS)[number]["process"];

if (ADMIN_KUBECONFIG === "" || DOCKER_HOST === "") {
  test("deploy rbac e2e: CA_REAL_KUBECONFIG and CA_REAL_DOCKER_HOST must point to a real kube-apiserver and dockerd", () => {
    throw new Error(
      `${ADMIN_KUBECONFIG === "" ? "CA_REAL_KUBECONFIG" : "CA_REAL_DOCKER_HOST"} is not set (CI sets both). For a local run: ` +
        "`tools/real-apiserver/start.sh /tmp/dep-ks 6843` and `tools/docker-engine/start.sh /tmp/dep-de`, then export " +
        "CA_REAL_KUBECONFIG=/tmp/dep-ks/kubeconfig CA_REAL_DOCKER_HOST=unix:///tmp/dep-de/docker.sock. This suite never skips.",
    );
  });
} else {
  describe("deploy: the shipped RBAC on a real kube-apiserver v1.20.2", () => suite());
}

function suite(): void {
  let stage: Stage;
  const processes: Array<ControllerProcess | WebhookProcess> = [];
  const startedMs = Date.now();

  beforeAll(async () => {
    const work = mkdtempSync(join(tmpdir(), "deploy-rbac-"));
    const admin = await TestKube.connect(ADMIN_KUBECONFIG);
    const upstream = clusterOf(ADMIN_KUBECONFIG);
    const proxy = await startRecordingProxy(upstream, ["controller", "webhook"], join(work, "proxy"));
    stage = {
      adminKubeconfig: ADMIN_KUBECONFIG,
      admin,
      docker: dockerFor(DOCKER_HOST),
      dockerHost: DOCKER_HOST,
      proxy,
      controllerKubeconfig: join(work, "controller.kubeconfig"),
      webhookKubeconfig: join(work, "webhook.kubeconfig"),
      work,
    };
    await applyAsAdmin(stage, rendered.filter((o) => RBAC_KINDS.has(o.kind)));
    const established = await adminKubectl(stage, ["wait", "--for=condition=Established", "--timeout=30s", "crd/containers.containers.rancherdesktop.io"]);
    if (established.exitCode !== 0) throw new Error(`CRD not Established: ${established.stderr}`);
    await adminKubectl(stage, ["label", "namespace", NAMESPACE, "--overwrite", `${SELECTOR_LABEL}=true`]);
    await resetStage(stage);
    for (const s of SUBJECTS) {
      const token = await serviceAccountToken(ADMIN_KUBECONFIG, NAMESPACE, s.user.split(":").at(-1) as string);
      const path = s.process === "controller" ? stage.controllerKubeconfig : stage.webhookKubeconfig;
      await writeTokenKubeconfig(path, { server: proxy.urlFor(s.process), caPem: proxy.caPem, token, namespace: NAMESPACE, user: s.process });
    }
  }, 60_000);

  afterAll(async () => {
    for (const p of processes) await p.stop();
    if (stage === undefined) return;
    await resetStage(stage).catch(() => undefined);
    // The cluster-scoped objects this suite created; the namespace stays (without a
    // kube-controller-manager a deleted namespace never finishes terminating), the CRD is shared.
    await adminKubectl(stage, ["delete", "clusterrolebinding,clusterrole", "container-actions-webhook", "--ignore-not-found"]);
    await adminKubectl(stage, ["delete", "-n", NAMESPACE, "rolebinding,role", "container-actions-controller", "--ignore-not-found"]);
    await adminKubectl(stage, ["delete", "-n", NAMESPACE, "serviceaccount", "controller", "webhook", "--ignore-not-found"]);
    await stage.proxy.stop();
    if (process.env.DEPLOY_E2E_KEEP === "1") console.log(`deploy rbac e2e: kept ${stage.work}`);
    else rmSync(stage.work, { recursive: true, force: true });
    console.log(`deploy rbac e2e: ${((Date.now() - startedMs) / 1000).toFixed(1)} s`);
  }, 60_000);

  const recorded = (who: ProcessName, fromIndex = 0) => recordedFrom(stage, who, fromIndex);

  test("dry run: the apiserver accepts every rendered object it serves (kubectl schema validation and server-side dry run)", async () => {
    for (const name of ["base", "webhook", "admission-policy"] as const) {
      const objects = (await readRendered(name)).filter((o) => !o.kind.startsWith("ValidatingAdmissionPolicy")); // v1.20 has no VAP
      const out = await applyAsAdmin(stage, objects, ["--dry-run=server", "--validate=true"]);
      expect(out).toContain("(server dry run)");
    }
    // Teeth: a misspelt field is refused by kubectl's schema validation against this server.
    const deployment = structuredClone(theObject(rendered, "Deployment", "container-actions-controller"));
    deployment.spec.template.spec.containers[0].readinesProbe = deployment.spec.template.spec.containers[0].readinessProbe;
    await expect(applyAsAdmin(stage, [deployment], ["--dry-run=server", "--validate=true"])).rejects.toThrow(/readinesProbe/);
  }, 60_000);

  test("e2e with exactly the shipped rights: mirror, actions, webhook denial, delete both ways, Lease; no 403; every granted verb used", async () => {
    const webhook = await startWebhookReady(stage);
    processes.push(webhook);
    const controller = await startController(stage);
    processes.push(controller);
    await controller.waitReady();

    // Leader election acquired the Lease with the controller's identity.
    const lease = await stage.admin.request("GET", `/apis/coordination.k8s.io/v1/namespaces/${NAMESPACE}/leases/${LEASE}`);
    expect(lease.body?.spec?.holderIdentity).toBe("deploy-e2e");

    // docker run → a mirror appears, created by the controller's service account.
    const id = await runLabelled(stage.docker);
    await waitMirror(stage, id, "running");

    // stop, then start with a request id: each completes with its lastAction.
    await requestAction(stage, id, "stop");
    let c = await stage.admin.waitHandled(NAMESPACE, id);
    expect(c.status?.lastAction).toMatchObject({ action: "stop", state: "Succeeded" });
    expect((await dockerState(stage.docker, id))?.Running).toBe(false);
    await requestAction(stage, id, "start", "deploy-e2e-start-1");
    c = await stage.admin.waitHandled(NAMESPACE, id);
    expect(c.status?.lastAction).toMatchObject({ action: "start", state: "Succeeded", requestId: "deploy-e2e-start-1" });
    expect((await dockerState(stage.docker, id))?.Running).toBe(true);
    // A second identical outcome bumps the first Event's count (the Event patch).
    await requestAction(stage, id, "stop");
    await stage.admin.waitHandled(NAMESPACE, id);
    await waitFor("the repeated Event's count 2", async () =>
      (await stage.admin.eventsFor(NAMESPACE, id)).some((e) => e.reason === "ActionSucceeded" && e.message === "stop succeeded" && e.count === 2) ? true : undefined,
    );

    // An invalid action is denied by the webhook (once the apiserver has picked up the registration).
    const denied = await waitFor("the webhook to deny an invalid action", async () => {
      const r = await adminKubectl(stage, ["annotate", "-n", NAMESPACE, "--overwrite", "containers.containers.rancherdesktop.io", id, "containers.rancherdesktop.io/action=bogus"]);
      return r.exitCode !== 0 && r.stderr.includes(`admission webhook "${WEBHOOK_NAME}" denied the request`) ? r.stderr : undefined;
    });
    expect(denied).toContain('invalid containers.rancherdesktop.io/action annotation "bogus"');
    // Only the controller's identity may create Containers.
    const handMade = await stage.admin.request("POST", stage.admin.containersPath(NAMESPACE), {
      apiVersion: "containers.rancherdesktop.io/v1alpha1",
      kind: "Container",
      metadata: { name: "deadbeef".repeat(8) },
    });
    expect(handMade.status).toBe(403);
    expect(handMade.body?.message).toContain('user "admin" may not create them');

    // kubectl delete of the mirror removes the Docker container.
    const del = await adminKubectl(stage, ["delete", "-n", NAMESPACE, "containers.containers.rancherdesktop.io", id, "--wait=false"]);
    expect(del.exitCode).toBe(0);
    await waitMirrorGone(stage, id);
    expect(await dockerState(stage.docker, id)).toBeUndefined();

    // docker rm removes the mirror.
    const other = await runLabelled(stage.docker);
    await waitMirror(stage, other, "running");
    await stage.docker.getContainer(other).remove({ force: true });
    await waitMirrorGone(stage, other);

    const metrics = await controller.metrics();
    expect(await controller.stop()).toBe(0);
    expect(await webhook.stop()).toBe(0);
    // The webhook leaves its registration in place on exit (failurePolicy Fail: fail closed); remove it.
    await adminKubectl(stage, ["delete", "validatingwebhookconfiguration", CONFIGURATION]);

    // No 403 anywhere: not on the wire, not in the logs, not in the controller's own count.
    if (process.env.DEPLOY_E2E_VERBOSE) for (const r of stage.proxy.requests) console.log(describeRequest(r));
    const forbidden = stage.proxy.requests.filter((r) => r.status === 403);
    expect(forbidden.map(describeRequest)).toEqual([]);
    expect(forbiddenLines(controller.logs.map((l) => JSON.stringify(l)))).toEqual([]);
    expect(forbiddenLines((await Bun.file(webhook.logFile).text()).split("\n"))).toEqual([]);
    expect(sumOf(metrics, "kube_api_requests_total", { code: "403" })).toBe(0);

    // Every granted verb was used, and nothing was used that is not granted.
    for (const s of SUBJECTS) {
      const used = usedGrants(recorded(s.process));
      const granted = grantsOf(s.role.rules as PolicyRule[]).map(grantKey);
      expect({ process: s.process, grantedButUnused: granted.filter((g) => !used.has(g)).sort() }).toEqual({ process: s.process, grantedButUnused: [] });
      expect({ process: s.process, usedButNotGranted: [...used].filter((u) => !granted.includes(u)).sort() }).toEqual({ process: s.process, usedButNotGranted: [] });
    }
    // The controller's own request count names the same (verb, resource) pairs as the wire.
    const fromMetrics = new Set([...metrics.keys()].filter((k) => k.startsWith("kube_api_requests_total{")).map((k) => `${label(k, "verb")} ${label(k, "resource")}`));
    const fromWire = new Set(recorded("controller").map((r) => `${r.attributes?.verb} ${r.attributes?.resource}`));
    expect([...fromMetrics].sort()).toEqual([...fromWire].sort());
  }, 120_000);

  test("service mode: kubectl applies the shipped configuration; the webhook's registration adds its caBundle; a re-apply keeps it", async () => {
    await adminKubectl(stage, ["delete", "validatingwebhookconfiguration", CONFIGURATION, "--ignore-not-found"]);
    const shipped = structuredClone(theObject(rendered, "ValidatingWebhookConfiguration"));
    // The shipped object matches every namespace; on a shared apiserver it may match only this suite's.
    shipped.webhooks[0].namespaceSelector = { matchLabels: { [SELECTOR_LABEL]: "true" } };
    await applyAsAdmin(stage, [shipped]);
    const from = stage.proxy.requests.length;
    const webhook = await startWebhookReady(stage, "service");
    processes.push(webhook);
    const live = async () => (await stage.admin.request("GET", `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${CONFIGURATION}`)).body;
    const registered = await live();
    const ca = await Bun.file(join(stage.work, "webhook-certs", "ca.crt")).text();
    expect(Buffer.from(registered.webhooks[0].clientConfig.caBundle, "base64").toString()).toBe(ca);
    const { caBundle: _, ...clientConfig } = registered.webhooks[0].clientConfig;
    expect(clientConfig).toEqual(shipped.webhooks[0].clientConfig);
    expect(registered.webhooks[0]).toMatchObject(shipped.webhooks[0]);
    // The object existed: the registration was a patch, not a create.
    expect(recorded("webhook", from).map((r) => `${r.method} ${r.status}`)).toEqual(["PATCH 200"]);
    expect(await webhook.stop()).toBe(0);

    await applyAsAdmin(stage, [shipped]); // what `kubectl apply -k` does on an upgrade
    expect((await live()).webhooks[0].clientConfig.caBundle).toBe(registered.webhooks[0].clientConfig.caBundle);
    await adminKubectl(stage, ["delete", "validatingwebhookconfiguration", CONFIGURATION]);
  }, 60_000);

  for (const s of SUBJECTS) {
    for (const grant of grantsOf(s.role.rules as PolicyRule[])) {
      test(`missing verb: ${s.process} without ${grantKey(grant)}: the request that needs it is refused with 403, and the operator can see it`, async () => {
        const run = await runWithout(stage, s.process, s.user, s.role, grant);
        if (process.env.DEPLOY_E2E_VERBOSE) console.log(run.refused.map(describeRequest).join("\n"));
        expect(run.refused.length).toBeGreaterThan(0);
        // Visible without the proxy: the controller counts it (kube_api_requests_total{code="403"}) or
        // logs it (a watch refusal only in the log, a refused Lease acquire only in the count); the
        // webhook logs its failed registration.
        expect({ grant: grantKey(grant), visible: run.countedForbidden > 0 || run.loggedForbidden.length > 0 }).toEqual({ grant: grantKey(grant), visible: true });
      }, 60_000);
    }
  }
}

function label(sample: string, name: string): string {
  return new RegExp(`${name}="([^"]*)"`).exec(sample)?.[1] ?? "";
}
