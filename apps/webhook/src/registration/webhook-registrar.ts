/**
 * Writes the ValidatingWebhookConfiguration with server-side apply (force, our field manager): one
 * request creates or updates it, and a repeat with the same content changes nothing. Checked on
 * kube-apiserver v1.20.2 with client-node 1.4.0. Failures are values; retries are bounded.
 */
import { AdmissionregistrationV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { kubeFailure, type KubeFailure } from "./status-mapping.ts";
import { FIELD_MANAGER, webhookConfiguration, type WebhookConfigurationSpec } from "./webhook-configuration.ts";

export type RegistrationResult = { kind: "applied"; resourceVersion: string } | ({ kind: "failed" } & KubeFailure);

export interface WebhookRegistrar {
  /** Applies the configuration with this caBundle. Idempotent. */
  apply(caBundlePem: string): Promise<RegistrationResult>;
  /** Deletes the configuration; NotFound counts as done. */
  remove(): Promise<RegistrationResult>;
  readonly configurationName: string;
}

export function kubeWebhookRegistrar(kubeConfig: KubeConfig, spec: Omit<WebhookConfigurationSpec, "caBundlePem">): WebhookRegistrar {
  const api = kubeConfig.makeApiClient(AdmissionregistrationV1Api);
  const applyOptions = setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply);
  return {
    configurationName: spec.configurationName,
    async apply(caBundlePem) {
      try {
        const applied = await api.patchValidatingWebhookConfiguration(
          { name: spec.configurationName, body: webhookConfiguration({ ...spec, caBundlePem }), fieldManager: FIELD_MANAGER, force: true },
          applyOptions,
        );
        return { kind: "applied", resourceVersion: applied.metadata?.resourceVersion ?? "" };
      } catch (error) {
        return { kind: "failed", ...kubeFailure(error) };
      }
    },
    async remove() {
      try {
        await api.deleteValidatingWebhookConfiguration({ name: spec.configurationName });
        return { kind: "applied", resourceVersion: "" };
      } catch (error) {
        const failure = kubeFailure(error);
        return failure.status === 404 ? { kind: "applied", resourceVersion: "" } : { kind: "failed", ...failure };
      }
    },
  };
}

export interface RetryLimits {
  attemptsMax: number;
  backoffMsMin: number;
  backoffMsMax: number;
}

/**
 * Applies until it succeeds or `attemptsMax` attempts have failed (doubling backoff between
 * `backoffMsMin` and `backoffMsMax`). `onFailure` sees every failed attempt (for the log).
 */
export async function applyWithRetry(
  registrar: WebhookRegistrar,
  caBundlePem: string,
  limits: RetryLimits,
  sleepMs: (ms: number) => Promise<void>,
  onFailure: (attempt: number, result: RegistrationResult) => void = () => undefined,
): Promise<RegistrationResult> {
  let last: RegistrationResult = { kind: "failed", detail: "not attempted" };
  let backoffMs = limits.backoffMsMin;
  for (let attempt = 1; attempt <= limits.attemptsMax; attempt++) {
    last = await registrar.apply(caBundlePem);
    if (last.kind === "applied") return last;
    onFailure(attempt, last);
    if (attempt < limits.attemptsMax) {
      await sleepMs(backoffMs);
      backoffMs = Math.min(backoffMs * 2, limits.backoffMsMax);
    }
  }
  return last;
}

/** Loads a kubeconfig file, or the in-cluster service account when `path` is undefined. */
export function loadKubeConfig(path: string | undefined): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (path === undefined) kubeConfig.loadFromCluster();
  else kubeConfig.loadFromFile(path);
  return kubeConfig;
}
