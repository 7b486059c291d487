/**
 * The ValidatingWebhookConfiguration the webhook registers, as a plain object built from a few
 * choices. The registration code applies it and deploy/webhook/ renders it, so both come from here.
 */
import type { V1ValidatingWebhookConfiguration } from "@kubernetes/client-node";
import { GROUP, PLURAL, VERSION } from "@container-actions/core";
import { ADMISSION_PATH } from "../admission-routes.ts";

/** The configuration object's name. */
export const CONFIGURATION_NAME_DEFAULT = "container-actions-webhook";
/**
 * The webhook's name: what `kubectl` prints in a denial,
 * `admission webhook "container-actions.containers.rancherdesktop.io" denied the request: …`.
 */
export const WEBHOOK_NAME = `container-actions.${GROUP}`;
/** The field manager of our server-side apply. */
export const FIELD_MANAGER = "container-actions-webhook";

/** Where the apiserver calls the webhook. */
export type WebhookEndpoint =
  /** Local mode: a URL the apiserver reaches directly, e.g. `https://127.0.0.1:9443/validate-…`. */
  | { kind: "url"; url: string }
  /** In-cluster mode: a Service in front of the webhook Pods. */
  | { kind: "service"; namespace: string; name: string; port: number };

export interface WebhookConfigurationSpec {
  configurationName: string;
  endpoint: WebhookEndpoint;
  /** PEM of the CA(s) that sign the serving certificate; empty: no caBundle (something else injects it). */
  caBundlePem: string;
  /**
   * Limit the webhook to namespaces with these labels. Production registers no selector (every
   * namespace); tests sharing an apiserver use one so that a leftover registration cannot affect
   * other suites.
   */
  namespaceSelector?: Record<string, string>;
}

/** The apiserver's wait for an answer. The webhook answers in well under a millisecond. */
export const TIMEOUT_SECONDS = 5;

export function webhookConfiguration(spec: WebhookConfigurationSpec): V1ValidatingWebhookConfiguration {
  const clientConfig =
    spec.endpoint.kind === "url"
      ? { url: spec.endpoint.url }
      : { service: { namespace: spec.endpoint.namespace, name: spec.endpoint.name, path: ADMISSION_PATH, port: spec.endpoint.port } };
  const caBundle = spec.caBundlePem === "" ? {} : { caBundle: Buffer.from(spec.caBundlePem).toString("base64") };
  const selector =
    spec.namespaceSelector && Object.keys(spec.namespaceSelector).length > 0 ? { namespaceSelector: { matchLabels: { ...spec.namespaceSelector } } } : {};
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingWebhookConfiguration",
    metadata: { name: spec.configurationName, labels: { "app.kubernetes.io/name": "container-actions-webhook" } },
    webhooks: [
      {
        name: WEBHOOK_NAME,
        admissionReviewVersions: ["v1"],
        sideEffects: "None",
        failurePolicy: "Fail",
        matchPolicy: "Equivalent",
        timeoutSeconds: TIMEOUT_SECONDS,
        clientConfig: { ...clientConfig, ...caBundle },
        ...selector,
        // `containers` only, not `containers/status`: status writes (the controller's) never come here.
        rules: [{ apiGroups: [GROUP], apiVersions: [VERSION], resources: [PLURAL], operations: ["CREATE", "UPDATE"], scope: "Namespaced" }],
      },
    ],
  };
}

/** The URL for local mode: the apiserver calls the listener directly. */
export function localWebhookUrl(host: string, port: number): string {
  const literal = host.includes(":") ? `[${host}]` : host;
  return `https://${literal}:${port}${ADMISSION_PATH}`;
}
