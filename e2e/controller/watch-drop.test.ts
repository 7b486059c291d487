/**
 * The controller's connections to the API server are cut (a TCP proxy between them drops every
 * connection, the informer's watch included, and refuses new ones for a while). The controller notices,
 * reconnects with backoff, and handles a request written while it was cut off. The proxy is the honest
 * way to drop the watch of a real, shared apiserver: restarting the apiserver would disturb other suites,
 * and a test hook inside the controller would not exercise client-node's real watch.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KUBE_BACKENDS } from "./support/cluster.ts";
import { ControllerProcess, sumOf } from "./support/controller-process.ts";
import { closeSuite, openSuite, type Suite } from "./support/suite.ts";
import { TcpProxy } from "./support/tcp-proxy.ts";
import { kubeconfigWithServer } from "./support/test-kube.ts";
import { dockerState, runContainer } from "./support/test-docker.ts";
import { waitFor } from "./support/wait.ts";

for (const backend of KUBE_BACKENDS) {
  describe(`[${backend}] API server connection drops`, () => {
    let s: Suite;
    let proxy: TcpProxy;
    const dir = mkdtempSync(join(tmpdir(), "ctl-e2e-"));
    beforeAll(async () => {
      s = await openSuite(backend, "controller-e2e-watch", { startController: false });
      const server = new URL(s.cluster.kube.server);
      proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 443) });
      const kubeconfig = join(dir, "kubeconfig-via-proxy");
      kubeconfigWithServer(s.cluster.kubeconfig, `https://${server.hostname}:${proxy.port}`, kubeconfig);
      s.controller = await ControllerProcess.start({ kubeconfig, dockerHost: s.dockerHost, namespace: s.namespace });
      await s.controller.waitReady();
    }, 60_000);
    afterAll(async () => {
      await closeSuite(s);
      await proxy?.stop();
      rmSync(dir, { recursive: true, force: true }); // holds a copy of the admin credentials
    }, 60_000);

    test("watch and connections cut for ~2 s: readiness drops, the informer reconnects, a request written meanwhile completes", async () => {
      const id = await runContainer(s.docker);
      await waitFor("a running mirror", async () => ((await s.cluster.kube.getContainer(s.namespace, id))?.status?.status === "running" ? true : undefined));
      const watchesBefore = sumOf(await s.controller.metrics(), "kube_api_requests_total", { verb: "watch", caller: "informer" });
      expect(proxy.openConnections()).toBeGreaterThan(0);

      proxy.cut();
      const unready = await waitFor("/readyz to report the informer failing", async () => {
        const r = await s.controller.readyz();
        return r.status === 503 && r.body.includes("[-]informer failed") ? r : undefined;
      }, 10_000, 50);
      expect(unready.body).toContain("[+]docker ok");
      await s.cluster.kube.requestAction(s.namespace, id, "stop", "while-cut"); // straight to the apiserver
      await Bun.sleep(2_000);
      expect((await dockerState(s.docker, id))?.Status).toBe("running"); // the controller could not see it
      proxy.heal();

      const c = await s.cluster.kube.waitHandled(s.namespace, id, 30_000);
      expect(c.status?.lastAction).toMatchObject({ action: "stop", state: "Succeeded", requestId: "while-cut" });
      expect((await dockerState(s.docker, id))?.Status).toBe("exited");
      await waitFor("an exited mirror", async () => ((await s.cluster.kube.getContainer(s.namespace, id))?.status?.status === "exited" ? true : undefined));
      await s.controller.waitReady(10_000);
      const m = await s.controller.metrics();
      expect(sumOf(m, "kube_api_requests_total", { verb: "watch", caller: "informer" })).toBeGreaterThan(watchesBefore);
    }, 60_000);
  });
}
