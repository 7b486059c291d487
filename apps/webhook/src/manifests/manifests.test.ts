import { describe, expect, test } from "bun:test";
import { parseAllDocuments } from "yaml";
import { ADMISSION_POLICY_PATH, CA_BUNDLE_PLACEHOLDER, renderAdmissionPolicyYaml, renderWebhookConfigurationYaml, WEBHOOK_CONFIGURATION_PATH } from "./manifest-files.ts";

const STALE = "stale: run `bun run --cwd apps/webhook generate` and commit the result";

describe("generated manifests are current", () => {
  test(`deploy/webhook/validatingwebhookconfiguration.yaml (${STALE})`, async () => {
    expect(await Bun.file(WEBHOOK_CONFIGURATION_PATH).text()).toBe(renderWebhookConfigurationYaml());
  });

  test(`deploy/admission-policy/admission-policy.yaml (${STALE})`, async () => {
    expect(await Bun.file(ADMISSION_POLICY_PATH).text()).toBe(renderAdmissionPolicyYaml());
  });

  test("the webhook example: service mode, caBundle placeholder, no selector", () => {
    const [doc] = parseAllDocuments(renderWebhookConfigurationYaml()).map((d) => d.toJS());
    expect(doc.webhooks[0].clientConfig).toEqual({
      service: { namespace: "container-actions", name: "container-actions-webhook", path: "/validate-containers-rancherdesktop-io-v1alpha1-container", port: 443 },
      caBundle: CA_BUNDLE_PLACEHOLDER,
    });
    expect(doc.webhooks[0].namespaceSelector).toBeUndefined();
  });

  test("the policy file holds the policy and its Deny binding", () => {
    const docs = parseAllDocuments(renderAdmissionPolicyYaml()).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]);
    expect(docs[1].spec).toEqual({ policyName: docs[0].metadata.name, validationActions: ["Deny"] });
    expect(docs[0].spec.variables.find((v: { name: string }) => v.name === "engineIdentities").expression).toBe("[]");
  });

  test("engine identities go into the engineIdentities variable", () => {
    const [policy] = parseAllDocuments(renderAdmissionPolicyYaml(["system:serviceaccount:ns:sa"])).map((d) => d.toJS());
    expect(policy.spec.variables.find((v: { name: string }) => v.name === "engineIdentities").expression).toBe('["system:serviceaccount:ns:sa"]');
  });
});
