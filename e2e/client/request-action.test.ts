/**
 * @container-actions/client against the whole stack (webhook + controller started by up.ts), on the
 * real kube-apiserver with the real dockerd and on the simulated stack: the outcome of one's own
 * request, and each way there is none (denial, failure, timeout, supersession, not found).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { KubeConfig } from "@kubernetes/client-node";
import { requestAction, resolveContainer, watchContainers, type Container } from "@container-actions/client";
import { runLabelled, startUpStack, STACK_BACKENDS, type UpStack } from "./support/up-stack.ts";
import { daemonNowSec, waitEvent } from "../controller/support/test-docker.ts";
import { waitFor } from "../controller/support/wait.ts";

for (const backend of STACK_BACKENDS) {
  describe(`[${backend}] client: requestAction`, () => {
    let stack: UpStack;
    let kc: KubeConfig;
    const unique = (what: string) => `client-${what}-${Date.now().toString(36)}`;
    const target = (container: string, action: string) => ({ namespace: stack.namespace, container, action: action as never });
    /** Runs a container and waits for its mirror. */
    async function mirrored(name: string, options: Parameters<typeof runLabelled>[2] = {}): Promise<string> {
      const id = await runLabelled(stack.docker, name, options);
      await waitFor(`the mirror of ${name}`, async () => ((await resolveContainer(kc, stack.namespace, id)).kind === "found" ? true : undefined), 20_000);
      return id;
    }
    const dockerStatus = async (id: string) => (await stack.docker.getContainer(id).inspect()).State.Status;

    beforeAll(async () => {
      stack = await startUpStack(backend, "client-e2e");
      kc = new KubeConfig();
      kc.loadFromFile(stack.kubeconfig);
    }, 120_000);
    afterAll(() => stack?.stop(), 60_000);

    test("succeeded: restart by Docker name; the lastAction carries this call's request id", async () => {
      const name = unique("web");
      const id = await mirrored(name);
      const before = (await stack.docker.getContainer(id).inspect()).State.StartedAt;
      const result = await requestAction(kc, target(name, "restart"), { timeoutMs: 20_000 });
      expect(result).toMatchObject({ kind: "succeeded", lastAction: { action: "restart", state: "Succeeded" } });
      if (result.kind === "succeeded") expect(result.lastAction.requestId).toBe(result.requestId);
      expect((await stack.docker.getContainer(id).inspect()).State.StartedAt).not.toBe(before);
      // The mirror carries the image name as `docker ps` shows it (the console's Image column).
      const resolved = await resolveContainer(kc, stack.namespace, name);
      expect(resolved.kind === "found" ? resolved.container.status?.imageName : undefined).toBe("local/busybox:latest");
    }, 40_000);

    test("failed: pause on a stopped container carries Docker's error", async () => {
      const name = unique("stopped");
      const id = await mirrored(name);
      expect((await requestAction(kc, target(id, "stop"), { timeoutMs: 20_000 })).kind).toBe("succeeded");
      const result = await requestAction(kc, target(id, "pause"), { timeoutMs: 20_000 });
      expect(result.kind).toBe("failed");
      if (result.kind === "failed") expect(result.error).toContain("not running");
    }, 40_000);

    test("denied: an invalid action comes back with the webhook's message, and nothing is written", async () => {
      const id = await mirrored(unique("denied"));
      const result = await requestAction(kc, target(id, "bogus"));
      expect(result.kind).toBe("denied");
      if (result.kind === "denied") {
        expect(result.message).toContain("denied the request");
        expect(result.message).toContain('"bogus"');
      }
      const resolved = await resolveContainer(kc, stack.namespace, id);
      expect(resolved.kind === "found" ? resolved.container.metadata.annotations?.["containers.rancherdesktop.io/action"] : "?").toBeUndefined();
    }, 40_000);

    test("timeout: a stop that waits out a 6 s grace period is not done in 1 s; it still completes later", async () => {
      const id = await mirrored(unique("slow"), { slowStopS: 6 });
      const result = await requestAction(kc, target(id, "stop"), { timeoutMs: 1_000 });
      expect(result).toMatchObject({ kind: "timeout", timeoutMs: 1_000 });
      // Waiting again for the same request id picks up its outcome.
      const resumed = await requestAction(kc, target(id, "stop"), { requestId: result.requestId, timeoutMs: 20_000 });
      expect(resumed).toMatchObject({ kind: "succeeded", requestId: result.requestId });
      expect(await dockerStatus(id)).toBe("exited");
    }, 40_000);

    test("superseded: a request replaced before it ran reports the one that ran instead", async () => {
      const id = await mirrored(unique("busy"), { slowStopS: 6 });
      // Keep the Container busy with a slow stop (Docker has sent SIGTERM: the controller is in it), then
      // write A and, while the stop still waits out its grace period, B.
      const sinceSec = await daemonNowSec(stack.docker);
      const busy = requestAction(kc, target(id, "stop"), { timeoutMs: 30_000 });
      await waitEvent(stack.docker, id, "kill", sinceSec, 15_000);
      const a = requestAction(kc, target(id, "restart"), { timeoutMs: 30_000 });
      await waitFor("A in the slot", async () => {
        const r = await resolveContainer(kc, stack.namespace, id);
        return r.kind === "found" && r.container.metadata.annotations?.["containers.rancherdesktop.io/action"] === "restart" ? true : undefined;
      });
      const b = await requestAction(kc, target(id, "start"), { timeoutMs: 30_000 });
      expect((await busy).kind).toBe("succeeded");
      expect(b.kind).toBe("succeeded");
      expect(await a).toMatchObject({ kind: "superseded", by: { action: "start", requestId: b.requestId } });
      expect(await dockerStatus(id)).toBe("running");
    }, 60_000);

    test("not found: a name no mirror carries", async () => {
      expect(await requestAction(kc, target("no-such-container-anywhere", "stop"))).toMatchObject({ kind: "not-found" });
    }, 20_000);

    test("watchContainers: a new container appears in the live list, and leaves it when removed", async () => {
      const name = unique("watched");
      const names = () => live.current().map((c: Container) => c.status?.name);
      const live = watchContainers(kc, stack.namespace, () => {});
      try {
        const id = await runLabelled(stack.docker, name);
        await waitFor("the container in the live list", () => (names().includes(name) ? true : undefined), 20_000);
        await stack.docker.getContainer(id).remove({ force: true });
        await waitFor("the container gone from the live list", () => (names().includes(name) ? undefined : true), 20_000);
      } finally {
        live.stop();
      }
    }, 40_000);
  });
}
