import { describe, expect, test } from "bun:test";
import type { KubeAnswer, KubeRequest, KubeTransport } from "@container-actions/kube-adapters";
import { runFor, VirtualClock } from "@container-actions/sim-kernel";
import { LeaseElector } from "./lease-elector.ts";
import type { Lease } from "./lease-record.ts";

/**
 * A Lease store with resourceVersion preconditions, as the apiserver keeps one Lease.
 * Does not model: field validation, watch, other resources.
 */
class LeaseStore implements KubeTransport {
  lease: Lease | undefined;
  rv = 0;
  down = false;
  readonly log: string[] = [];
  async send(r: KubeRequest): Promise<KubeAnswer> {
    this.log.push(`${r.method}`);
    if (this.down) return { kind: "failed", detail: "ECONNREFUSED" };
    if (r.method === "GET") return this.lease ? { kind: "answered", status: 200, body: structuredClone(this.lease) } : { kind: "answered", status: 404, body: {} };
    const body = r.body as Lease;
    if (r.method === "POST") {
      if (this.lease) return { kind: "answered", status: 409, body: { reason: "AlreadyExists" } };
    } else if (body.metadata.resourceVersion !== String(this.rv)) {
      return { kind: "answered", status: 409, body: { reason: "Conflict" } };
    }
    this.lease = { ...body, metadata: { ...body.metadata, resourceVersion: String(++this.rv) } };
    return { kind: "answered", status: 200, body: this.lease };
  }
}

function elector(store: LeaseStore, timers: VirtualClock, identity: string, lost: string[]) {
  return new LeaseElector({
    kube: store,
    name: "l",
    namespace: "ns",
    identity,
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    timers,
    onLost: (why) => void lost.push(why),
    log: { info: () => {}, warn: () => {} },
    random: () => 0,
  });
}

describe("lease elector", () => {
  test("acquires a missing Lease by creating it, then renews every retry period", async () => {
    const store = new LeaseStore();
    const timers = new VirtualClock(0);
    const a = elector(store, timers, "a", []);
    const acquired = a.acquire();
    await runFor(timers, 0);
    await acquired;
    expect([a.isLeader(), store.lease?.spec?.holderIdentity]).toEqual([true, "a"]);
    const renewBefore = store.lease?.spec?.renewTime;
    await runFor(timers, 2_000);
    expect(store.log).toEqual(["GET", "POST", "GET", "PUT"]);
    expect(store.lease?.spec?.renewTime).not.toBe(renewBefore);
  });

  test("a second candidate waits while the leader renews, and takes over 15 s after renewals stop", async () => {
    const store = new LeaseStore();
    const timers = new VirtualClock(0);
    const lostA: string[] = [];
    const a = elector(store, timers, "a", lostA);
    void a.acquire();
    await runFor(timers, 0);
    const b = elector(store, timers, "b", []);
    let bLeads = false;
    void b.acquire().then(() => (bLeads = true));
    await runFor(timers, 30_000);
    expect([a.isLeader(), bLeads]).toEqual([true, false]);
    await a.release(); // a stops without waiting: the Lease is released, b takes it on its next try
    await runFor(timers, 2_000);
    expect(bLeads).toBe(true);
    expect(store.lease?.spec).toMatchObject({ holderIdentity: "b", leaseTransitions: 1 });
    expect(lostA).toEqual([]);
  });

  test("renewals failing for the renew deadline lose leadership", async () => {
    const store = new LeaseStore();
    const timers = new VirtualClock(0);
    const lost: string[] = [];
    const a = elector(store, timers, "a", lost);
    void a.acquire();
    await runFor(timers, 0);
    store.down = true;
    await runFor(timers, 9_999);
    expect(lost).toEqual([]);
    await runFor(timers, 1);
    expect(lost).toEqual(["no renewal within 10000 ms"]);
    expect(a.isLeader()).toBe(false);
  });

  test("another holder found on renewal (someone overwrote the Lease) loses leadership at once", async () => {
    const store = new LeaseStore();
    const timers = new VirtualClock(0);
    const lost: string[] = [];
    void elector(store, timers, "a", lost).acquire();
    await runFor(timers, 0);
    store.lease = { ...store.lease!, spec: { ...store.lease!.spec, holderIdentity: "intruder" } };
    await runFor(timers, 2_000);
    expect(lost).toEqual(["held by intruder"]);
  });
});
