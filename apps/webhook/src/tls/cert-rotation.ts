/**
 * Re-checks the certificate source on an interval and moves the listener to new material without a
 * restart. When the CA changes, clients must trust the new CA before the listener presents a
 * certificate signed by it: publish old+new CAs, wait for the apiserver to pick that up, switch the
 * listener, then publish the new CA alone.
 */
import type { CertLoad, CertSource } from "./cert-source.ts";
import { sameMaterial, type ServingMaterial } from "./cert-material.ts";

export interface RotationHooks {
  /** Makes clients trust `bundlePem` (e.g. writes the caBundle). False: not done, try again at the next check. */
  publishCaBundle(bundlePem: string): Promise<boolean>;
  /** Serves `material` from now on (the listener's certificate replacement). */
  serve(material: ServingMaterial): Promise<void>;
  /** Time for clients to pick up a published bundle before the switch (ms). */
  caPropagationMs: number;
  sleepMs(ms: number): Promise<void>;
}

export type CheckResult =
  | { kind: "unchanged" }
  /** The listener now serves new material; `load` says what was issued, if anything. */
  | { kind: "replaced"; caChanged: boolean; load: Extract<CertLoad, { kind: "ready" }> }
  /** The source could not produce material: the current one stays in use. */
  | { kind: "unavailable"; detail: string }
  /** The new CA could not be published: nothing was switched. */
  | { kind: "not-published" }
  /** A check was already running. */
  | { kind: "busy" };

export interface CertRotation {
  /** Runs one check now. Never throws. */
  checkNow(): Promise<CheckResult>;
  /** The material being served. */
  current(): ServingMaterial;
  stop(): void;
}

/** Starts checking every `intervalMs` (0: never on its own; `checkNow` still works). */
export function startCertRotation(
  source: CertSource,
  initial: ServingMaterial,
  hooks: RotationHooks,
  intervalMs: number,
  onResult: (result: CheckResult) => void = () => undefined,
): CertRotation {
  let served = initial;
  let running = false;

  const check = async (): Promise<CheckResult> => {
    if (running) return { kind: "busy" };
    running = true;
    try {
      const load = await source.load();
      if (load.kind === "unavailable") return { kind: "unavailable", detail: load.detail };
      if (sameMaterial(load.material, served)) return { kind: "unchanged" };
      const caChanged = load.material.caPem !== served.caPem && load.material.caPem !== "";
      if (caChanged) {
        if (!(await hooks.publishCaBundle(joinBundles(load.material.caPem, served.caPem)))) return { kind: "not-published" };
        await hooks.sleepMs(hooks.caPropagationMs);
      }
      await hooks.serve(load.material);
      served = load.material;
      // Dropping the old CA is tidy, not needed: if it fails, the next change publishes again.
      if (caChanged) await hooks.publishCaBundle(load.material.caPem);
      return { kind: "replaced", caChanged, load };
    } catch (error) {
      return { kind: "unavailable", detail: error instanceof Error ? error.message : String(error) };
    } finally {
      running = false;
    }
  };

  const timer = intervalMs > 0 ? setInterval(() => void check().then(onResult), intervalMs) : undefined;
  return {
    checkNow: async () => {
      const result = await check();
      onResult(result);
      return result;
    },
    current: () => served,
    stop: () => clearInterval(timer),
  };
}

/** The distinct PEM certificates of several bundles, concatenated, first bundle first. */
export function joinBundles(...bundles: string[]): string {
  const seen = new Set<string>();
  const blocks: string[] = [];
  for (const bundle of bundles) {
    for (const block of bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []) {
      if (!seen.has(block)) {
        seen.add(block);
        blocks.push(block);
      }
    }
  }
  return blocks.length === 0 ? "" : `${blocks.join("\n")}\n`;
}
