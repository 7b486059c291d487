/**
 * dockerd goes away and comes back. The controller reports itself unready, keeps every mirror (no churn)
 * and every request, and completes a request written while Docker was down once it is back. Runs its own
 * private dockerd (tools/docker-engine), because restarting the shared one would disturb other suites.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { ANNOTATION_ACTION } from "@container-actions/core";
import { KUBE_BACKENDS } from "./support/cluster.ts";
import { REPO_ROOT } from "./support/env.ts";
import { closeSuite, openSuite, type Suite } from "./support/suite.ts";
import { dockerState, runContainer } from "./support/test-docker.ts";
import { waitFor } from "./support/wait.ts";

/** Starts (or restarts) the private engine in `dir`; returns its DOCKER_HOST. */
function startEngine(dir: string): string {
  const run = Bun.spawnSync(["bash", `${REPO_ROOT}tools/docker-engine/start.sh`, dir]);
  const last = run.stdout.toString().trim().split("\n").at(-1) ?? "";
  if (run.exitCode !== 0 || !last.startsWith("DOCKER_HOST=")) throw new Error(`tools/docker-engine/start.sh ${dir} failed: ${run.stdout}${run.stderr}`);
  return last.slice("DOCKER_HOST=".length);
}

/** Stops dockerd by its PID with SIGTERM (as a host shutdown would), keeping its containers. */
async function killEngine(dir: string): Promise<void> {
  const pid = Number(readFileSync(`${dir}/docker.pid`, "utf8").trim());
  process.kill(pid, "SIGTERM");
  await waitFor("dockerd to exit", () => {
    try {
      process.kill(pid, 0);
      return undefined;
    } catch {
      return true;
    }
  }, 30_000);
}

for (const backend of KUBE_BACKENDS) {
  describe(`[${backend}] Docker engine restart`, () => {
    let s: Suite;
    // Short: unix socket paths are limited to 107 bytes (tools/README.md).
    const dir = mkdtempSync("/tmp/cae-");
    beforeAll(async () => {
      const dockerHost = startEngine(dir);
      s = await openSuite(backend, "controller-e2e-engine", { dockerHost });
    }, 60_000);
    afterAll(async () => {
      await closeSuite(s);
      Bun.spawnSync(["bash", `${REPO_ROOT}tools/docker-engine/stop.sh`, dir]);
      rmSync(dir, { recursive: true, force: true });
    }, 90_000);

    test("dockerd stopped: unready, mirrors and the request kept; dockerd back: the request written meanwhile completes", async () => {
      const id = await runContainer(s.docker);
      const mirror = await waitFor("a running mirror", async () => {
        const m = await s.cluster.kube.getContainer(s.namespace, id);
        return m?.status?.status === "running" ? m : undefined;
      });

      await killEngine(dir);
      const unready = await waitFor("/readyz to report Docker unreachable", async () => {
        const r = await s.controller.readyz();
        return r.status === 503 && r.body.includes("[-]docker failed") ? r : undefined;
      }, 10_000, 50);
      expect(unready.body).toContain("[+]informer ok");
      await s.cluster.kube.requestAction(s.namespace, id, "start", "while-engine-down");
      await Bun.sleep(1_500);
      const during = await s.cluster.kube.getContainer(s.namespace, id);
      expect(during?.metadata.uid).toBe(mirror.metadata.uid); // no mirror churn
      expect(during?.metadata.deletionTimestamp).toBeUndefined();
      expect(during?.metadata.annotations?.[ANNOTATION_ACTION]).toBe("start"); // the request is kept, not failed

      startEngine(dir); // dockerd stopped the container on shutdown; it comes back exited
      const c = await s.cluster.kube.waitHandled(s.namespace, id, 45_000);
      expect(c.status?.lastAction).toMatchObject({ action: "start", state: "Succeeded", requestId: "while-engine-down" });
      expect(c.metadata.uid).toBe(mirror.metadata.uid);
      expect((await dockerState(s.docker, id))?.Status).toBe("running");
      // The mirror follows Docker's event stream, which reconnects after a backoff doubling from 250 ms to
      // 30 s (docs/operations.md): an outage that outlasts a few attempts may leave the mirror stale for up
      // to that cap after the action itself went through, so the wait allows it.
      await waitFor("a running mirror again", async () => ((await s.cluster.kube.getContainer(s.namespace, id))?.status?.status === "running" ? true : undefined), 35_000);
      await s.controller.waitReady(10_000);
    }, 120_000);
  });
}
