import type { ControllerMetrics } from "./controller-metrics.ts";
import { readinessReport, type ReadinessCheck } from "./readiness.ts";

export interface HealthServer {
  /** The bound address (the port is real even when 0 was asked for). */
  url: string;
  stop(): Promise<void>;
}

/**
 * The path of a request URL, without parsing its host: a kubelet probes a pod that has no IP in its
 * status with an empty host (`Host: :9440`), which makes Bun's request.url `http://:9440/readyz`, an
 * invalid URL (seen on a real v1.20 kubelet whose node address is loopback).
 */
export function pathOf(url: string): string {
  return url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "").replace(/[?#].*$/, "") || "/";
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
      const path = pathOf(request.url);
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
