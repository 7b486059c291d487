/**
 * The whole stack for the client and plugin suites, started as a user starts it (`up.ts`, a child
 * process stopped by PID): the webhook and the controller, against either
 * - "simulated": the simulated kube-apiserver and the simulated Docker engine, or
 * - "real-apiserver": the real kube-apiserver of CA_REAL_KUBECONFIG and the real dockerd of CA_REAL_DOCKER_HOST
 *   (the webhook registers itself there and removes its registration on stop).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Docker from "dockerode";
import { requireEnv } from "../../controller/support/env.ts";
import { dockerFor } from "../../controller/support/test-docker.ts";
import { freePort } from "../../webhook/webhook-process.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export type StackBackend = "real-apiserver" | "simulated";

/** Both backends, or those named in CA_E2E_BACKENDS (comma-separated). */
export const STACK_BACKENDS = (["real-apiserver", "simulated"] as const).filter(
  (b) => !process.env.CA_E2E_BACKENDS || process.env.CA_E2E_BACKENDS.split(",").includes(b),
);

export interface UpStack {
  backend: StackBackend;
  kubeconfig: string;
  dockerHost: string;
  docker: Docker;
  namespace: string;
  stop(): Promise<void>;
}

/** Label on every Docker container these suites create. */
export const CLIENT_E2E_LABEL = "container-actions-client-e2e";

/** Starts up.ts for `backend` with its own state folder and namespace; resolves once it prints "Running.". */
export async function startUpStack(backend: StackBackend, name: string): Promise<UpStack> {
  // Under /tmp: short enough for the simulated engine's unix socket, and private to this run.
  const stateDir = mkdtempSync(join(tmpdir(), `ca-${name}-`));
  const namespace = name;
  const args = ["--port", String(freePort()), "--state-dir", stateDir, "--namespace", namespace, "--no-seed"];
  const env: Record<string, string | undefined> = { ...process.env };
  if (backend === "simulated") args.push("--docker", "simulated");
  else {
    args.push("--docker", "real", "--kubeconfig", requireEnv("CA_REAL_KUBECONFIG"));
    env.DOCKER_HOST = requireEnv("CA_REAL_DOCKER_HOST");
  }
  const proc = Bun.spawn(["bun", `${REPO_ROOT}apps/simulator/src/cli/up.ts`, ...args], { cwd: REPO_ROOT, env, stdout: "pipe", stderr: "pipe" });
  const output = await readUntil(proc.stdout, "Running.", 90_000).catch(async (error) => {
    proc.kill("SIGKILL");
    throw new Error(`${(error as Error).message}\nstderr: ${await new Response(proc.stderr).text()}`);
  });
  const value = (key: string) => output.match(new RegExp(`^${key}=(.*)$`, "m"))?.[1] ?? "";
  const dockerHost = value("DOCKER_HOST");
  const docker = dockerFor(dockerHost);
  return {
    backend,
    kubeconfig: value("KUBECONFIG"),
    dockerHost,
    docker,
    namespace,
    async stop() {
      await removeLabelled(docker).catch(() => undefined);
      proc.kill("SIGTERM");
      const code = await Promise.race([proc.exited, Bun.sleep(30_000).then(() => null)]);
      if (code === null) proc.kill("SIGKILL");
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** `docker run -d` of a labelled busybox `sleep`; `slowStopS` makes `sleep` PID 1 so a stop waits that long. */
export async function runLabelled(docker: Docker, name: string, options: { slowStopS?: number; start?: boolean } = {}): Promise<string> {
  const slow = options.slowStopS !== undefined;
  const container = await docker.createContainer({
    name,
    Image: "local/busybox:latest",
    Cmd: ["sleep", "100000"],
    Labels: { [CLIENT_E2E_LABEL]: "true" },
    ...(slow ? { StopTimeout: options.slowStopS } : {}),
    HostConfig: { Init: !slow },
  });
  if (options.start ?? true) await container.start();
  return container.id;
}

async function removeLabelled(docker: Docker): Promise<void> {
  const all = await docker.listContainers({ all: true, filters: { label: [`${CLIENT_E2E_LABEL}=true`] } });
  await Promise.all(all.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

async function readUntil(stream: ReadableStream<Uint8Array>, marker: string, timeoutMs: number): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + timeoutMs;
  while (!text.includes(marker)) {
    const next = await Promise.race([reader.read(), Bun.sleep(Math.max(0, deadline - Date.now())).then(() => "timeout" as const)]);
    if (next === "timeout") throw new Error(`up.ts did not print "${marker}" within ${timeoutMs} ms; output:\n${text}`);
    if (next.done) throw new Error(`up.ts exited before "${marker}"; output:\n${text}`);
    text += decoder.decode(next.value);
  }
  reader.releaseLock();
  // Keep draining so the child never blocks on a full pipe.
  void stream.pipeTo(new WritableStream()).catch(() => undefined);
  return text;
}
