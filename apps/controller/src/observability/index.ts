/**
 * Observability of the controller process: Prometheus metrics, /healthz and /readyz, JSON logs, and the
 * report hook that feeds them from ContainerController's outcomes. Imports core and config only.
 */
export { ControllerMetrics, type QueueStatsSource } from "./controller-metrics.ts";
export { serveHealth, type HealthServer } from "./health-server.ts";
export { createLogger, type Logger } from "./logger.ts";
export { readinessReport, type ReadinessCheck } from "./readiness.ts";
export { createReportHandler, requestInAnnotations, type QueueName } from "./report-handler.ts";
