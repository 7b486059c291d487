/**
 * The controller killed with SIGKILL while Docker is executing its calls, then started again: no request
 * is lost and nothing runs twice (docs/design/api_containers.md, "Crashes and replay").
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ANNOTATION_ACTION } from "@container-actions/core";
import { KUBE_BACKENDS } from "./support/cluster.ts";
import { ControllerProcess, sumOf } from "./support/controller-process.ts";
import { closeSuite, openSuite, type Suite } from "./support/suite.ts";
import { containerEvents, daemonNowSec, dockerState, runContainer, waitEvent } from "./support/test-docker.ts";
import { waitFor } from "./support/wait.ts";

for (const backend of KUBE_BACKENDS) {
  describe(`[${backend}] crash and replay`, () => {
    let s: Suite;
    beforeAll(async () => {
      s = await openSuite(backend, "controller-e2e-crash");
    }, 60_000);
    afterAll(() => closeSuite(s), 60_000);

    const kube = () => s.cluster.kube;
    const mirrorIs = (id: string, status: string) =>
      waitFor(`a ${status} mirror`, async () => ((await kube().getContainer(s.namespace, id))?.status?.status === status ? true : undefined));

    test("SIGKILL mid-stop and mid-restart, a request written while down: after a restart every request completes, and nothing restarts twice", async () => {
      // sleep as PID 1 without init ignores SIGTERM: a stop (and the stop inside a restart) takes StopTimeout = 3 s.
      const stopping = await runContainer(s.docker, { init: false, stopTimeout: 3 });
      const restarting = await runContainer(s.docker, { init: false, stopTimeout: 3 });
      const idle = await runContainer(s.docker);
      await s.docker.getContainer(idle).stop();
      await Promise.all([mirrorIs(stopping, "running"), mirrorIs(restarting, "running"), mirrorIs(idle, "exited")]);
      const startedBefore = (await dockerState(s.docker, restarting))?.StartedAt;

      const since = await daemonNowSec(s.docker);
      await kube().requestAction(s.namespace, stopping, "stop", "k-stop");
      await kube().requestAction(s.namespace, restarting, "restart", "k-restart");
      await Promise.all([waitEvent(s.docker, stopping, "kill", since, 10_000), waitEvent(s.docker, restarting, "kill", since, 10_000)]);
      await s.controller.kill(); // both Docker calls are in flight

      for (const id of [stopping, restarting]) {
        expect((await kube().getContainer(s.namespace, id))?.metadata.annotations?.[ANNOTATION_ACTION]).toBeDefined();
      }
      await kube().requestAction(s.namespace, idle, "start", "k-while-down");
      // Let Docker finish what the dead controller asked, so the replay meets a finished restart.
      await waitFor("Docker to finish the stop", async () => ((await dockerState(s.docker, stopping))?.Status === "exited" ? true : undefined), 15_000);
      const restarted = await waitFor("Docker to finish the restart", async () => {
        const st = await dockerState(s.docker, restarting);
        return st?.Running && st.StartedAt !== startedBefore ? st.StartedAt : undefined;
      }, 15_000);

      s.controller = await ControllerProcess.start({ kubeconfig: s.cluster.kubeconfig, dockerHost: s.dockerHost, namespace: s.namespace });
      await s.controller.waitReady();

      const [a, b, c] = await Promise.all([stopping, restarting, idle].map((id) => kube().waitHandled(s.namespace, id)));
      expect(a?.status?.lastAction).toMatchObject({ action: "stop", state: "Succeeded", requestId: "k-stop" });
      expect(b?.status?.lastAction).toMatchObject({ action: "restart", state: "Succeeded", requestId: "k-restart" });
      expect(c?.status?.lastAction).toMatchObject({ action: "start", state: "Succeeded", requestId: "k-while-down" });
      expect((await dockerState(s.docker, idle))?.Status).toBe("running");

      // Nothing ran twice: one restart (StartedAt unchanged since), one stop.
      expect((await dockerState(s.docker, restarting))?.StartedAt).toBe(restarted);
      const until = (await daemonNowSec(s.docker)) + 1;
      const restartEvents = (await containerEvents(s.docker, restarting, since, until)).filter((e) => e.Action === "restart");
      const stopEvents = (await containerEvents(s.docker, stopping, since, until)).filter((e) => e.Action === "stop");
      expect([restartEvents.length, stopEvents.length]).toEqual([1, 1]);
      // The restarted controller's own count: the restart replay was answered by the StartedAt pre-check
      // (an inspect, no restart call); the stop replay was one stop call answered 304.
      const m = await s.controller.metrics();
      expect(sumOf(m, "docker_call_duration_seconds_count", { caller: "action", call: "restart" })).toBe(0);
      expect(sumOf(m, "docker_call_duration_seconds_count", { caller: "action", call: "stop" })).toBe(1);
      const replayed = s.controller.logs.filter((l) => l.msg === "Action handled").map((l) => `${l.action}:${l.requestId}:${l.dispatched}`);
      expect(replayed.sort()).toEqual(["restart:k-restart:true", "start:k-while-down:true", "stop:k-stop:true"]);
    }, 60_000);
  });
}
