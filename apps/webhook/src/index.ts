/**
 * @container-actions/webhook: the validating admission webhook for Containers (Elysia over HTTPS),
 * serving core's admission rules, with certificate bootstrap/rotation, self-registration and probes.
 * main.ts is the process; this index is what tests, e2e and benchmarks import.
 */
export * from "./admission-routes.ts";
export * from "./admission-review.ts";
export * from "./admission-fixtures.ts";
export * from "./webhook-app.ts";
export * from "./config.ts";
export * from "./tls/index.ts";
export * from "./registration/index.ts";
export * from "./observability/index.ts";
export * from "./cel/index.ts";
