import { describe, expect, test } from "bun:test";
import { ADMISSION_PATH } from "../admission-routes.ts";
import { localWebhookUrl, WEBHOOK_NAME, webhookConfiguration } from "./webhook-configuration.ts";

const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

describe("ValidatingWebhookConfiguration", () => {
  test("url mode: rules, policies and caBundle as the apiserver needs them", () => {
    const url = localWebhookUrl("127.0.0.1", 9443);
    expect(url).toBe(`https://127.0.0.1:9443${ADMISSION_PATH}`);
    const config = webhookConfiguration({ configurationName: "container-actions-webhook", endpoint: { kind: "url", url }, caBundlePem: CA });
    expect(config.metadata?.name).toBe("container-actions-webhook");
    expect(config.webhooks).toEqual([
      {
        name: WEBHOOK_NAME,
        admissionReviewVersions: ["v1"],
        sideEffects: "None",
        failurePolicy: "Fail",
        matchPolicy: "Equivalent",
        timeoutSeconds: 5,
        clientConfig: { url, caBundle: Buffer.from(CA).toString("base64") },
        rules: [
          {
            apiGroups: ["containers.rancherdesktop.io"],
            apiVersions: ["v1alpha1"],
            resources: ["containers"],
            operations: ["CREATE", "UPDATE"],
            scope: "Namespaced",
          },
        ],
      },
    ]);
  });

  test("the rules never match the status subresource", () => {
    const config = webhookConfiguration({ configurationName: "x", endpoint: { kind: "url", url: "https://h/p" }, caBundlePem: CA });
    expect(config.webhooks?.[0]?.rules?.[0]?.resources).not.toContain("containers/status");
    expect(config.webhooks?.[0]?.rules?.[0]?.resources).not.toContain("containers/*");
  });

  test("service mode points at the Service and the admission path", () => {
    const config = webhookConfiguration({ configurationName: "x", endpoint: { kind: "service", namespace: "ns", name: "wh", port: 443 }, caBundlePem: CA });
    expect(config.webhooks?.[0]?.clientConfig).toEqual({
      service: { namespace: "ns", name: "wh", path: ADMISSION_PATH, port: 443 },
      caBundle: Buffer.from(CA).toString("base64"),
    });
  });

  test("no caBundle when none is known; a namespace selector only when asked", () => {
    const bare = webhookConfiguration({ configurationName: "x", endpoint: { kind: "url", url: "https://h/p" }, caBundlePem: "" });
    expect(bare.webhooks?.[0]?.clientConfig).toEqual({ url: "https://h/p" });
    expect(bare.webhooks?.[0]?.namespaceSelector).toBeUndefined();
    const scoped = webhookConfiguration({ configurationName: "x", endpoint: { kind: "url", url: "https://h/p" }, caBundlePem: "", namespaceSelector: { e2e: "yes" } });
    expect(scoped.webhooks?.[0]?.namespaceSelector).toEqual({ matchLabels: { e2e: "yes" } });
  });

  test("IPv6 hosts are bracketed in the URL", () => {
    expect(localWebhookUrl("::1", 9443)).toBe(`https://[::1]:9443${ADMISSION_PATH}`);
  });
});
