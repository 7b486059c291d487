/**
 * Observability: the pino logger, the Prometheus metrics, readiness checks, and the plain-HTTP route
 * group serving /healthz, /readyz and /metrics. Imports elysia, pino and prom-client only.
 */
export * from "./logger.ts";
export * from "./metrics.ts";
export * from "./readiness.ts";
export { healthRoutes } from "./health-routes.ts";
