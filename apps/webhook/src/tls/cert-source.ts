/**
 * Where the serving certificate comes from: generated and renewed by the webhook itself in a
 * directory, or provided from outside (cert-manager style files) and only read. Both answer `load()`
 * with a value; a failure keeps whatever is being served.
 */
import { decideRenewal, type RenewalPolicy } from "./renewal-policy.ts";
import { generateCa, issueServingCert } from "./cert-generator.ts";
import { inspectCa, inspectLeaf } from "./cert-inspection.ts";
import type { ServingMaterial } from "./cert-material.ts";
import { readCertDir, readOptional, writeCa, writeLeaf } from "./cert-store.ts";

export type CertLoad =
  | {
      kind: "ready";
      material: ServingMaterial;
      /** What this load issued: nothing, a serving certificate, or a new CA and serving certificate. */
      issued: "none" | "leaf" | "ca-and-leaf";
      /** Why something was issued (for the log). */
      why?: string;
    }
  | { kind: "unavailable"; detail: string };

export interface CertSource {
  /** Reads the certificate files, issuing new ones first when this source generates them and they need it. */
  load(): Promise<CertLoad>;
  /** For logs: the mode and location. */
  readonly description: string;
}

export interface GeneratedCertOptions {
  dir: string;
  policy: RenewalPolicy;
  caValidityDays: number;
  leafValidityDays: number;
  commonName: string;
  /** The time, in epoch ms (injected: tests pass a fixed or advancing clock). */
  nowMs: () => number;
}

/** A directory whose CA and serving certificate the webhook creates, reuses while valid, and renews. */
export function generatedCertSource(options: GeneratedCertOptions): CertSource {
  return {
    description: `generated in ${options.dir}`,
    async load() {
      try {
        return await loadGenerated(options);
      } catch (error) {
        return { kind: "unavailable", detail: `certificate directory ${options.dir}: ${describe(error)}` };
      }
    },
  };
}

async function loadGenerated(options: GeneratedCertOptions): Promise<CertLoad> {
  const nowMs = options.nowMs();
  const contents = await readCertDir(options.dir);
  const ca = inspectCa(contents.ca);
  const leaf = await inspectLeaf(contents.leaf, contents.ca.certPem);
  const decision = decideRenewal(ca, leaf, nowMs, options.policy);
  const issue = (caPair: { certPem: string; keyPem: string }) =>
    issueServingCert({
      nowMs,
      validityDays: options.leafValidityDays,
      commonName: options.commonName,
      dnsNames: options.policy.dnsNames,
      ipAddresses: options.policy.ipAddresses,
      ca: caPair,
    });
  switch (decision.kind) {
    case "keep":
      return ready(contents.ca.certPem, contents.leaf.certPem, contents.leaf.keyPem, "none");
    case "renew-leaf": {
      const caPair = { certPem: contents.ca.certPem ?? "", keyPem: contents.ca.keyPem ?? "" };
      const leafPair = await issue(caPair);
      await writeLeaf(options.dir, leafPair);
      return ready(caPair.certPem, leafPair.certPem, leafPair.keyPem, "leaf", decision.why);
    }
    case "renew-all": {
      const caPair = await generateCa({ nowMs, validityDays: options.caValidityDays, commonName: `${options.commonName}-ca` });
      const leafPair = await issue(caPair);
      // CA first: a crash in between leaves a leaf that no longer chains, which the next load renews.
      await writeCa(options.dir, caPair);
      await writeLeaf(options.dir, leafPair);
      return ready(caPair.certPem, leafPair.certPem, leafPair.keyPem, "ca-and-leaf", decision.why);
    }
    default:
      throw new Error(`unhandled decision ${JSON.stringify(decision satisfies never)}`);
  }
}

export interface ExternalCertOptions {
  certFile: string;
  keyFile: string;
  /** The CA bundle to register; optional when something else (e.g. cert-manager's cainjector) sets caBundle. */
  caFile?: string;
}

/** Files written by someone else (cert-manager, a mounted Secret); read on every load, never written. */
export function externalCertSource(options: ExternalCertOptions): CertSource {
  return {
    description: `files ${options.certFile}, ${options.keyFile}${options.caFile ? `, ${options.caFile}` : ""}`,
    async load() {
      try {
        const [certPem, keyPem, caPem] = await Promise.all([
          readOptional(options.certFile),
          readOptional(options.keyFile),
          options.caFile === undefined ? Promise.resolve(undefined) : readOptional(options.caFile),
        ]);
        if (certPem === undefined || keyPem === undefined) return { kind: "unavailable", detail: "certificate or key file missing or empty" };
        if (options.caFile !== undefined && caPem === undefined) return { kind: "unavailable", detail: `CA file ${options.caFile} missing or empty` };
        const leaf = await inspectLeaf({ certPem, keyPem }, caPem);
        if (leaf.kind !== "ok") return { kind: "unavailable", detail: leaf.kind === "unreadable" ? leaf.detail : "missing" };
        // A Secret update replaces the files one by one: until all three agree, keep serving the old ones.
        if (!leaf.facts.keyMatches) return { kind: "unavailable", detail: "key does not match the certificate (update in progress?)" };
        if (caPem !== undefined && !leaf.facts.signedByCa) return { kind: "unavailable", detail: "certificate not signed by the CA file" };
        return { kind: "ready", material: { certPem, keyPem, caPem: caPem ?? "" }, issued: "none" };
      } catch (error) {
        return { kind: "unavailable", detail: describe(error) };
      }
    },
  };
}

function ready(caPem: string | undefined, certPem: string | undefined, keyPem: string | undefined, issued: "none" | "leaf" | "ca-and-leaf", why?: string): CertLoad {
  if (caPem === undefined || certPem === undefined || keyPem === undefined) {
    return { kind: "unavailable", detail: "certificate files vanished while loading" };
  }
  return why === undefined ? { kind: "ready", material: { certPem, keyPem, caPem }, issued } : { kind: "ready", material: { certPem, keyPem, caPem }, issued, why };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
