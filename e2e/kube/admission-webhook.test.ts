/**
 * Validating admission webhooks called over HTTPS by the simulated apiserver and by a real one: the
 * same configuration, the same webhook process, the same answers (denials keep the webhook's code,
 * 400 when it gives none; an unreachable webhook under failurePolicy Fail is a 500 InternalError).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateTlsMaterial } from "@container-actions/fake-apiserver";
import { CONTAINERS_PATH, KUBE_BACKENDS, type TestCluster, startCluster } from "./cluster-backends.ts";

const tls = generateTlsMaterial(join(mkdtempSync(join(tmpdir(), "e2e-webhook-")), "pki"), { user: "unused", groups: [] });
const CA_BUNDLE = Buffer.from(tls.caCert).toString("base64");

interface Review {
  request: { uid: string; operation: string; subResource?: string; object: { metadata: { annotations?: Record<string, string> } } };
}

/** Denies objects annotated e2e/deny; the value "403" makes it answer with a code and reason. */
function startWebhook() {
  const seen: Array<{ operation: string; subResource: string }> = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    tls: { cert: tls.serverCert, key: tls.serverKey },
    async fetch(req) {
      const review = (await req.json()) as Review;
      const r = review.request;
      seen.push({ operation: r.operation, subResource: r.subResource ?? "" });
      const deny = r.object?.metadata?.annotations?.["e2e/deny"];
      const response: Record<string, unknown> = { uid: r.uid, allowed: deny === undefined };
      if (deny !== undefined) response.status = deny === "403" ? { code: 403, reason: "Forbidden", message: "denied by e2e" } : { message: "denied by e2e" };
      return Response.json({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response });
    },
  });
  return { server, seen, url: `https://127.0.0.1:${server.port}/validate` };
}

function configuration(name: string, webhookName: string, url: string, namespaceLabel: string): unknown {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingWebhookConfiguration",
    metadata: { name },
    webhooks: [
      {
        name: webhookName,
        clientConfig: { url, caBundle: CA_BUNDLE },
        rules: [{ operations: ["CREATE", "UPDATE"], apiGroups: ["containers.rancherdesktop.io"], apiVersions: ["v1alpha1"], resources: ["containers"], scope: "Namespaced" }],
        namespaceSelector: { matchLabels: { "e2e-webhook": namespaceLabel } },
        failurePolicy: "Fail",
        sideEffects: "None",
        admissionReviewVersions: ["v1"],
        timeoutSeconds: 5,
      },
    ],
  };
}

const container = (name: string, annotations?: Record<string, string>) => ({
  apiVersion: "containers.rancherdesktop.io/v1alpha1",
  kind: "Container",
  metadata: { name, ...(annotations ? { annotations } : {}) },
});

for (const backend of KUBE_BACKENDS) {
  describe(`admission webhooks on ${backend}`, () => {
    let cluster: TestCluster;
    const hook = startWebhook();
    const created: string[] = [];
    let ns = "";
    let deadNs = "";

    /** Creates, retrying until the configuration is in effect (the real apiserver picks it up within a second). */
    async function createUntilDenied(namespace: string, name: string, annotations: Record<string, string>) {
      for (let i = 0; ; i++) {
        const r = await cluster.request("POST", `${CONTAINERS_PATH}/namespaces/${namespace}/containers`, container(`${name}-${i}`, annotations));
        if (r.code !== 201 || i >= 50) return r;
        await Bun.sleep(100);
      }
    }

    beforeAll(async () => {
      cluster = await startCluster({ backend });
      ns = await cluster.freshNamespace("webhook");
      deadNs = await cluster.freshNamespace("deadhook");
      await cluster.request("PATCH", `/api/v1/namespaces/${ns}`, { metadata: { labels: { "e2e-webhook": ns } } }, "application/merge-patch+json");
      await cluster.request("PATCH", `/api/v1/namespaces/${deadNs}`, { metadata: { labels: { "e2e-webhook": deadNs } } }, "application/merge-patch+json");
      for (const [name, hookName, url, label] of [
        [`e2e-${ns}`, "deny.e2e.io", hook.url, ns],
        [`e2e-${deadNs}`, "unreachable.e2e.io", "https://127.0.0.1:1/validate", deadNs],
      ] as const) {
        const r = await cluster.request("POST", "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations", configuration(name, hookName, url, label));
        expect(r.code).toBe(201);
        created.push(name);
      }
    }, 90_000);

    afterAll(async () => {
      for (const name of created) await cluster.request("DELETE", `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${name}`);
      hook.server.stop(true);
      await cluster?.stop();
    });

    test("a denial without a code is a 400 with the webhook's message", async () => {
      const r = await createUntilDenied(ns, "plain", { "e2e/deny": "yes" });
      expect(r.code).toBe(400);
      expect(r.body).toEqual({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: 'admission webhook "deny.e2e.io" denied the request: denied by e2e',
        code: 400,
      });
    }, 30_000);

    test("a denial with code 403 keeps the code and the reason", async () => {
      const r = await createUntilDenied(ns, "coded", { "e2e/deny": "403" });
      expect(r.code).toBe(403);
      expect(r.body).toMatchObject({ reason: "Forbidden", message: 'admission webhook "deny.e2e.io" denied the request: denied by e2e', code: 403 });
    }, 30_000);

    test("allowed objects pass; status writes are not sent to a rule for containers only", async () => {
      const ok = await cluster.request("POST", `${CONTAINERS_PATH}/namespaces/${ns}/containers`, container("allowed"));
      expect(ok.code).toBe(201);
      const before = hook.seen.length;
      const status = { status: { name: "web", namespace: "moby", path: "/bin/sh", image: "sha256:1", status: "running" } };
      const r = await cluster.request("PATCH", `${CONTAINERS_PATH}/namespaces/${ns}/containers/allowed/status`, status, "application/merge-patch+json");
      expect(r.code).toBe(200);
      expect(hook.seen.slice(before)).toEqual([]);
    });

    test("an unreachable webhook under failurePolicy Fail: 500 InternalError naming the webhook", async () => {
      const r = await createUntilDenied(deadNs, "nohook", {});
      expect(r.code).toBe(500);
      const body = r.body as { reason: string; message: string; details: { causes: Array<{ message: string }> } };
      expect(body.reason).toBe("InternalError");
      expect(body.message).toStartWith('Internal error occurred: failed calling webhook "unreachable.e2e.io": Post "https://127.0.0.1:1/validate?timeout=5s": ');
      expect(body.message).toEndWith("dial tcp 127.0.0.1:1: connect: connection refused");
      expect(body.details.causes[0]?.message).toStartWith('failed calling webhook "unreachable.e2e.io": ');
    }, 30_000);
  });
}
