/**
 * A fleet: two real dockerds and two controller processes on one cluster, one namespace per engine.
 * Each engine's containers are mirrored only into its own namespace, actions reach only their own
 * engine, and a Container hand-made in one engine's namespace with the other engine's full ID — or a
 * Docker name both engines have — reaches neither. (One shared namespace is not supported: a controller
 * deletes mirrors its engine does not have; see docs/operations.md.)
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type Docker from "dockerode";
import { API_VERSION, KIND } from "@container-actions/core";
import { KUBE_BACKENDS, startCluster, type Cluster } from "./support/cluster.ts";
import { ControllerProcess } from "./support/controller-process.ts";
import { requireEnv } from "./support/env.ts";
import { containerEvents, daemonNowSec, dockerFor, dockerState, removeLabelled, runContainer } from "./support/test-docker.ts";
import { waitFor } from "./support/wait.ts";

interface Member {
  namespace: string;
  docker: Docker;
  controller: ControllerProcess;
}

for (const backend of KUBE_BACKENDS) {
  describe(`[${backend}] fleet: two engines, two controllers, one cluster`, () => {
    let cluster: Cluster;
    let a: Member;
    let b: Member;

    beforeAll(async () => {
      cluster = await startCluster(backend);
      const join = async (namespace: string, dockerHost: string): Promise<Member> => {
        const docker = dockerFor(dockerHost);
        await cluster.kube.ensureNamespace(namespace);
        await removeLabelled(docker);
        await cluster.kube.purgeNamespace(namespace);
        const controller = await ControllerProcess.start({ kubeconfig: cluster.kubeconfig, dockerHost, namespace });
        await controller.waitReady();
        return { namespace, docker, controller };
      };
      a = await join("fleet-e2e-a", requireEnv("CA_REAL_DOCKER_HOST"));
      b = await join("fleet-e2e-b", requireEnv("CA_REAL_DOCKER_HOST_2"));
    }, 90_000);

    afterAll(async () => {
      for (const m of [a, b]) {
        if (m === undefined) continue;
        await removeLabelled(m.docker).catch(() => undefined);
        await m.controller.stop();
        await cluster.kube.purgeNamespace(m.namespace).catch(() => undefined);
      }
      await cluster?.stop();
    }, 60_000);

    const mirrorIn = (m: Member, id: string) =>
      waitFor(`the mirror of ${id.slice(0, 12)} in ${m.namespace}`, async () => ((await cluster.kube.getContainer(m.namespace, id))?.status?.status === "running" ? true : undefined), 20_000);
    const effectsSince = async (docker: Docker, id: string, sinceSec: number) =>
      (await containerEvents(docker, id, sinceSec, (await daemonNowSec(docker)) + 1))
        .map((e) => e.Action)
        .filter((x) => ["kill", "stop", "die", "pause", "restart", "destroy"].includes(x));

    test("each engine's containers are mirrored into its own namespace only, and actions reach only that engine", async () => {
      // The same Docker name on both engines.
      const name = `fleet-web-${Date.now().toString(36)}`;
      const idA = await runContainer(a.docker, { name });
      const idB = await runContainer(b.docker, { name });
      await mirrorIn(a, idA);
      await mirrorIn(b, idB);
      expect(await cluster.kube.getContainer(a.namespace, idB)).toBeUndefined();
      expect(await cluster.kube.getContainer(b.namespace, idA)).toBeUndefined();

      await cluster.kube.requestAction(a.namespace, idA, "stop", "fleet-1");
      expect((await cluster.kube.waitHandled(a.namespace, idA)).status?.lastAction).toMatchObject({ action: "stop", state: "Succeeded", requestId: "fleet-1" });
      expect((await dockerState(a.docker, idA))?.Status).toBe("exited");
      expect((await dockerState(b.docker, idB))?.Status).toBe("running");
    }, 40_000);

    test("no cross-talk: a Container hand-made in B's namespace with A's full ID, or a name both engines have, reaches neither engine", async () => {
      const name = `fleet-db-${Date.now().toString(36)}`;
      const idA = await runContainer(a.docker, { name });
      const idB = await runContainer(b.docker, { name });
      await mirrorIn(a, idA);
      await mirrorIn(b, idB);
      const sinceA = await daemonNowSec(a.docker);
      const sinceB = await daemonNowSec(b.docker);
      for (const foreign of [idA, name]) {
        const path = cluster.kube.containersPath(b.namespace);
        expect((await cluster.kube.request("POST", path, { apiVersion: API_VERSION, kind: KIND, metadata: { name: foreign } })).status).toBe(201);
        const status = { name, namespace: "moby", path: "sleep", image: "sha256:0", status: "running" };
        await cluster.kube.request("PATCH", `${cluster.kube.containersPath(b.namespace, foreign)}/status`, { status }, "application/merge-patch+json");
        await cluster.kube.requestAction(b.namespace, foreign, "stop", "cross-1");
        // B's controller removes the request (a ForeignContainer Warning), or its mirror sync removes the
        // object outright (a full ID its engine does not have): either way, nothing is pending any more.
        await waitFor(`the request on ${foreign.slice(0, 16)} in B's namespace to be gone`, async () => {
          const c = await cluster.kube.getContainer(b.namespace, foreign);
          return c === undefined || c.metadata.annotations?.["containers.rancherdesktop.io/action"] === undefined ? true : undefined;
        }, 20_000);
      }
      expect((await dockerState(a.docker, idA))?.Status).toBe("running");
      expect((await dockerState(b.docker, idB))?.Status).toBe("running");
      expect(await effectsSince(a.docker, idA, sinceA)).toEqual([]);
      expect(await effectsSince(b.docker, idB, sinceB)).toEqual([]);
      // A's own mirror is untouched by B.
      expect((await cluster.kube.getContainer(a.namespace, idA))?.metadata.deletionTimestamp).toBeUndefined();
    }, 60_000);
  });
}
