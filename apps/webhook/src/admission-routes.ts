/**
 * The admission route group: POST AdmissionReview v1 for Containers, answered with core's verdict.
 *
 * Path: `/validate-containers-rancherdesktop-io-v1alpha1-container`, controller-runtime's convention
 * (`/validate-<group, dots as dashes>-<version>-<lowercase kind>`) and the path the original rdd
 * webhook served; `/validate-containers` is a short alias. Status codes: 200 with an AdmissionReview
 * for every request that is one (a denial is `allowed: false` inside a 200); 400 with a JSON error
 * for anything else (not JSON, wrong apiVersion/kind, missing fields, body over the size cap).
 */
import { Elysia } from "elysia";
import type { AdmissionConfig } from "@container-actions/core";
import { reviewAdmission } from "./admission-review.ts";
import { ReviewResult, type Logger, type WebhookMetrics } from "./observability/index.ts";
import { readJsonBody } from "./request-body.ts";

export const ADMISSION_PATH = "/validate-containers-rancherdesktop-io-v1alpha1-container";
export const ADMISSION_PATH_ALIAS = "/validate-containers";

/**
 * The apiserver caps a write body at 3 MiB and an object in etcd at 1.5 MiB; a review carries the
 * object and the old object, so 4 MiB holds any real review with room for the envelope.
 */
export const MAX_BODY_BYTES_DEFAULT = 4 * 1024 * 1024;

export interface AdmissionRouteDeps {
  admission: AdmissionConfig;
  metrics: WebhookMetrics;
  logger: Logger;
  maxBodyBytes: number;
}

/** The JSON body of a 400. */
export interface BadRequestBody {
  error: "BadRequest";
  message: string;
}

export function admissionRoutes(deps: AdmissionRouteDeps) {
  const handle = async ({ request }: { request: Request }): Promise<Response> => {
    const startedMs = performance.now();
    const finish = (operation: string, result: ReviewResult): void =>
      deps.metrics.observeReview(operation, result, (performance.now() - startedMs) / 1000);

    const read = await readJsonBody(request, deps.maxBodyBytes);
    if (read.kind !== "json") {
      const message =
        read.kind === "too-large"
          ? `body exceeds ${read.limitBytes} bytes`
          : read.kind === "empty"
            ? "empty body: expected an AdmissionReview"
            : `body is not JSON: ${read.detail}`;
      return badRequest(message, () => finish("unknown", ReviewResult.malformed), deps.logger);
    }
    const outcome = reviewAdmission(read.value, deps.admission);
    switch (outcome.kind) {
      case "malformed":
        return badRequest(outcome.detail, () => finish(outcome.operation ?? "unknown", ReviewResult.malformed), deps.logger);
      case "allowed":
        finish(outcome.request.operation, ReviewResult.allowed);
        return Response.json(outcome.body);
      case "unjudged":
        finish(outcome.request.operation, ReviewResult.unjudged);
        deps.logger.debug({ request: outcome.request }, "not a Container request: allowed unjudged");
        return Response.json(outcome.body);
      case "denied": {
        finish(outcome.request.operation, ReviewResult.denied);
        deps.metrics.countDenial(outcome.rule);
        const r = outcome.request;
        deps.logger.info(
          { uid: r.uid, user: r.username, operation: r.operation, object: `${r.namespace}/${r.name}`, dryRun: r.dryRun, rule: outcome.rule, reason: outcome.message },
          "admission denied",
        );
        return Response.json(outcome.body);
      }
      default:
        throw new Error(`unhandled outcome ${JSON.stringify(outcome satisfies never)}`);
    }
  };
  return new Elysia().post(ADMISSION_PATH, handle, { parse: "none" }).post(ADMISSION_PATH_ALIAS, handle, { parse: "none" });
}

function badRequest(message: string, count: () => void, logger: Logger): Response {
  count();
  logger.warn({ reason: message }, "malformed admission request");
  const body: BadRequestBody = { error: "BadRequest", message };
  return Response.json(body, { status: 400 });
}
