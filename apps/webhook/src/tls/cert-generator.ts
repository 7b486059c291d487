/**
 * Creates the webhook's private CA and the serving certificates it signs, in-process with
 * @peculiar/x509 on WebCrypto (ECDSA P-256, SHA-256). No subprocess, no clock of its own: the caller
 * passes the time.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import type { PemPair } from "./cert-material.ts";

const EC_KEY: EcKeyGenParams = { name: "ECDSA", namedCurve: "P-256" };
const SIGNING: EcdsaParams = { name: "ECDSA", hash: "SHA-256" };
const DAY_MS = 24 * 60 * 60 * 1000;
/** notBefore is back-dated so that a peer whose clock runs a little behind still accepts the certificate. */
const BACKDATE_MS = 5 * 60 * 1000;

export interface CaRequest {
  nowMs: number;
  validityDays: number;
  commonName: string;
}

export interface ServingCertRequest {
  nowMs: number;
  validityDays: number;
  commonName: string;
  dnsNames: readonly string[];
  ipAddresses: readonly string[];
  ca: PemPair;
}

/** A self-signed CA: basicConstraints CA (critical), keyCertSign + cRLSign, subject key id. */
export async function generateCa(request: CaRequest): Promise<PemPair> {
  const keys = await crypto.subtle.generateKey(EC_KEY, true, ["sign", "verify"]);
  const name = `CN=${request.commonName}, O=container-actions`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(request.nowMs),
    name,
    notBefore: new Date(request.nowMs - BACKDATE_MS),
    notAfter: new Date(request.nowMs + request.validityDays * DAY_MS),
    keys,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: await privateKeyPem(keys.privateKey) };
}

/**
 * A serving certificate signed by `ca`. The SANs are what TLS clients check (Go ignores the CN);
 * extendedKeyUsage is serverAuth only.
 */
export async function issueServingCert(request: ServingCertRequest): Promise<PemPair> {
  const caCert = new x509.X509Certificate(request.ca.certPem);
  const caKey = await importPrivateKey(request.ca.keyPem);
  const keys = await crypto.subtle.generateKey(EC_KEY, true, ["sign", "verify"]);
  const names: x509.JsonGeneralName[] = [
    ...request.dnsNames.map((value) => ({ type: "dns" as const, value })),
    ...request.ipAddresses.map((value) => ({ type: "ip" as const, value })),
  ];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(request.nowMs),
    subject: `CN=${request.commonName}, O=container-actions`,
    issuer: caCert.subject,
    notBefore: new Date(request.nowMs - BACKDATE_MS),
    notAfter: new Date(request.nowMs + request.validityDays * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: await privateKeyPem(keys.privateKey) };
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return crypto.subtle.importKey("pkcs8", der, EC_KEY, false, ["sign"]);
}

/** Positive, unique enough for one issuer: milliseconds since the epoch plus random bits, as hex. */
function serialNumber(nowMs: number): string {
  const random = crypto.getRandomValues(new Uint8Array(8));
  const hex = nowMs.toString(16).padStart(12, "0") + Buffer.from(random).toString("hex");
  return `01${hex}`;
}
