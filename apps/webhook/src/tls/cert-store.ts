/**
 * The certificate directory on disk: ca.crt/ca.key/tls.crt/tls.key (the names cert-manager and
 * controller-runtime use). Keys are written 0600, certificates 0644, each through a temporary file
 * and a rename so that a reader never sees half a file.
 */
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { PemPair } from "./cert-material.ts";

export const CertFileName = {
  caCert: "ca.crt",
  caKey: "ca.key",
  tlsCert: "tls.crt",
  tlsKey: "tls.key",
} as const;

/** What a certificate directory holds; an absent or empty file is `undefined`. */
export interface CertDirContents {
  ca: Partial<PemPair>;
  leaf: Partial<PemPair>;
}

export async function readCertDir(dir: string): Promise<CertDirContents> {
  const [caCert, caKey, tlsCert, tlsKey] = await Promise.all(
    [CertFileName.caCert, CertFileName.caKey, CertFileName.tlsCert, CertFileName.tlsKey].map((name) => readOptional(join(dir, name))),
  );
  return { ca: { certPem: caCert, keyPem: caKey }, leaf: { certPem: tlsCert, keyPem: tlsKey } };
}

export async function writeCa(dir: string, ca: PemPair): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeAtomic(join(dir, CertFileName.caKey), ca.keyPem, 0o600);
  await writeAtomic(join(dir, CertFileName.caCert), ca.certPem, 0o644);
}

export async function writeLeaf(dir: string, leaf: PemPair): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeAtomic(join(dir, CertFileName.tlsKey), leaf.keyPem, 0o600);
  await writeAtomic(join(dir, CertFileName.tlsCert), leaf.certPem, 0o644);
}

/** The file's text, or undefined when it does not exist or is empty. Other I/O errors propagate. */
export async function readOptional(path: string): Promise<string | undefined> {
  try {
    const text = await readFile(path, "utf8");
    return text.trim() === "" ? undefined : text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

async function writeAtomic(path: string, text: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode });
  await chmod(temporary, mode);
  await rename(temporary, path);
}
