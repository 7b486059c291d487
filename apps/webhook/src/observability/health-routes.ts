/**
 * The probe and metrics route group, served over plain HTTP on its own port so that probes need no
 * TLS: /healthz (the process answers), /readyz (every readiness check passes), /metrics (Prometheus).
 */
import { Elysia } from "elysia";
import type { Readiness } from "./readiness.ts";
import type { WebhookMetrics } from "./metrics.ts";

export function healthRoutes(deps: { readiness: Readiness; metrics: WebhookMetrics }) {
  return new Elysia()
    .get("/healthz", () => new Response("ok\n", { headers: { "content-type": "text/plain" } }))
    .get("/readyz", () => {
      const report = deps.readiness.report();
      return Response.json(report, { status: report.ready ? 200 : 503 });
    })
    .get("/metrics", async () => {
      const text = await deps.metrics.registry.metrics();
      return new Response(text, { headers: { "content-type": deps.metrics.registry.contentType } });
    });
}
