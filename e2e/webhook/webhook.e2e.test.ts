/**
 * The webhook process against a real kube-apiserver (v1.20.2, tools/real-apiserver): registration,
 * denials as kubectl prints them, and certificate rotation (serving certificate and CA, by restart and
 * live). Needs CA_REAL_KUBECONFIG; for a local run:
 *   tools/real-apiserver/start.sh /tmp/ca-api 6543 && CA_REAL_KUBECONFIG=/tmp/ca-api/kubeconfig bun test e2e/webhook
 *
 * The apiserver may be shared with other suites: everything happens in namespace `webhook-e2e`, the
 * webhook configuration has its own name and a namespaceSelector that matches only that namespace (the
 * production registration has no selector), and it is deleted at the end.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readFile, rm, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kubectlFor, must, patchStatus, type Kubectl } from "./kube-cli.ts";
import { freePort, metricValue, REPO_ROOT, startWebhook, waitReady, type WebhookProcess } from "./webhook-process.ts";

const KUBECONFIG = process.env.CA_REAL_KUBECONFIG;
const NAMESPACE = "webhook-e2e";
const SELECTOR_LABEL = "container-actions.rancherdesktop.io/webhook-e2e";
const CONFIGURATION = "container-actions-webhook-e2e";
const WEBHOOK_NAME = "container-actions.containers.rancherdesktop.io";
const ACTION = "containers.rancherdesktop.io/action";
const RESOURCE = "containers.containers.rancherdesktop.io";
const MIRROR = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
const HAND_WRITTEN = "deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
const TEST_MS = 60_000;

if (KUBECONFIG === undefined || KUBECONFIG === "") {
  test("webhook e2e: CA_REAL_KUBECONFIG must point to a running kube-apiserver", () => {
    throw new Error(
      "CA_REAL_KUBECONFIG is not set. Start one with `tools/real-apiserver/start.sh /tmp/ca-api 6543` and " +
        "`export CA_REAL_KUBECONFIG=/tmp/ca-api/kubeconfig` (CI sets it). This suite never skips.",
    );
  });
} else {
  describe("webhook e2e against a real kube-apiserver", () => suite(KUBECONFIG));
}

function suite(kubeconfig: string): void {
  const kubectl: Kubectl = kubectlFor(kubeconfig);
  let work = "";
  let certDir = "";
  let listenPort = 0;
  let webhook: WebhookProcess | undefined;
  const started: WebhookProcess[] = [];
  const suiteStartMs = Date.now();

  const launch = async (): Promise<WebhookProcess> => {
    const process = startWebhook(
      [
        "--listen-port", String(listenPort),
        "--cert-dir", certDir,
        "--register",
        "--kubeconfig", kubeconfig,
        "--configuration-name", CONFIGURATION,
        "--namespace-selector", `${SELECTOR_LABEL}=true`,
        "--cert-check-interval", "1s",
        "--ca-propagation", "1s",
        "--log-level", "debug",
      ],
      { probePort: freePort(), logFile: join(work, "webhook.log") },
    );
    started.push(process);
    await waitReady(process);
    return process;
  };

  const annotate = (value: string, ...extra: string[]) =>
    kubectl(["annotate", "-n", NAMESPACE, "--overwrite", ...extra, RESOURCE, MIRROR, value === "" ? `${ACTION}-` : `${ACTION}=${value}`]);

  const getMirror = async (): Promise<{ metadata: { annotations?: Record<string, string> }; status?: { lastAction?: unknown } }> =>
    JSON.parse((await must(kubectl(["get", "-n", NAMESPACE, RESOURCE, MIRROR, "-o", "json"]), "get mirror")).stdout);

  /** The apiserver picks up a new or changed configuration through a watch: wait until it calls us. */
  const waitEnforced = async (timeoutMs = 15_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < deadline) {
      const r = await annotate("bogus", "--dry-run=server");
      last = r.output;
      if (r.exitCode !== 0 && r.output.includes(`admission webhook "${WEBHOOK_NAME}" denied the request`)) return;
      await Bun.sleep(200);
    }
    throw new Error(`the apiserver does not call the webhook yet; last output: ${last}`);
  };

  const registeredCaBundle = async (): Promise<string> => {
    const r = await must(
      kubectl(["get", "validatingwebhookconfiguration", CONFIGURATION, "-o", "jsonpath={.webhooks[0].clientConfig.caBundle}"]),
      "get configuration",
    );
    return Buffer.from(r.stdout, "base64").toString("utf8");
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "webhook-e2e-"));
    certDir = join(work, "certs");
    listenPort = freePort();
    await must(kubectl(["apply", "-f", join(REPO_ROOT, "deploy/crd/containers.yaml")]), "install CRD");
    await must(kubectl(["wait", "--for", "condition=Established", "--timeout=30s", `crd/${RESOURCE}`]), "CRD Established");
    await must(
      kubectl(["apply", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE, labels: { [SELECTOR_LABEL]: "true" } } })),
      "namespace",
    );
    await kubectl(["delete", "-n", NAMESPACE, RESOURCE, "--all", "--wait=false"]);
    webhook = await launch();
    // A mirror-like Container: created without the annotation (allowed), status through the subresource.
    await must(
      kubectl(["create", "-f", "-"], JSON.stringify({ apiVersion: "containers.rancherdesktop.io/v1alpha1", kind: "Container", metadata: { name: MIRROR, namespace: NAMESPACE } })),
      "create mirror",
    );
    await patchStatus(kubectl, `/apis/containers.rancherdesktop.io/v1alpha1/namespaces/${NAMESPACE}/containers/${MIRROR}`, {
      name: "web",
      namespace: "moby",
      path: "nginx",
      image: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      status: "running",
    });
    await waitEnforced();
  }, TEST_MS);

  afterAll(async () => {
    for (const p of started) await p.stop();
    await kubectl(["delete", "validatingwebhookconfiguration", CONFIGURATION, "--ignore-not-found"]);
    await kubectl(["delete", "-n", NAMESPACE, RESOURCE, "--all", "--wait=false"]);
    // WEBHOOK_E2E_KEEP=1 keeps the certificates and the webhook's log for a look afterwards.
    if (work !== "" && process.env.WEBHOOK_E2E_KEEP !== "1") await rm(work, { recursive: true, force: true });
    else if (work !== "") console.log(`webhook e2e: kept ${work}`);
    console.log(`webhook e2e: ${((Date.now() - suiteStartMs) / 1000).toFixed(1)} s`);
  }, TEST_MS);

  test("the registration: our rules, failurePolicy Fail, url clientConfig with our CA", async () => {
    const config = JSON.parse((await must(kubectl(["get", "validatingwebhookconfiguration", CONFIGURATION, "-o", "json"]), "get")).stdout);
    const hook = config.webhooks[0];
    expect(hook).toMatchObject({
      name: WEBHOOK_NAME,
      failurePolicy: "Fail",
      sideEffects: "None",
      matchPolicy: "Equivalent",
      timeoutSeconds: 5,
      admissionReviewVersions: ["v1"],
      namespaceSelector: { matchLabels: { [SELECTOR_LABEL]: "true" } },
      rules: [{ apiGroups: ["containers.rancherdesktop.io"], apiVersions: ["v1alpha1"], resources: ["containers"], operations: ["CREATE", "UPDATE"] }],
    });
    expect(hook.clientConfig.url).toBe(`https://127.0.0.1:${listenPort}/validate-containers-rancherdesktop-io-v1alpha1-container`);
    expect(await registeredCaBundle()).toBe(await readFile(join(certDir, "ca.crt"), "utf8"));
  });

  test("kubectl annotate with a bogus action is denied; lastAction stays unset", async () => {
    const r = await annotate("bogus");
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toContain(`admission webhook "${WEBHOOK_NAME}" denied the request`);
    expect(r.output).toContain("invalid");
    expect(r.output).toContain('"bogus"');
    const mirror = await getMirror();
    expect(mirror.metadata.annotations?.[ACTION]).toBeUndefined();
    expect(mirror.status?.lastAction).toBeUndefined();
    expect(await metricValue(webhook!, 'container_actions_webhook_denials_total{rule="invalid-action"}')).toBeGreaterThan(0);
  }, TEST_MS);

  test("near misses are denied too: Start, ' stop'", async () => {
    for (const value of ["Start", " stop"]) {
      const r = await annotate(value);
      expect(r.exitCode).not.toBe(0);
      expect(r.output).toContain("invalid");
    }
  }, TEST_MS);

  test("kubectl apply of a hand-written Container carrying the action annotation fails: not allowed on create", async () => {
    const file = join(work, "hand-written.yaml");
    await Bun.write(
      file,
      `apiVersion: containers.rancherdesktop.io/v1alpha1\nkind: Container\nmetadata:\n  name: ${HAND_WRITTEN}\n  namespace: ${NAMESPACE}\n  annotations:\n    ${ACTION}: start\n`,
    );
    const r = await kubectl(["apply", "-f", file]);
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toContain(`admission webhook "${WEBHOOK_NAME}" denied the request`);
    expect(r.output).toContain("not allowed on create");
    const get = await kubectl(["get", "-n", NAMESPACE, RESOURCE, HAND_WRITTEN]);
    expect(get.exitCode).not.toBe(0);
    expect(get.output).toContain("NotFound");
  }, TEST_MS);

  test("kubectl create of a Container named like a Docker container's NAME (demo-worker) fails with no engine identity configured", async () => {
    const r = await kubectl(["create", "-f", "-"], JSON.stringify({ apiVersion: "containers.rancherdesktop.io/v1alpha1", kind: "Container", metadata: { name: "demo-worker", namespace: NAMESPACE } }));
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toContain(`admission webhook "${WEBHOOK_NAME}" denied the request`);
    expect(r.output).toContain('Container name "demo-worker" is not a full 64-hex Docker container ID');
    expect((await kubectl(["get", "-n", NAMESPACE, RESOURCE, "demo-worker"])).output).toContain("NotFound");
  }, TEST_MS);

  test("a valid action annotation passes; removing it passes", async () => {
    expect((await annotate("stop")).exitCode).toBe(0);
    expect((await getMirror()).metadata.annotations?.[ACTION]).toBe("stop");
    expect((await annotate("")).exitCode).toBe(0);
    expect((await getMirror()).metadata.annotations?.[ACTION]).toBeUndefined();
  }, TEST_MS);

  test("dry-run requests are judged the same way", async () => {
    expect((await annotate("restart", "--dry-run=server")).exitCode).toBe(0);
    expect((await annotate("bogus", "--dry-run=server")).exitCode).not.toBe(0);
    expect((await getMirror()).metadata.annotations?.[ACTION]).toBeUndefined();
  }, TEST_MS);

  test("restart with the serving certificate removed: a new one from the same CA, caBundle still valid", async () => {
    const caBefore = await readFile(join(certDir, "ca.crt"), "utf8");
    const leafBefore = await readFile(join(certDir, "tls.crt"), "utf8");
    expect(await webhook!.stop()).toBe(0); // SIGTERM: finishes in-flight requests, exits 0
    await unlink(join(certDir, "tls.crt"));
    webhook = await launch();
    expect(await readFile(join(certDir, "ca.crt"), "utf8")).toBe(caBefore);
    expect(await readFile(join(certDir, "tls.crt"), "utf8")).not.toBe(leafBefore);
    expect(await registeredCaBundle()).toBe(caBefore);
    expect((await annotate("restart")).exitCode).toBe(0);
    expect((await annotate("bogus")).exitCode).not.toBe(0);
    expect((await annotate("")).exitCode).toBe(0);
  }, TEST_MS);

  test("live: the serving certificate is replaced without a restart while the apiserver keeps calling", async () => {
    const reloadsBefore = await metricValue(webhook!, 'container_actions_webhook_certificate_reloads_total{reason="renewed"}');
    const leafBefore = await readFile(join(certDir, "tls.crt"), "utf8");
    // Keep admission traffic flowing through the apiserver while the certificate changes.
    let stop = false;
    const outcomes: string[] = [];
    const traffic = (async () => {
      while (!stop) {
        const r = await annotate("bogus", "--dry-run=server");
        outcomes.push(r.output.includes("denied the request") ? "denied" : `other: ${r.output.trim()}`);
      }
    })();
    await unlink(join(certDir, "tls.crt"));
    const deadline = Date.now() + 15_000;
    while ((await metricValue(webhook!, 'container_actions_webhook_certificate_reloads_total{reason="renewed"}')) <= reloadsBefore) {
      if (Date.now() > deadline) throw new Error("the serving certificate was not replaced");
      await Bun.sleep(100);
    }
    await Bun.sleep(1000);
    stop = true;
    await traffic;
    expect(await readFile(join(certDir, "tls.crt"), "utf8")).not.toBe(leafBefore);
    expect(outcomes.length).toBeGreaterThan(3);
    console.log(`webhook e2e: ${outcomes.length} admission calls through the apiserver during the live replacement, all denied by the webhook`);
    expect(outcomes.filter((o) => o !== "denied")).toEqual([]);
    expect((await annotate("pause")).exitCode).toBe(0);
    expect((await annotate("")).exitCode).toBe(0);
  }, TEST_MS);

  test("live: a new CA is published (old+new, then new) before the listener switches to it", async () => {
    const caBefore = await readFile(join(certDir, "ca.crt"), "utf8");
    const appliedBefore = await metricValue(webhook!, 'container_actions_webhook_registrations_total{result="applied"}');
    await unlink(join(certDir, "ca.key"));
    const deadline = Date.now() + 20_000;
    while ((await metricValue(webhook!, 'container_actions_webhook_certificate_reloads_total{reason="rotated-ca"}')) < 1) {
      if (Date.now() > deadline) throw new Error("the CA was not rotated");
      await Bun.sleep(100);
    }
    const caAfter = await readFile(join(certDir, "ca.crt"), "utf8");
    expect(caAfter).not.toBe(caBefore);
    expect(await registeredCaBundle()).toBe(caAfter);
    // Two writes: the old+new bundle before the switch, the new CA alone after it.
    expect(await metricValue(webhook!, 'container_actions_webhook_registrations_total{result="applied"}')).toBe(appliedBefore + 2);
    await waitEnforced();
    expect((await annotate("unpause")).exitCode).toBe(0);
    expect((await annotate("")).exitCode).toBe(0);
  }, TEST_MS);

  test("restart with the CA removed: registration patches the caBundle to the new CA", async () => {
    expect(await webhook!.stop()).toBe(0);
    const caBefore = await readFile(join(certDir, "ca.crt"), "utf8");
    await unlink(join(certDir, "ca.crt"));
    webhook = await launch();
    const caAfter = await readFile(join(certDir, "ca.crt"), "utf8");
    expect(caAfter).not.toBe(caBefore);
    expect(await registeredCaBundle()).toBe(caAfter);
    await waitEnforced();
    expect((await annotate("start")).exitCode).toBe(0);
    expect((await annotate("")).exitCode).toBe(0);
  }, TEST_MS);

  test("status writes do not go through the webhook", async () => {
    const before = await metricValue(webhook!, 'container_actions_webhook_requests_total{operation="UPDATE",result="allowed"}');
    await patchStatus(kubectl, `/apis/containers.rancherdesktop.io/v1alpha1/namespaces/${NAMESPACE}/containers/${MIRROR}`, { status: "exited" });
    expect(await metricValue(webhook!, 'container_actions_webhook_requests_total{operation="UPDATE",result="allowed"}')).toBe(before);
  }, TEST_MS);
}
