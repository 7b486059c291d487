/**
 * The webhook's Prometheus metrics, on a registry of its own (no global state): admission requests by
 * operation and result, denials by rule, review latency, certificate expiry and registrations.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** How a review ended: the `result` label. */
export const ReviewResult = {
  allowed: "allowed",
  denied: "denied",
  /** Another resource: allowed with a warning, not judged. */
  unjudged: "unjudged",
  /** Answered 400: not an AdmissionReview we can read. */
  malformed: "malformed",
} as const;
export type ReviewResult = (typeof ReviewResult)[keyof typeof ReviewResult];

export interface WebhookMetrics {
  readonly registry: Registry;
  /** Counts one review and records its latency. `operation` is "unknown" when the body could not be read. */
  observeReview(operation: string, result: ReviewResult, durationSeconds: number): void;
  countDenial(rule: string): void;
  /** The serving certificate's notAfter, in epoch seconds. */
  setCertificateNotAfter(epochSeconds: number): void;
  countCertificateReload(reason: string): void;
  countRegistration(result: "applied" | "failed"): void;
}

const PREFIX = "container_actions_webhook_";

export function createWebhookMetrics(): WebhookMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: `${PREFIX}requests_total`,
    help: "AdmissionReview requests answered, by operation and result (allowed, denied, unjudged, malformed).",
    labelNames: ["operation", "result"] as const,
    registers: [registry],
  });
  const denials = new Counter({
    name: `${PREFIX}denials_total`,
    help: "Denied admission requests, by the core rule that denied them.",
    labelNames: ["rule"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: `${PREFIX}request_duration_seconds`,
    help: "Time from receiving an AdmissionReview to having its response, in seconds.",
    labelNames: ["operation"] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const notAfter = new Gauge({
    name: `${PREFIX}certificate_not_after_seconds`,
    help: "Expiry of the serving certificate in use, as a Unix time in seconds.",
    registers: [registry],
  });
  const reloads = new Counter({
    name: `${PREFIX}certificate_reloads_total`,
    help: "Serving certificate replacements without restart, by reason (renewed, rotated-ca, files-changed).",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  const registrations = new Counter({
    name: `${PREFIX}registrations_total`,
    help: "Writes of the ValidatingWebhookConfiguration, by result.",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  return {
    registry,
    observeReview(operation, result, durationSeconds) {
      requests.inc({ operation, result });
      latency.observe({ operation }, durationSeconds);
    },
    countDenial(rule) {
      denials.inc({ rule });
    },
    setCertificateNotAfter(epochSeconds) {
      notAfter.set(epochSeconds);
    },
    countCertificateReload(reason) {
      reloads.inc({ reason });
    },
    countRegistration(result) {
      registrations.inc({ result });
    },
  };
}
