import { describe, expect, test } from "bun:test";
import type { CertFacts, Inspected, LeafFacts } from "./cert-inspection.ts";
import { decideRenewal, sameIp, type RenewalPolicy } from "./renewal-policy.ts";

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1);
const policy: RenewalPolicy = {
  leafRenewBeforeMs: 30 * DAY,
  caRenewBeforeMs: 30 * DAY,
  dnsNames: ["localhost", "wh.ns.svc"],
  ipAddresses: ["127.0.0.1", "::1"],
};
const ca = (over: Partial<CertFacts> = {}): Inspected<CertFacts> => ({
  kind: "ok",
  facts: { notBeforeMs: T0, notAfterMs: T0 + 3650 * DAY, dnsNames: [], ipAddresses: [], isCa: true, serverAuth: true, ...over },
});
const leaf = (over: Partial<LeafFacts> = {}): Inspected<LeafFacts> => ({
  kind: "ok",
  facts: {
    notBeforeMs: T0,
    notAfterMs: T0 + 90 * DAY,
    dnsNames: ["localhost", "wh.ns.svc"],
    ipAddresses: ["127.0.0.1", "0:0:0:0:0:0:0:1"],
    isCa: false,
    serverAuth: true,
    keyMatches: true,
    signedByCa: true,
    ...over,
  },
});

describe("renewal policy (injected clock)", () => {
  test("fresh certificates are kept", () => {
    expect(decideRenewal(ca(), leaf(), T0 + DAY, policy)).toEqual({ kind: "keep" });
  });

  test("the serving certificate is kept until the renewal window opens, then renewed", () => {
    expect(decideRenewal(ca(), leaf(), T0 + 60 * DAY - 1, policy).kind).toBe("keep");
    expect(decideRenewal(ca(), leaf(), T0 + 60 * DAY, policy)).toMatchObject({ kind: "renew-leaf", why: expect.stringContaining("expires") });
    expect(decideRenewal(ca(), leaf(), T0 + 200 * DAY, policy).kind).toBe("renew-leaf");
  });

  const leafCases: [string, Inspected<LeafFacts>, string][] = [
    ["missing", { kind: "missing" }, "serving certificate or key missing"],
    ["unreadable", { kind: "unreadable", detail: "bad PEM" }, "bad PEM"],
    ["key mismatch", leaf({ keyMatches: false }), "key does not match"],
    ["signed by another CA", leaf({ signedByCa: false }), "not signed by the current CA"],
    ["no serverAuth", leaf({ serverAuth: false }), "serverAuth"],
    ["not yet valid", leaf({ notBeforeMs: T0 + 2 * DAY }), "not yet valid"],
    ["a DNS SAN missing", leaf({ dnsNames: ["localhost"] }), "wh.ns.svc"],
    ["an IP SAN missing", leaf({ ipAddresses: ["127.0.0.1"] }), "::1"],
  ];
  for (const [name, facts, why] of leafCases) {
    test(`serving certificate ${name}: renew the leaf only`, () => {
      expect(decideRenewal(ca(), facts, T0 + DAY, policy)).toEqual({ kind: "renew-leaf", why: expect.stringContaining(why) });
    });
  }

  const caCases: [string, Inspected<CertFacts>, number, string][] = [
    ["missing", { kind: "missing" }, T0, "CA certificate or key missing"],
    ["unreadable", { kind: "unreadable", detail: "garbage" }, T0, "garbage"],
    ["not a CA", ca({ isCa: false }), T0, "basicConstraints"],
    ["expiring", ca(), T0 + 3650 * DAY - 30 * DAY, "CA expires"],
    ["not yet valid", ca({ notBeforeMs: T0 + DAY }), T0, "not yet valid"],
  ];
  for (const [name, facts, now, why] of caCases) {
    test(`CA ${name}: renew everything (the caBundle changes)`, () => {
      expect(decideRenewal(facts, leaf(), now, policy)).toEqual({ kind: "renew-all", why: expect.stringContaining(why) });
    });
  }

  test("a CA problem wins over a leaf problem", () => {
    expect(decideRenewal({ kind: "missing" }, { kind: "missing" }, T0, policy).kind).toBe("renew-all");
  });

  test("IPv6 spellings compare equal", () => {
    expect(sameIp("::1", "0:0:0:0:0:0:0:1")).toBe(true);
    expect(sameIp("fd00::1:0", "fd00:0:0:0:0:0:1:0")).toBe(true);
    expect(sameIp("127.0.0.1", "127.0.0.1")).toBe(true);
    expect(sameIp("::1", "::2")).toBe(false);
  });
});
