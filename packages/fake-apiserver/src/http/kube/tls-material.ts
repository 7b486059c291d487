/**
 * Certificates for the fake apiserver, made with the `openssl` CLI: a throwaway CA, a serving cert for
 * 127.0.0.1/localhost, and an admin client cert whose CN is the user name and whose O is its group
 * (the apiserver's x509 authenticator reads them the same way). EC P-256 keys: fast to make, accepted
 * by kubectl, client-node and curl.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** PEM files of one run, and the folder that holds them. */
export interface TlsMaterial {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

export interface ClientIdentity {
  /** The user name (certificate CN). */
  user: string;
  /** The groups (certificate O entries). */
  groups: string[];
}

function openssl(dir: string, args: string[]): void {
  const r = Bun.spawnSync(["openssl", ...args], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) {
    throw Object.assign(new Error(`openssl ${args[0]} failed: ${r.stderr.toString()}`), { code: "OPENSSL_FAILED" });
  }
}

function sign(dir: string, name: string, subject: string, extensions: string): void {
  openssl(dir, ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${name}.key`]);
  openssl(dir, ["req", "-new", "-key", `${name}.key`, "-subj", subject, "-out", `${name}.csr`]);
  writeFileSync(join(dir, `${name}.ext`), `${extensions}\n`);
  openssl(dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "365", "-out", `${name}.crt`, "-extfile", `${name}.ext`]);
}

/** Writes a fresh CA, serving cert and client cert into `dir` (created if missing) and reads them back. */
export function generateTlsMaterial(dir: string, client: ClientIdentity): TlsMaterial {
  mkdirSync(dir, { recursive: true });
  openssl(dir, ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key"]);
  openssl(dir, ["req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=simulated-kube-ca", "-days", "365", "-out", "ca.crt"]);
  sign(dir, "apiserver", "/CN=kube-apiserver", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth");
  const subject = `/CN=${client.user}${client.groups.map((g) => `/O=${g}`).join("")}`;
  sign(dir, "admin", subject, "extendedKeyUsage=clientAuth");
  const read = (f: string) => readFileSync(join(dir, f), "utf8");
  return {
    dir,
    caCert: read("ca.crt"),
    caKey: read("ca.key"),
    serverCert: read("apiserver.crt"),
    serverKey: read("apiserver.key"),
    clientCert: read("admin.crt"),
    clientKey: read("admin.key"),
  };
}

/** A kubeconfig with everything embedded: cluster `simulated`, user `admin`, context `simulated`. */
export function kubeconfigYaml(server: string, tls: TlsMaterial): string {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: simulated",
    "  cluster:",
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(tls.caCert)}`,
    "users:",
    "- name: admin",
    "  user:",
    `    client-certificate-data: ${b64(tls.clientCert)}`,
    `    client-key-data: ${b64(tls.clientKey)}`,
    "contexts:",
    "- name: simulated",
    "  context:",
    "    cluster: simulated",
    "    user: admin",
    "current-context: simulated",
    "preferences: {}",
    "",
  ].join("\n");
}
