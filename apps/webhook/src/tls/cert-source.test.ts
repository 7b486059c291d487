import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtemp, rm, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateCa, issueServingCert } from "./cert-generator.ts";
import { externalCertSource, generatedCertSource, type CertLoad } from "./cert-source.ts";
import { readCertDir } from "./cert-store.ts";
import type { RenewalPolicy } from "./renewal-policy.ts";

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1);
const policy: RenewalPolicy = { leafRenewBeforeMs: 30 * DAY, caRenewBeforeMs: 30 * DAY, dnsNames: ["localhost", "wh.ns.svc"], ipAddresses: ["127.0.0.1", "::1"] };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "wh-source-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ready(load: CertLoad) {
  if (load.kind !== "ready") throw new Error(`unavailable: ${load.detail}`);
  return load;
}

describe("generated certificates", () => {
  test("first load creates CA and leaf with 0600 keys; the next load reuses them", async () => {
    let now = T0;
    const source = generatedCertSource({ dir, policy, caValidityDays: 3650, leafValidityDays: 90, commonName: "wh", nowMs: () => now });
    const first = ready(await source.load());
    expect(first.issued).toBe("ca-and-leaf");
    for (const key of ["ca.key", "tls.key"]) expect((await stat(join(dir, key))).mode & 0o777).toBe(0o600);
    for (const cert of ["ca.crt", "tls.crt"]) expect((await stat(join(dir, cert))).mode & 0o777).toBe(0o644);
    now += DAY;
    const second = ready(await source.load());
    expect(second.issued).toBe("none");
    expect(second.material).toEqual(first.material);
  });

  test("inside the renewal window the leaf is renewed and the CA kept", async () => {
    let now = T0;
    const source = generatedCertSource({ dir, policy, caValidityDays: 3650, leafValidityDays: 90, commonName: "wh", nowMs: () => now });
    const first = ready(await source.load());
    now = T0 + 61 * DAY;
    const renewed = ready(await source.load());
    expect(renewed.issued).toBe("leaf");
    expect(renewed.material.caPem).toBe(first.material.caPem);
    expect(renewed.material.certPem).not.toBe(first.material.certPem);
    expect((await readCertDir(dir)).leaf.certPem).toBe(renewed.material.certPem);
  });

  test("a deleted serving certificate is issued again from the same CA", async () => {
    const source = generatedCertSource({ dir, policy, caValidityDays: 3650, leafValidityDays: 90, commonName: "wh", nowMs: () => T0 });
    const first = ready(await source.load());
    await unlink(join(dir, "tls.crt"));
    const again = ready(await source.load());
    expect(again.issued).toBe("leaf");
    expect(again.material.caPem).toBe(first.material.caPem);
  });

  test("a new required SAN renews the leaf", async () => {
    const make = (dnsNames: string[]) =>
      generatedCertSource({ dir, policy: { ...policy, dnsNames }, caValidityDays: 3650, leafValidityDays: 90, commonName: "wh", nowMs: () => T0 });
    ready(await make(["localhost"]).load());
    const renewed = ready(await make(["localhost", "new.ns.svc"]).load());
    expect(renewed).toMatchObject({ issued: "leaf", why: expect.stringContaining("new.ns.svc") });
  });

  test("a deleted or expiring CA renews everything", async () => {
    let now = T0;
    const source = generatedCertSource({ dir, policy, caValidityDays: 365, leafValidityDays: 90, commonName: "wh", nowMs: () => now });
    const first = ready(await source.load());
    now = T0 + 340 * DAY;
    const rotated = ready(await source.load());
    expect(rotated.issued).toBe("ca-and-leaf");
    expect(rotated.material.caPem).not.toBe(first.material.caPem);
    await unlink(join(dir, "ca.key"));
    expect(ready(await source.load()).issued).toBe("ca-and-leaf");
  });

  test("an unwritable directory is unavailable, not a throw", async () => {
    await writeFile(join(dir, "file"), "x");
    const source = generatedCertSource({ dir: join(dir, "file", "sub"), policy, caValidityDays: 3650, leafValidityDays: 90, commonName: "wh", nowMs: () => T0 });
    expect((await source.load()).kind).toBe("unavailable");
  });
});

describe("external certificates (cert-manager style)", () => {
  async function writeSet(prefix: string) {
    const ca = await generateCa({ nowMs: Date.now(), validityDays: 10, commonName: `${prefix}-ca` });
    const leaf = await issueServingCert({ nowMs: Date.now(), validityDays: 5, commonName: prefix, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"], ca });
    await writeFile(join(dir, "ca.crt"), ca.certPem);
    await writeFile(join(dir, "tls.crt"), leaf.certPem);
    await writeFile(join(dir, "tls.key"), leaf.keyPem);
    return { ca, leaf };
  }
  const files = () => ({ certFile: join(dir, "tls.crt"), keyFile: join(dir, "tls.key"), caFile: join(dir, "ca.crt") });

  test("read as they are; a change on disk shows in the next load", async () => {
    const a = await writeSet("a");
    const source = externalCertSource(files());
    expect(ready(await source.load()).material).toEqual({ certPem: a.leaf.certPem, keyPem: a.leaf.keyPem, caPem: a.ca.certPem });
    const b = await writeSet("b");
    expect(ready(await source.load()).material.certPem).toBe(b.leaf.certPem);
  });

  test("a half-updated set (new cert, old key) is unavailable, so the old one keeps serving", async () => {
    const a = await writeSet("a");
    await writeSet("b");
    await writeFile(join(dir, "tls.key"), a.leaf.keyPem);
    const load = await externalCertSource(files()).load();
    expect(load).toEqual({ kind: "unavailable", detail: expect.stringContaining("key does not match") });
  });

  test("missing files are unavailable", async () => {
    expect((await externalCertSource(files()).load()).kind).toBe("unavailable");
  });

  test("without a CA file the caBundle is empty", async () => {
    await writeSet("a");
    const { certFile, keyFile } = files();
    expect(ready(await externalCertSource({ certFile, keyFile }).load()).material.caPem).toBe("");
  });
});
