import "reflect-metadata";
import { describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";
import { generateCa, issueServingCert } from "./cert-generator.ts";
import { inspectCa, inspectLeaf } from "./cert-inspection.ts";

const NOW = Date.UTC(2026, 5, 1);
const DNS = ["localhost", "wh.ns.svc", "wh.ns.svc.cluster.local"];
const IPS = ["127.0.0.1", "::1"];

async function pair() {
  const ca = await generateCa({ nowMs: NOW, validityDays: 3650, commonName: "test-ca" });
  const leaf = await issueServingCert({ nowMs: NOW, validityDays: 90, commonName: "wh", dnsNames: DNS, ipAddresses: IPS, ca });
  return { ca, leaf };
}

describe("certificate generation", () => {
  test("the CA is a 10-year self-signed CA", async () => {
    const { ca } = await pair();
    const cert = new x509.X509Certificate(ca.certPem);
    expect(cert.subject).toBe(cert.issuer);
    expect(cert.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(true);
    expect(cert.notAfter.getTime()).toBe(NOW + 3650 * 24 * 3600 * 1000);
    expect(await cert.verify({ signatureOnly: true })).toBe(true);
    const facts = inspectCa(ca);
    expect(facts.kind).toBe("ok");
  });

  test("the serving certificate carries the SANs and serverAuth, and the CA verifies it", async () => {
    const { ca, leaf } = await pair();
    const facts = await inspectLeaf(leaf, ca.certPem);
    if (facts.kind !== "ok") throw new Error(facts.kind);
    expect(facts.facts.dnsNames).toEqual(DNS);
    expect(facts.facts.ipAddresses.length).toBe(2);
    expect(facts.facts.serverAuth).toBe(true);
    expect(facts.facts.isCa).toBe(false);
    expect(facts.facts.keyMatches).toBe(true);
    expect(facts.facts.signedByCa).toBe(true);
    expect(facts.facts.notAfterMs).toBe(NOW + 90 * 24 * 3600 * 1000);
    expect(facts.facts.notBeforeMs).toBeLessThan(NOW); // back-dated for clock skew
  });

  test("another CA does not verify it; another key does not match it", async () => {
    const { ca, leaf } = await pair();
    const other = await pair();
    const facts = await inspectLeaf({ certPem: leaf.certPem, keyPem: other.leaf.keyPem }, other.ca.certPem);
    if (facts.kind !== "ok") throw new Error(facts.kind);
    expect(facts.facts.signedByCa).toBe(false);
    expect(facts.facts.keyMatches).toBe(false);
    expect(inspectCa({ certPem: ca.certPem, keyPem: other.ca.keyPem }).kind).toBe("unreadable");
  });

  test("openssl verify accepts the chain and the SANs (as Go's TLS would check them)", async () => {
    const { ca, leaf } = await pair();
    const dir = await mkdtemp(join(tmpdir(), "wh-certs-"));
    try {
      await writeFile(join(dir, "ca.crt"), ca.certPem);
      await writeFile(join(dir, "tls.crt"), leaf.certPem);
      const attime = String(Math.floor(NOW / 1000) + 3600);
      for (const check of [["-verify_hostname", "wh.ns.svc"], ["-verify_ip", "127.0.0.1"], ["-verify_ip", "::1"]] as const) {
        const run = Bun.spawnSync(["openssl", "verify", "-attime", attime, "-purpose", "sslserver", ...check, "-CAfile", join(dir, "ca.crt"), join(dir, "tls.crt")]);
        expect(run.stdout.toString() + run.stderr.toString()).toContain(": OK");
        expect(run.exitCode).toBe(0);
      }
      const wrongHost = Bun.spawnSync(["openssl", "verify", "-attime", attime, "-verify_hostname", "evil.example", "-CAfile", join(dir, "ca.crt"), join(dir, "tls.crt")]);
      expect(wrongHost.exitCode).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("garbage is unreadable, not a throw", async () => {
    expect(inspectCa({ certPem: "nope", keyPem: "nope" }).kind).toBe("unreadable");
    expect((await inspectLeaf({ certPem: "nope", keyPem: "nope" }, undefined)).kind).toBe("unreadable");
    expect((await inspectLeaf({ certPem: "nope" }, undefined)).kind).toBe("missing");
  });
});
