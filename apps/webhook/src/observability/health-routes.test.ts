import { describe, expect, test } from "bun:test";
import { probeApp } from "../webhook-app.ts";
import { createReadiness } from "./readiness.ts";
import { createWebhookMetrics } from "./metrics.ts";

describe("probe routes", () => {
  test("/healthz answers while the process runs", async () => {
    const app = probeApp({ readiness: createReadiness(), metrics: createWebhookMetrics() });
    const response = await app.handle(new Request("http://localhost/healthz"));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok\n");
  });

  test("/readyz is 503 until every check passes, then 200", async () => {
    const readiness = createReadiness();
    const app = probeApp({ readiness, metrics: createWebhookMetrics() });
    const get = async () => {
      const r = await app.handle(new Request("http://localhost/readyz"));
      return { status: r.status, body: (await r.json()) as { ready: boolean; checks: Record<string, unknown> } };
    };
    expect((await get()).status).toBe(503); // nothing declared yet
    readiness.set("tls", false, "loading");
    readiness.set("registration", false, "pending");
    expect(await get()).toEqual({
      status: 503,
      body: { ready: false, checks: { tls: { ok: false, detail: "loading" }, registration: { ok: false, detail: "pending" } } },
    });
    readiness.set("tls", true, "generated");
    readiness.set("registration", true, "applied");
    expect((await get()).status).toBe(200);
  });

  test("/metrics serves the Prometheus text format", async () => {
    const metrics = createWebhookMetrics();
    metrics.observeReview("UPDATE", "denied", 0.0002);
    metrics.countDenial("invalid-action");
    metrics.setCertificateNotAfter(1_800_000_000);
    const response = await probeApp({ readiness: createReadiness(), metrics }).handle(new Request("http://localhost/metrics"));
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toContain('container_actions_webhook_requests_total{operation="UPDATE",result="denied"} 1');
    expect(text).toContain('container_actions_webhook_denials_total{rule="invalid-action"} 1');
    expect(text).toContain("container_actions_webhook_certificate_not_after_seconds 1800000000");
  });
});
