/**
 * Reads PEM certificates into the plain facts the renewal policy decides on: validity window, SANs,
 * CA flag, and whether a leaf is signed by a CA and matches its key. Parse failures are values.
 */
import "reflect-metadata";
import { createPrivateKey, createPublicKey } from "node:crypto";
import * as x509 from "@peculiar/x509";
import type { PemPair } from "./cert-material.ts";

/** The facts about one certificate that matter for renewal. */
export interface CertFacts {
  notBeforeMs: number;
  notAfterMs: number;
  dnsNames: string[];
  ipAddresses: string[];
  isCa: boolean;
  serverAuth: boolean;
}

export type Inspected<T> = { kind: "missing" } | { kind: "unreadable"; detail: string } | { kind: "ok"; facts: T };

/** A leaf's facts plus how it relates to its key and to the CA. */
export interface LeafFacts extends CertFacts {
  /** The private key belongs to the certificate. */
  keyMatches: boolean;
  /** The CA's key signed the certificate (false when no CA was given). */
  signedByCa: boolean;
}

/** Facts about a certificate and its key; `missing` when either file is absent. */
export function inspectCa(pair: Partial<PemPair>): Inspected<CertFacts> {
  if (pair.certPem === undefined || pair.keyPem === undefined) return { kind: "missing" };
  try {
    const cert = new x509.X509Certificate(pair.certPem);
    if (!keyMatchesCert(pair.keyPem, cert)) return { kind: "unreadable", detail: "CA key does not match the CA certificate" };
    return { kind: "ok", facts: certFacts(cert) };
  } catch (error) {
    return { kind: "unreadable", detail: describe(error) };
  }
}

/** Facts about a serving certificate, its key, and (when given) the CA it should chain to. */
export async function inspectLeaf(pair: Partial<PemPair>, caCertPem: string | undefined): Promise<Inspected<LeafFacts>> {
  if (pair.certPem === undefined || pair.keyPem === undefined) return { kind: "missing" };
  try {
    const cert = new x509.X509Certificate(pair.certPem);
    const signedByCa =
      caCertPem !== undefined && (await cert.verify({ publicKey: new x509.X509Certificate(caCertPem).publicKey, signatureOnly: true }));
    return { kind: "ok", facts: { ...certFacts(cert), keyMatches: keyMatchesCert(pair.keyPem, cert), signedByCa } };
  } catch (error) {
    return { kind: "unreadable", detail: describe(error) };
  }
}

function certFacts(cert: x509.X509Certificate): CertFacts {
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const names = san?.names.items ?? [];
  const basic = cert.getExtension(x509.BasicConstraintsExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  return {
    notBeforeMs: cert.notBefore.getTime(),
    notAfterMs: cert.notAfter.getTime(),
    dnsNames: names.filter((n) => n.type === "dns").map((n) => n.value),
    ipAddresses: names.filter((n) => n.type === "ip").map((n) => n.value),
    isCa: basic?.ca === true,
    serverAuth: eku === null || eku.usages.includes(x509.ExtendedKeyUsage.serverAuth),
  };
}

function keyMatchesCert(keyPem: string, cert: x509.X509Certificate): boolean {
  const fromKey = createPublicKey(createPrivateKey(keyPem)).export({ type: "spki", format: "der" });
  return Buffer.from(cert.publicKey.rawData).equals(fromKey);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The certificate's notAfter in epoch ms, or undefined when the PEM does not parse. */
export function certNotAfterMs(certPem: string): number | undefined {
  try {
    return new x509.X509Certificate(certPem).notAfter.getTime();
  } catch {
    return undefined;
  }
}
