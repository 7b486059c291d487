import type { ControllerMetrics } from "./controller-metrics.ts";
import { readinessReport, type ReadinessCheck } from "./readiness.ts";

export interface HealthServer {
  /** The bound address (the port is real even when 0 was asked for). */
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves /metrics (Prometheus text), /healthz (the process is alive and its event loop answers) and
 * /readyz (every readiness check passes) on one address.
 */
export function serveHealth(options: { host: string; port: number; metrics: ControllerMetrics; checks: readonly ReadinessCheck[] }): HealthServer {
  const server = Bun.serve({
    hostname: options.host,
    port: options.port,
    async fetch(request) {
      const path = new URL(request.url).pathname;
      switch (path) {
        case "/metrics": {
          const { body, contentType } = await options.metrics.render();
          return new Response(body, { headers: { "Content-Type": contentType } });
        }
        case "/healthz":
          return new Response("ok\n");
        case "/readyz": {
          const report = readinessReport(options.checks);
          return new Response(report.body, { status: report.ready ? 200 : 503 });
        }
        default:
          return new Response("not found\n", { status: 404 });
      }
    },
  });
  return {
    url: `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${server.port}`,
    stop: () => server.stop(true),
  };
}
