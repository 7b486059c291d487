/**
 * Registration: the ValidatingWebhookConfiguration object (pure, also rendered into deploy/webhook/)
 * and the registrar that applies it with @kubernetes/client-node. Imports core names and the
 * admission path.
 */
export * from "./webhook-configuration.ts";
export * from "./webhook-registrar.ts";
export type { KubeFailure } from "./status-mapping.ts";
