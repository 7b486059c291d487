import { readRequestSlot, type ContainerController, type ControllerReport, type RawRequest } from "@container-actions/core";
import type { ControllerMetrics } from "./controller-metrics.ts";
import type { Logger } from "./logger.ts";

/** The controller's two work queues, as metrics name them. */
export type QueueName = "actions" | "mirrors";

type Reporter = NonNullable<ConstructorParameters<typeof ContainerController>[0]["report"]>;

export interface ReportHandlerOptions {
  metrics: ControllerMetrics;
  log: Logger;
  /** The request a key holds now, read from the cache, to name it in logs. */
  requestOf: (key: string) => RawRequest | undefined;
}

/**
 * Turns ContainerController reports into metrics and log lines. Reads outcomes only; decides nothing.
 * Log fields: `key`, `action`, `requestId`, `outcome` (and `state`, `error` for a recorded lastAction).
 */
export function createReportHandler(options: ReportHandlerOptions): Reporter {
  const { metrics, log } = options;
  return (report: ControllerReport) => {
    const queue: QueueName = report.kind === "mirror" ? "mirrors" : "actions";
    const key = report.kind === "mirror" ? report.id : report.key;
    const seconds = report.durationMs / 1000;
    const retry = report.outcome.kind === "retry";
    metrics.observePass(queue, report.kind === "finalize" ? `finalize-${report.outcome.kind}` : report.outcome.kind, seconds, retry);
    switch (report.kind) {
      case "action":
        return logAction(report, seconds, options);
      case "finalize": {
        const fields = { key, attempt: report.attempt, outcome: report.outcome.kind, seconds };
        if (report.outcome.kind === "retry") log.warn({ ...fields, why: report.outcome.why }, "Mirror deletion waits");
        else if (report.outcome.kind === "released") log.info(fields, "Mirror deleted: Docker container removed, finalizer released");
        return;
      }
      case "mirror": {
        const fields = { id: key, attempt: report.attempt, outcome: report.outcome.kind, seconds };
        if (report.outcome.kind === "retry") log.warn({ ...fields, why: report.outcome.why }, "Mirror sync will retry");
        else if (report.outcome.kind === "unchanged") log.debug(fields, "Mirror in step");
        else log.info(fields, report.outcome.kind === "removed" ? "Mirror removed: Docker container gone" : "Mirror updated");
        return;
      }
    }
  };
}

function logAction(report: Extract<ControllerReport, { kind: "action" }>, seconds: number, options: ReportHandlerOptions): void {
  const { metrics, log } = options;
  const { outcome } = report;
  const base = { key: report.key, attempt: report.attempt, outcome: outcome.kind, seconds };
  switch (outcome.kind) {
    case "completed": {
      const la = outcome.lastAction;
      const fields = { ...base, action: la?.action, requestId: la?.requestId, state: la?.state, error: la?.error, dispatched: outcome.dispatched, cleared: outcome.cleared };
      if (outcome.dispatched && la !== null) metrics.observeAction(la.action, la.state);
      log.info(fields, outcome.dispatched ? "Action handled" : "Handled request removed");
      return;
    }
    case "dropped": {
      const { action, requestId } = outcome.request;
      metrics.observeAction(action, "Dropped");
      log.warn({ ...base, action, requestId, why: outcome.why }, "Request dropped");
      return;
    }
    case "wait": {
      const request = options.requestOf(report.key);
      log.info({ ...base, action: request?.action, requestId: request?.requestId, why: outcome.why, afterMs: outcome.afterMs }, "Request waits");
      return;
    }
    case "retry": {
      const request = options.requestOf(report.key);
      log.warn({ ...base, action: request?.action, requestId: request?.requestId, why: outcome.why }, "Request kept; will retry");
      return;
    }
    case "gone":
      log.info(base, "Container deleted while its request was handled");
      return;
    case "skipped":
      log.debug({ ...base, why: outcome.why }, "Request skipped");
      return;
    case "idle":
      log.debug(base, "No request");
      return;
  }
}

/** The raw request in a cached Container's annotations, for logs. */
export function requestInAnnotations(annotations: Record<string, string> | undefined): RawRequest | undefined {
  const slot = readRequestSlot(annotations);
  switch (slot.kind) {
    case "empty":
      return undefined;
    case "valid":
      return slot.request;
    case "invalid":
      return slot.raw;
  }
}
