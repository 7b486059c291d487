/**
 * Builds the two Elysia apps the process serves: the admission app (HTTPS) and the probe app (plain
 * HTTP). Kept apart from main.ts so that tests and the benchmark serve exactly what production serves.
 */
import { Elysia } from "elysia";
import { admissionRoutes, type AdmissionRouteDeps } from "./admission-routes.ts";
import { healthRoutes, type Readiness, type WebhookMetrics } from "./observability/index.ts";

export function admissionApp(deps: AdmissionRouteDeps) {
  return new Elysia().use(admissionRoutes(deps));
}

export function probeApp(deps: { readiness: Readiness; metrics: WebhookMetrics }) {
  return new Elysia().use(healthRoutes(deps));
}
