/**
 * The generated YAML under deploy/: the example ValidatingWebhookConfiguration (from the object the
 * registration applies) and the ValidatingAdmissionPolicy + binding (from cel/). Rendered here, written
 * by write-manifests.ts, and compared with the committed files by manifests.test.ts.
 */
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { admissionPolicy, admissionPolicyBinding } from "../cel/index.ts";
import { CONFIGURATION_NAME_DEFAULT, webhookConfiguration } from "../registration/index.ts";

const deploy = (path: string) => fileURLToPath(new URL(`../../../../deploy/${path}`, import.meta.url));

export const WEBHOOK_CONFIGURATION_PATH = deploy("webhook/validatingwebhookconfiguration.yaml");
export const ADMISSION_POLICY_PATH = deploy("admission-policy/admission-policy.yaml");

/** Stands in for the base64 CA bundle; not valid base64, so applying the file unedited fails loudly. */
export const CA_BUNDLE_PLACEHOLDER = "${CA_BUNDLE}";

const HEADER = (source: string) => `# Generated from ${source} by \`bun run --cwd apps/webhook generate\`. Do not edit.\n`;

/** Service mode, the default Service name/namespace, no namespace selector, caBundle placeholder. */
export function renderWebhookConfigurationYaml(): string {
  const config = webhookConfiguration({
    configurationName: CONFIGURATION_NAME_DEFAULT,
    endpoint: { kind: "service", namespace: "container-actions", name: "container-actions-webhook", port: 443 },
    caBundlePem: "",
  });
  for (const webhook of config.webhooks ?? []) webhook.clientConfig.caBundle = CA_BUNDLE_PLACEHOLDER;
  return (
    HEADER("apps/webhook/src/registration/webhook-configuration.ts") +
    "# Example for an in-cluster install: replace ${CA_BUNDLE} with the base64 PEM of the CA that signs\n" +
    "# the webhook's serving certificate (or let cert-manager's cainjector set it). In local mode the\n" +
    "# webhook registers itself (--register) with a url clientConfig and the caBundle it generated.\n" +
    stringify(config, { lineWidth: 0 })
  );
}

/** The policy with no engine identity (anyone authorized may create), and its Deny binding. */
export function renderAdmissionPolicyYaml(engineIdentities: readonly string[] = []): string {
  return (
    HEADER("apps/webhook/src/cel/admission-policy.ts") +
    "# Needs Kubernetes >= 1.30 (ValidatingAdmissionPolicy GA). See README.md beside this file.\n" +
    stringify(admissionPolicy({ engineIdentities }), { lineWidth: 0 }) +
    "---\n" +
    stringify(admissionPolicyBinding(), { lineWidth: 0 })
  );
}
