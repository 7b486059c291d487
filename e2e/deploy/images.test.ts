/**
 * The images' build step, run here: the `bun build --compile` command of each Dockerfile in
 * deploy/images/ compiles its entrypoint into one executable, which prints --help and serves.
 * (The images themselves are built from these Dockerfiles on a local Debian base and run as pods on a
 * real kubelet by e2e/cluster; no registry is reachable here for oven/bun and distroless.)
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../webhook/webhook-process.ts";
import { waitFor } from "../controller/support/wait.ts";
import { REPO_ROOT } from "./support/rendered-manifests.ts";

const IMAGES = ["controller", "webhook"] as const;
type Image = (typeof IMAGES)[number];

/** The Dockerfile's `bun build --compile … --outfile X` as an argv with the output redirected to `outfile`. */
async function compileCommand(image: Image, outfile: string): Promise<string[]> {
  const dockerfile = await Bun.file(`${REPO_ROOT}deploy/images/${image}.Dockerfile`).text();
  const lines = dockerfile.split("\n").filter((l) => /^RUN bun build --compile /.test(l));
  if (lines.length !== 1) throw new Error(`${image}.Dockerfile: expected one "RUN bun build --compile" line, found ${lines.length}`);
  const argv = (lines[0] as string).slice("RUN ".length).trim().split(/\s+/);
  const at = argv.indexOf("--outfile");
  if (at < 0 || argv[at + 1] === undefined) throw new Error(`${image}.Dockerfile: no --outfile`);
  argv[at + 1] = outfile;
  return argv.map((a) => (a === "bun" ? process.execPath : a));
}

describe("deploy: image entrypoints compile to single executables", () => {
  const out = mkdtempSync(join(tmpdir(), "deploy-images-"));
  const binary = (image: Image) => join(out, image);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  beforeAll(async () => {
    for (const image of IMAGES) {
      const argv = await compileCommand(image, binary(image));
      const r = Bun.spawnSync(argv, { cwd: REPO_ROOT, stdout: "pipe", stderr: "pipe" });
      if (r.exitCode !== 0) throw new Error(`${argv.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
    }
  }, 60_000);

  for (const image of IMAGES) {
    test(`${image}: the executable prints its flags`, () => {
      const r = Bun.spawnSync([binary(image), "--help"], { stdout: "pipe", stderr: "pipe", env: {} });
      expect(r.exitCode).toBe(0);
      expect(r.stdout.toString()).toContain("--log-level");
    });
  }

  test("webhook: the executable serves admission over TLS from a generated certificate and judges a request", async () => {
    const listenPort = freePort();
    const probePort = freePort();
    const proc = Bun.spawn(
      [binary("webhook"), `--listen-port=${listenPort}`, `--probe-port=${probePort}`, `--cert-dir=${join(out, "certs")}`, "--engine-identity=system:serviceaccount:container-actions:controller"],
      { stdout: "pipe", stderr: "pipe", env: {} },
    );
    try {
      await waitFor("the compiled webhook to be ready", async () => ((await fetch(`http://127.0.0.1:${probePort}/readyz`)).status === 200 ? true : undefined), 15_000);
      const review = {
        apiVersion: "admission.k8s.io/v1",
        kind: "AdmissionReview",
        request: {
          uid: "image-test",
          operation: "CREATE",
          kind: { group: "containers.rancherdesktop.io", version: "v1alpha1", kind: "Container" },
          resource: { group: "containers.rancherdesktop.io", version: "v1alpha1", resource: "containers" },
          userInfo: { username: "alice" },
          object: { apiVersion: "containers.rancherdesktop.io/v1alpha1", kind: "Container", metadata: { name: "x", namespace: "container-actions" } },
        },
      };
      const answer = await fetch(`https://127.0.0.1:${listenPort}/validate-containers-rancherdesktop-io-v1alpha1-container`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(review),
        tls: { ca: await Bun.file(join(out, "certs", "ca.crt")).text() },
      } as RequestInit);
      expect((await answer.json()).response).toMatchObject({ uid: "image-test", allowed: false, status: { message: expect.stringContaining('user "alice" may not create them') } });
    } finally {
      proc.kill("SIGTERM");
      expect(await proc.exited).toBe(0);
    }
  }, 30_000);

  test("controller: the executable starts its runtime and reports unreachable backends as not ready", async () => {
    const kubeconfig = join(out, "unreachable.kubeconfig");
    await Bun.write(
      kubeconfig,
      JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "nowhere", cluster: { server: "https://127.0.0.1:1", "insecure-skip-tls-verify": true } }],
        users: [{ name: "nobody", user: { token: "none" } }],
        contexts: [{ name: "nowhere", context: { cluster: "nowhere", user: "nobody" } }],
        "current-context": "nowhere",
      }),
    );
    const port = freePort();
    const proc = Bun.spawn(
      [binary("controller"), `--kubeconfig=${kubeconfig}`, `--docker-host=unix://${join(out, "no-docker.sock")}`, `--metrics-address=127.0.0.1:${port}`, "--namespace=container-actions"],
      { stdout: "pipe", stderr: "pipe", env: {} },
    );
    try {
      const readyz = await waitFor("the compiled controller's /readyz", async () => {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`);
        return r.status === 503 ? await r.text() : undefined;
      }, 15_000);
      expect(readyz).toContain("[-]informer failed");
      expect(readyz).toContain("[-]docker failed");
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain("kube_api_requests_total");
    } finally {
      proc.kill("SIGTERM");
      await proc.exited;
    }
  }, 30_000);
});
