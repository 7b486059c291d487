/**
 * kubectl-container as users run it: compiled with `bun build --compile`, put on PATH, invoked through
 * kubectl (`kubectl container …`), against the whole stack (up.ts: webhook + controller) on the real
 * kube-apiserver with the real dockerd and on the simulated stack. Output and exit codes for success,
 * failure, denial and timeout.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, runLabelled, startUpStack, STACK_BACKENDS, type UpStack } from "../client/support/up-stack.ts";
import { waitFor } from "../controller/support/wait.ts";

let binDir = "";

beforeAll(async () => {
  binDir = mkdtempSync(join(tmpdir(), "kubectl-container-"));
  const build = Bun.spawn(["bun", "build", "--compile", `${REPO_ROOT}apps/kubectl-container/src/main.ts`, "--outfile", join(binDir, "kubectl-container")], {
    cwd: REPO_ROOT,
    stdout: "pipe",
    stderr: "pipe",
  });
  if ((await build.exited) !== 0) throw new Error(`bun build --compile failed: ${await new Response(build.stderr).text()}`);
}, 120_000);
afterAll(() => rmSync(binDir, { recursive: true, force: true }));

for (const backend of STACK_BACKENDS) {
  describe(`[${backend}] kubectl container`, () => {
    let stack: UpStack;
    const unique = (what: string) => `plugin-${what}-${Date.now().toString(36)}`;

    /** `kubectl container ARGS` with the plugin on PATH and KUBECONFIG set, as a user's shell has them. */
    async function kubectlContainer(...args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
      const proc = Bun.spawn(["kubectl", "container", ...args, "-n", stack.namespace], {
        env: { ...process.env, PATH: `${binDir}:${process.env.PATH}`, KUBECONFIG: stack.kubeconfig },
        stdout: "pipe",
        stderr: "pipe",
      });
      const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
      return { exitCode, stdout, stderr };
    }
    async function mirrored(name: string, options: Parameters<typeof runLabelled>[2] = {}): Promise<string> {
      const id = await runLabelled(stack.docker, name, options);
      await waitFor(`the mirror of ${name}`, async () => ((await kubectlContainer("ls")).stdout.includes(name) ? true : undefined), 20_000);
      return id;
    }

    beforeAll(async () => {
      stack = await startUpStack(backend, "plugin-e2e");
    }, 120_000);
    afterAll(() => stack?.stop(), 60_000);

    test("restart NAME --wait: exit 0, Succeeded; Docker restarted it; ls shows it like docker ps", async () => {
      const name = unique("web");
      const id = await mirrored(name);
      const before = (await stack.docker.getContainer(id).inspect()).State.StartedAt;
      const r = await kubectlContainer("restart", name, "--wait");
      expect(r.stderr).toBe("");
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^restart ${name}: Succeeded \\(request [0-9a-f-]{36}\\)\\n$`));
      expect((await stack.docker.getContainer(id).inspect()).State.StartedAt).not.toBe(before);
      // The mirror's status follows Docker's restart events; ls shows it once the mirror caught up.
      const row = new RegExp(`^${id.slice(0, 12)}\\s+local/busybox:latest\\s+running\\s+restart: Succeeded\\s+${name}$`, "m");
      await waitFor("ls to show the restarted container", async () => (row.test((await kubectlContainer("ls")).stdout) ? true : undefined), 15_000);
    }, 40_000);

    test("restart by short ID with -o json: exit 0 and the lastAction of this request", async () => {
      const id = await mirrored(unique("json"));
      const r = await kubectlContainer("restart", id.slice(0, 12), "--wait", "-o", "json");
      expect(r.exitCode).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(result).toMatchObject({ kind: "succeeded", lastAction: { action: "restart", state: "Succeeded" } });
      expect(result.lastAction.requestId).toBe(result.requestId);
    }, 40_000);

    test("failure: pause on a stopped container → exit 1 with Docker's error", async () => {
      const name = unique("stopped");
      await mirrored(name);
      expect((await kubectlContainer("stop", name, "--wait")).exitCode).toBe(0);
      const r = await kubectlContainer("pause", name, "--wait");
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`pause ${name}: Failed: `);
      expect(r.stderr).toContain("not running");
    }, 40_000);

    test("denial: the webhook refuses a malformed request id → exit 2 with its message", async () => {
      const name = unique("denied");
      await mirrored(name);
      const r = await kubectlContainer("restart", name, "--wait", "--request-id=not valid.");
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain("denied the request");
      expect(r.stderr).toContain('"not valid."');
    }, 40_000);

    test("usage: an unknown command or a bad duration → exit 2 with the usage", async () => {
      const bad = await kubectlContainer("reboot", "x");
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr).toContain('unknown command "reboot"');
      const duration = await kubectlContainer("stop", "x", "--wait", "--timeout", "soon");
      expect(duration.exitCode).toBe(2);
      expect(duration.stderr).toContain('--timeout "soon": expected a duration');
    }, 20_000);

    test("timeout: a stop that waits out a 6 s grace period, --timeout 1s → exit 3; it is still pending", async () => {
      const name = unique("slow");
      await mirrored(name, { slowStopS: 6 });
      const r = await kubectlContainer("stop", name, "--wait", "--timeout", "1s");
      expect(r.exitCode).toBe(3);
      expect(r.stderr).toContain("timed out after 1000 ms");
      expect((await kubectlContainer("ls")).stdout).toMatch(new RegExp(`stop: pending\\s+${name}$`, "m"));
    }, 40_000);
  });
}
