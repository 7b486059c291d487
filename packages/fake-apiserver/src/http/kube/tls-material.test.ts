import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateTlsMaterial, kubeconfigYaml } from "./tls-material.ts";

test("tls material: a serving cert for 127.0.0.1/localhost and a client cert naming the user (CN) and groups (O)", () => {
  const tls = generateTlsMaterial(join(mkdtempSync(join(tmpdir(), "tls-test-")), "pki"), { user: "admin", groups: ["system:masters"] });
  const text = (pem: string) => Bun.spawnSync(["openssl", "x509", "-noout", "-text"], { stdin: new TextEncoder().encode(pem) }).stdout.toString();
  const server = text(tls.serverCert);
  expect(server).toContain("IP Address:127.0.0.1");
  expect(server).toContain("DNS:localhost");
  expect(server).toContain("TLS Web Server Authentication");
  const client = text(tls.clientCert);
  expect(client).toMatch(/Subject: CN\s*=\s*admin, O\s*=\s*system:masters/);
  const verify = Bun.spawnSync(["openssl", "verify", "-CAfile", join(tls.dir, "ca.crt"), join(tls.dir, "apiserver.crt"), join(tls.dir, "admin.crt")]);
  expect(verify.exitCode).toBe(0);
  const config = kubeconfigYaml("https://127.0.0.1:1234", tls);
  expect(config).toContain("server: https://127.0.0.1:1234");
  expect(config).toContain(`client-certificate-data: ${Buffer.from(tls.clientCert).toString("base64")}`);
});
