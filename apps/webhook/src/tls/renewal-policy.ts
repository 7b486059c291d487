/**
 * Decides, from the facts on disk and the time, whether the generated certificates can be kept or
 * what must be issued again. Pure: the clock is an argument, so every branch is table-testable.
 */
import type { CertFacts, Inspected, LeafFacts } from "./cert-inspection.ts";

/** What the serving certificate must carry and how early it is renewed. */
export interface RenewalPolicy {
  /** Renew the serving certificate when it expires within this window (ms). */
  leafRenewBeforeMs: number;
  /** Renew the CA (and so the caBundle) when it expires within this window (ms). */
  caRenewBeforeMs: number;
  dnsNames: readonly string[];
  ipAddresses: readonly string[];
}

/** What to do with the certificate directory. `why` is for the log. */
export type RenewalDecision =
  | { kind: "keep" }
  /** Issue a new serving certificate from the existing CA; the caBundle stays valid. */
  | { kind: "renew-leaf"; why: string }
  /** Create a new CA and serving certificate; the caBundle changes and must be registered again. */
  | { kind: "renew-all"; why: string };

export function decideRenewal(
  ca: Inspected<CertFacts>,
  leaf: Inspected<LeafFacts>,
  nowMs: number,
  policy: RenewalPolicy,
): RenewalDecision {
  const caProblem = problemWithCa(ca, nowMs, policy);
  if (caProblem !== null) return { kind: "renew-all", why: caProblem };
  const leafProblem = problemWithLeaf(leaf, nowMs, policy);
  if (leafProblem !== null) return { kind: "renew-leaf", why: leafProblem };
  return { kind: "keep" };
}

function problemWithCa(ca: Inspected<CertFacts>, nowMs: number, policy: RenewalPolicy): string | null {
  switch (ca.kind) {
    case "missing":
      return "CA certificate or key missing";
    case "unreadable":
      return `CA unreadable: ${ca.detail}`;
    case "ok":
      if (!ca.facts.isCa) return "CA certificate lacks basicConstraints CA";
      if (ca.facts.notBeforeMs > nowMs) return "CA not yet valid";
      if (ca.facts.notAfterMs - nowMs <= policy.caRenewBeforeMs) return `CA expires ${new Date(ca.facts.notAfterMs).toISOString()}`;
      return null;
    default:
      return unreachable(ca);
  }
}

function problemWithLeaf(leaf: Inspected<LeafFacts>, nowMs: number, policy: RenewalPolicy): string | null {
  switch (leaf.kind) {
    case "missing":
      return "serving certificate or key missing";
    case "unreadable":
      return `serving certificate unreadable: ${leaf.detail}`;
    case "ok": {
      const f = leaf.facts;
      if (!f.keyMatches) return "serving key does not match the certificate";
      if (!f.signedByCa) return "serving certificate not signed by the current CA";
      if (!f.serverAuth) return "serving certificate lacks extendedKeyUsage serverAuth";
      if (f.notBeforeMs > nowMs) return "serving certificate not yet valid";
      if (f.notAfterMs - nowMs <= policy.leafRenewBeforeMs) {
        return `serving certificate expires ${new Date(f.notAfterMs).toISOString()}`;
      }
      const missingDns = policy.dnsNames.filter((name) => !f.dnsNames.includes(name));
      const missingIps = policy.ipAddresses.filter((ip) => !f.ipAddresses.some((have) => sameIp(have, ip)));
      if (missingDns.length + missingIps.length > 0) return `serving certificate lacks SANs ${[...missingDns, ...missingIps].join(", ")}`;
      return null;
    }
    default:
      return unreachable(leaf);
  }
}

/** Compares IP literals, tolerating the long and short spellings of IPv6 ("::1" vs "0:0:0:0:0:0:0:1"). */
export function sameIp(a: string, b: string): boolean {
  return normalizeIp(a) === normalizeIp(b);
}

function normalizeIp(ip: string): string {
  if (!ip.includes(":")) return ip;
  const [head = "", tail] = ip.toLowerCase().split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const zeros = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((group) => group.replace(/^0+(?=.)/, "")).join(":");
}

function unreachable(value: never): never {
  throw new Error(`unhandled case ${JSON.stringify(value)}`);
}
