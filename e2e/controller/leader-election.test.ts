/**
 * Lease-based leader election against the real apiserver: one leader at a time, a standby that is not
 * ready and does nothing, hand-over on a graceful shutdown (the Lease is released), and exit non-zero on
 * lost leadership. Durations are shortened (4 s / 3 s / 0.5 s) to keep the test fast.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { KUBE_BACKENDS } from "./support/cluster.ts";
import { ControllerProcess } from "./support/controller-process.ts";
import { closeSuite, openSuite, type Suite } from "./support/suite.ts";
import { dockerState, runContainer } from "./support/test-docker.ts";
import { waitFor } from "./support/wait.ts";

const LEASE = "controller-e2e-lease";

for (const backend of KUBE_BACKENDS) {
  describe(`[${backend}] leader election`, () => {
    let s: Suite;
    const started: ControllerProcess[] = [];
    beforeAll(async () => {
      s = await openSuite(backend, "controller-e2e-leader", { startController: false });
      await s.cluster.kube.request("DELETE", `/apis/coordination.k8s.io/v1/namespaces/${s.namespace}/leases/${LEASE}`);
    }, 60_000);
    afterAll(async () => {
      for (const p of started) await p.kill();
      await closeSuite(s);
    }, 60_000);

    const start = (identity: string) =>
      ControllerProcess.start({
        kubeconfig: s.cluster.kubeconfig,
        dockerHost: s.dockerHost,
        namespace: s.namespace,
        extraArgs: ["--leader-elect", "--lease-name", LEASE, "--leader-identity", identity, "--lease-duration", "4s", "--renew-deadline", "3s", "--retry-period", "500ms"],
      });
    const lease = async () => (await s.cluster.kube.request("GET", `/apis/coordination.k8s.io/v1/namespaces/${s.namespace}/leases/${LEASE}`)).body;

    test("one leader; the standby is unready and idle; SIGTERM hands over at once; an overwritten Lease makes the leader exit 1", async () => {
      const a = await start("ctl-a");
      started.push(a);
      await a.waitReady();
      expect((await lease()).spec).toMatchObject({ holderIdentity: "ctl-a", leaseDurationSeconds: 4 });
      const b = await start("ctl-b");
      started.push(b);
      await Bun.sleep(2_000);
      expect(await b.readyz()).toMatchObject({ status: 503, body: expect.stringContaining("[-]leader failed") });

      // Only the leader acts: a request is handled once, by a.
      const id = await runContainer(s.docker);
      await waitFor("a running mirror", async () => ((await s.cluster.kube.getContainer(s.namespace, id))?.status?.status === "running" ? true : undefined));
      await s.cluster.kube.requestAction(s.namespace, id, "stop", "leader-only");
      await s.cluster.kube.waitHandled(s.namespace, id);
      expect(a.logs.some((l) => l.msg === "Action handled" && l.requestId === "leader-only")).toBe(true);
      expect(b.logs.some((l) => l.msg === "Action handled")).toBe(false);

      const handOverStart = Date.now();
      expect(await a.stop()).toBe(0);
      await b.waitReady(10_000);
      const handOverMs = Date.now() - handOverStart;
      expect((await lease()).spec).toMatchObject({ holderIdentity: "ctl-b", leaseTransitions: 1 });
      expect(handOverMs).toBeLessThan(4_000 + 2_000); // released: no need to wait out the lease

      // Someone else takes the Lease (as a partitioned-then-returning candidate would): b must stop.
      const current = await lease();
      const put = await s.cluster.kube.request("PUT", `/apis/coordination.k8s.io/v1/namespaces/${s.namespace}/leases/${LEASE}`, {
        ...current,
        spec: { ...current.spec, holderIdentity: "intruder", renewTime: new Date().toISOString().replace("Z", "000Z") },
      });
      expect(put.status).toBe(200);
      expect(await b.exitedWithin(10_000)).toBe(1);
      expect(b.logs.some((l) => l.msg === "Leader election lost; exiting")).toBe(true);
      expect((await dockerState(s.docker, id))?.Status).toBe("exited");
    }, 60_000);
  });
}
