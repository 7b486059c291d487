/**
 * Action requests, as a user sees them: write the annotation, wait for it to disappear, read
 * status.lastAction and Docker's state. Real controller process, real dockerd, real kube-apiserver.
 * The rdd BATS action tests (reference-behavior.md §5.1 #11–#20), plus request ids.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ANNOTATION_ACTION, ANNOTATION_ACTION_ID, type Container } from "@container-actions/core";
import { KUBE_BACKENDS } from "./support/cluster.ts";
import { closeSuite, openSuite, type Suite } from "./support/suite.ts";
import { daemonNowSec, dockerState, runContainer, waitEvent } from "./support/test-docker.ts";
import { kubectl } from "./support/test-kube.ts";
import { waitFor } from "./support/wait.ts";

for (const backend of KUBE_BACKENDS) {
  describe(`[${backend}] actions`, () => {
    let s: Suite;
    beforeAll(async () => {
      s = await openSuite(backend, "controller-e2e-actions");
    }, 60_000);
    afterAll(() => closeSuite(s), 60_000);

    /** A container with its mirror in `status` (running unless said otherwise). */
    async function mirrored(options: Parameters<typeof runContainer>[1] = {}, status = "running"): Promise<string> {
      const id = await runContainer(s.docker, options);
      await waitFor(`a ${status} mirror`, async () => ((await s.cluster.kube.getContainer(s.namespace, id))?.status?.status === status ? true : undefined));
      return id;
    }
    /** Requests `action` and waits until it is handled; returns the Container then. */
    async function act(id: string, action: string, requestId?: string): Promise<Container> {
      await s.cluster.kube.requestAction(s.namespace, id, action, requestId);
      return s.cluster.kube.waitHandled(s.namespace, id);
    }
    const mirrorStatus = (id: string, status: string) =>
      waitFor(`mirror status ${status}`, async () => ((await s.cluster.kube.getContainer(s.namespace, id))?.status?.status === status ? true : undefined));

    test("stop: lastAction stop=Succeeded, mirror exited, Docker exited, an ActionSucceeded Event (written with kubectl annotate)", async () => {
      const id = await mirrored();
      const annotate = await kubectl(s.cluster.kubeconfig, ["-n", s.namespace, "annotate", "container", id, "--overwrite", `${ANNOTATION_ACTION}=stop`]);
      expect(annotate.exitCode).toBe(0);
      const c = await s.cluster.kube.waitHandled(s.namespace, id);
      expect(c.status?.lastAction).toMatchObject({ action: "stop", state: "Succeeded" });
      expect(c.status?.lastAction?.error).toBeUndefined();
      // kubectl sent no id: the controller stamped a UUID on the request before the Docker call.
      const stamped = c.status?.lastAction?.requestId ?? "";
      expect(stamped).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect((await dockerState(s.docker, id))?.Status).toBe("exited");
      await mirrorStatus(id, "exited");
      const events = await waitFor("an ActionSucceeded Event", async () => {
        const e = (await s.cluster.kube.eventsFor(s.namespace, id)).find((x) => x.reason === "ActionSucceeded");
        return e;
      });
      expect(events).toMatchObject({ type: "Normal", message: "stop succeeded", source: { component: "container-actions-controller" } });
    }, 20_000);

    test("start: a stopped container runs again; lastAction start=Succeeded", async () => {
      const id = await mirrored();
      await act(id, "stop");
      const c = await act(id, "start");
      expect(c.status?.lastAction).toMatchObject({ action: "start", state: "Succeeded" });
      expect((await dockerState(s.docker, id))?.Status).toBe("running");
      await mirrorStatus(id, "running");
    }, 20_000);

    test("pause and unpause toggle a running container", async () => {
      const id = await mirrored();
      expect((await act(id, "pause")).status?.lastAction).toMatchObject({ action: "pause", state: "Succeeded" });
      expect((await dockerState(s.docker, id))?.Status).toBe("paused");
      await mirrorStatus(id, "paused");
      expect((await act(id, "unpause")).status?.lastAction).toMatchObject({ action: "unpause", state: "Succeeded" });
      expect((await dockerState(s.docker, id))?.Status).toBe("running");
      await mirrorStatus(id, "running");
    }, 20_000);

    test("restart: Succeeded, and Docker's StartedAt changes", async () => {
      const id = await mirrored();
      const before = (await dockerState(s.docker, id))?.StartedAt;
      const c = await act(id, "restart");
      expect(c.status?.lastAction).toMatchObject({ action: "restart", state: "Succeeded" });
      const after = await dockerState(s.docker, id);
      expect(after?.Status).toBe("running");
      expect(after?.StartedAt).not.toBe(before);
    }, 20_000);

    test("pause on a stopped container: Failed, error from Docker containing `not running`", async () => {
      const id = await mirrored({ cmd: ["true"] }, "exited");
      const la = (await act(id, "pause")).status?.lastAction;
      expect(la).toMatchObject({ action: "pause", state: "Failed" });
      expect(la?.error).toContain("not running");
      expect(la?.error).toStartWith("Error response from daemon: ");
    }, 20_000);

    test("unpause on a stopped container: Failed, error containing `not running` (no Docker call)", async () => {
      const id = await mirrored({ cmd: ["true"] }, "exited");
      const la = (await act(id, "unpause")).status?.lastAction;
      expect(la).toMatchObject({ action: "unpause", state: "Failed", error: `cannot unpause container ${id}: not running` });
    }, 20_000);

    test("lastAction survives a direct docker stop (start on a running container is the 304 path)", async () => {
      const id = await mirrored();
      expect((await act(id, "start")).status?.lastAction).toMatchObject({ action: "start", state: "Succeeded" });
      await s.docker.getContainer(id).stop();
      await mirrorStatus(id, "exited");
      const c = await s.cluster.kube.getContainer(s.namespace, id);
      expect(c?.status?.lastAction).toMatchObject({ action: "start", state: "Succeeded" });
    }, 20_000);

    test("observedAt and completedAt advance across consecutive actions; a Succeeded outcome clears the previous error", async () => {
      const id = await mirrored({ cmd: ["true"] }, "exited");
      const failed = (await act(id, "pause")).status?.lastAction;
      expect(failed?.state).toBe("Failed");
      const started = (await act(id, "start")).status?.lastAction;
      expect(started).toMatchObject({ action: "start", state: "Succeeded" });
      expect(started?.error).toBeUndefined();
      expect(Date.parse(started!.observedAt!)).toBeGreaterThan(Date.parse(failed!.observedAt!));
      expect(Date.parse(started!.completedAt!)).toBeGreaterThan(Date.parse(failed!.completedAt!));
      expect(Date.parse(started!.completedAt!)).toBeGreaterThanOrEqual(Date.parse(started!.observedAt!));
    }, 20_000);

    test("two restart requests with different request ids both run: requestId ends with the second, StartedAt changes twice", async () => {
      const id = await mirrored();
      const t0 = (await dockerState(s.docker, id))?.StartedAt;
      const first = await act(id, "restart", "req-a");
      expect(first.status?.lastAction).toMatchObject({ action: "restart", state: "Succeeded", requestId: "req-a" });
      const t1 = (await dockerState(s.docker, id))?.StartedAt;
      const second = await act(id, "restart", "req-b");
      expect(second.status?.lastAction).toMatchObject({ action: "restart", state: "Succeeded", requestId: "req-b" });
      expect(second.metadata.annotations?.[ANNOTATION_ACTION_ID]).toBeUndefined();
      const t2 = (await dockerState(s.docker, id))?.StartedAt;
      expect(new Set([t0, t1, t2]).size).toBe(3);
    }, 20_000);

    test("a request written while another is in flight survives the guarded removal and runs next", async () => {
      // No init and StopTimeout 2: the stop takes 2 s (sleep as PID 1 ignores SIGTERM), a window to write into.
      const id = await mirrored({ init: false, stopTimeout: 2 });
      const since = await daemonNowSec(s.docker);
      await s.cluster.kube.requestAction(s.namespace, id, "stop", "first");
      await waitEvent(s.docker, id, "kill", since, 10_000); // the stop is in flight: SIGTERM sent, 2 s to wait
      await s.cluster.kube.requestAction(s.namespace, id, "start", "second");
      expect((await s.cluster.kube.getContainer(s.namespace, id))?.metadata.annotations?.[ANNOTATION_ACTION_ID]).toBe("second");
      const c = await waitFor("lastAction of the second request", async () => {
        const m = await s.cluster.kube.getContainer(s.namespace, id);
        return m?.status?.lastAction?.requestId === "second" && m.metadata.annotations?.[ANNOTATION_ACTION] === undefined ? m : undefined;
      }, 20_000);
      expect(c.status?.lastAction).toMatchObject({ action: "start", state: "Succeeded" });
      expect((await dockerState(s.docker, id))?.Status).toBe("running");
    }, 30_000);
  });
}
