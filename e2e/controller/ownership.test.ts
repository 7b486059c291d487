/**
 * The ownership guard, as the issue reproduced it: someone with create rights in the engine's namespace
 * and no webhook (the default of `npm start -- --kubeconfig`) makes a Container named like a Docker
 * container's NAME, writes it a status and annotates it. The controller must not touch Docker.
 * Real controller process, real dockerd, each kube backend.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ANNOTATION_ACTION, ANNOTATION_ACTION_ID, API_VERSION, FINALIZER_MIRROR, KIND } from "@container-actions/core";
import { KUBE_BACKENDS } from "./support/cluster.ts";
import { closeSuite, openSuite, type Suite } from "./support/suite.ts";
import { containerEvents, daemonNowSec, dockerState, runContainer } from "./support/test-docker.ts";
import { waitFor } from "./support/wait.ts";

for (const backend of KUBE_BACKENDS) {
  describe(`[${backend}] ownership guard`, () => {
    let s: Suite;
    beforeAll(async () => {
      s = await openSuite(backend, "controller-e2e-ownership");
    }, 60_000);
    afterAll(() => closeSuite(s), 60_000);

    /** A running Docker container named `name`, with its mirror (so the controller has listed the engine). */
    async function runNamed(name: string): Promise<string> {
      const id = await runContainer(s.docker, { name });
      await waitFor("its mirror", async () => ((await s.cluster.kube.getContainer(s.namespace, id))?.status?.status === "running" ? true : undefined));
      return id;
    }

    /** Creates a Container by hand, as a user with create rights would, and writes it a status. */
    async function handMade(name: string, finalizers: string[] = []): Promise<void> {
      const kube = s.cluster.kube;
      const created = await kube.request("POST", kube.containersPath(s.namespace), {
        apiVersion: API_VERSION,
        kind: KIND,
        metadata: { name, ...(finalizers.length > 0 ? { finalizers } : {}) },
      });
      expect(created.status).toBe(201);
      const status = { name, namespace: "moby", path: "sleep", image: "sha256:0", status: "running" };
      const written = await kube.request("PATCH", `${kube.containersPath(s.namespace, name)}/status`, { status }, "application/merge-patch+json");
      expect(written.status).toBe(200);
    }

    /** Docker events an action or a removal would cause (the create and start of the container itself may share the second). */
    const effectsSince = async (id: string, sinceSec: number) =>
      (await containerEvents(s.docker, id, sinceSec, (await daemonNowSec(s.docker)) + 1))
        .map((e) => e.Action)
        .filter((a) => ["kill", "stop", "die", "pause", "unpause", "restart", "destroy"].includes(a));

    for (const [what, nameOf] of [
      ["the demo-worker case: a Docker container's NAME", (_id: string, name: string) => name],
      ["a short ID", (id: string) => id.slice(0, 12)],
    ] as const) {
      test(`${what}: stop → no Docker call, container still running, a Warning Event, the annotation removed`, async () => {
        const dockerName = `demo-worker-${Date.now().toString(36)}`;
        const id = await runNamed(dockerName);
        const foreign = nameOf(id, dockerName);
        await handMade(foreign);
        const sinceSec = await daemonNowSec(s.docker);
        await s.cluster.kube.requestAction(s.namespace, foreign, "stop", "foreign-1");

        const handled = await s.cluster.kube.waitHandled(s.namespace, foreign);
        expect(handled.metadata.annotations?.[ANNOTATION_ACTION]).toBeUndefined();
        expect(handled.metadata.annotations?.[ANNOTATION_ACTION_ID]).toBeUndefined();
        expect(handled.status?.lastAction).toBeUndefined();
        const warning = await waitFor("a ForeignContainer Warning Event", async () =>
          (await s.cluster.kube.eventsFor(s.namespace, foreign)).find((e) => e.reason === "ForeignContainer"),
        );
        expect(warning).toMatchObject({ type: "Warning" });
        expect(warning.message).toContain("Docker not called");
        expect((await dockerState(s.docker, id))?.Status).toBe("running");
        expect(await effectsSince(id, sinceSec)).toEqual([]);
        // The real mirror of that container still works.
        await s.cluster.kube.requestAction(s.namespace, id, "stop", "own-1");
        expect((await s.cluster.kube.waitHandled(s.namespace, id)).status?.lastAction).toMatchObject({ action: "stop", state: "Succeeded", requestId: "own-1" });
        expect((await dockerState(s.docker, id))?.Status).toBe("exited");
      }, 30_000);
    }

    test("deleting a hand-made Container that carries the mirror finalizer: only the finalizer goes, the Docker container stays", async () => {
      const dockerName = `demo-db-${Date.now().toString(36)}`;
      const id = await runNamed(dockerName);
      await handMade(dockerName, [FINALIZER_MIRROR]);
      const sinceSec = await daemonNowSec(s.docker);
      await s.cluster.kube.deleteContainer(s.namespace, dockerName);
      await waitFor("the hand-made Container to be gone", async () => ((await s.cluster.kube.getContainer(s.namespace, dockerName)) === undefined ? true : undefined));
      expect((await dockerState(s.docker, id))?.Status).toBe("running");
      expect(await effectsSince(id, sinceSec)).toEqual([]);
    }, 30_000);
  });
}
