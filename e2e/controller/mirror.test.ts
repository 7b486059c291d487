/**
 * Mirror sync, as a user sees it: Docker changes show up as Container objects, and deleting a Container
 * removes its Docker container. Real controller process, real dockerd, real kube-apiserver.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { FINALIZER_MIRROR } from "@container-actions/core";
import { KUBE_BACKENDS } from "./support/cluster.ts";
import { closeSuite, openSuite, type Suite } from "./support/suite.ts";
import { dockerState, runContainer } from "./support/test-docker.ts";
import { kubectl } from "./support/test-kube.ts";
import { waitFor } from "./support/wait.ts";

for (const backend of KUBE_BACKENDS) {
  describe(`[${backend}] mirror sync`, () => {
    let s: Suite;
    beforeAll(async () => {
      s = await openSuite(backend, "controller-e2e-mirror");
    }, 60_000);
    afterAll(() => closeSuite(s), 60_000);

    const mirror = (id: string) => s.cluster.kube.getContainer(s.namespace, id);

    test("docker run: a mirror appears with status running, the Docker name, the finalizer and no lastAction", async () => {
      const id = await runContainer(s.docker, { name: `ctl-e2e-run-${Date.now()}` });
      const c = await waitFor("a running mirror", async () => ((await mirror(id))?.status?.status === "running" ? mirror(id) : undefined));
      expect(c?.status?.name).toStartWith("ctl-e2e-run-");
      expect(c?.status?.namespace).toBe("moby");
      expect(c?.status?.labels).toMatchObject({ "container-actions-e2e": "controller" });
      expect(c?.metadata.finalizers).toEqual([FINALIZER_MIRROR]);
      expect(c?.status?.lastAction).toBeUndefined();
    }, 20_000);

    test("docker stop: the mirror's status becomes exited", async () => {
      const id = await runContainer(s.docker);
      await waitFor("a running mirror", async () => ((await mirror(id))?.status?.status === "running" ? true : undefined));
      await s.docker.getContainer(id).stop();
      const c = await waitFor("an exited mirror", async () => {
        const m = await mirror(id);
        return m?.status?.status === "exited" ? m : undefined;
      });
      expect(c.status?.finishedAt).toBeDefined();
    }, 20_000);

    test("docker rm: the mirror is deleted", async () => {
      const id = await runContainer(s.docker);
      await waitFor("the mirror", () => mirror(id));
      await s.docker.getContainer(id).remove({ force: true });
      await waitFor("the mirror to be deleted", async () => ((await mirror(id)) === undefined ? true : undefined));
    }, 20_000);

    test("deleting the mirror removes the Docker container (a created one, as in rdd's test)", async () => {
      const id = await runContainer(s.docker, { start: false });
      await waitFor("a created mirror", async () => ((await mirror(id))?.status?.status === "created" ? true : undefined));
      const deleted = await kubectl(s.cluster.kubeconfig, ["-n", s.namespace, "delete", "container", id, "--wait=false"]);
      expect(deleted.exitCode).toBe(0);
      await waitFor("the mirror to be gone", async () => ((await mirror(id)) === undefined ? true : undefined));
      expect(await dockerState(s.docker, id)).toBeUndefined();
    }, 20_000);

    test("deleting the mirror of a running container force-removes it", async () => {
      const id = await runContainer(s.docker);
      await waitFor("a running mirror", async () => ((await mirror(id))?.status?.status === "running" ? true : undefined));
      await s.cluster.kube.deleteContainer(s.namespace, id);
      await waitFor("the Docker container to be removed", async () => ((await dockerState(s.docker, id)) === undefined ? true : undefined));
      await waitFor("the mirror to be gone", async () => ((await mirror(id)) === undefined ? true : undefined));
    }, 20_000);

    test("health: /healthz ok and /readyz lists informer, docker and leader", async () => {
      expect(await (await fetch(`${s.controller.metricsBase}/healthz`)).text()).toBe("ok\n");
      const ready = await s.controller.readyz();
      expect(ready).toEqual({ status: 200, body: "[+]informer ok\n[+]docker ok\n[+]leader ok\nreadyz check passed\n" });
    }, 5_000);
  });
}
