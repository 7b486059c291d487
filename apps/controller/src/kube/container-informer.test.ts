import { describe, expect, test } from "bun:test";
import type { Container } from "@container-actions/core";
import { flushMicrotasks, runFor, VirtualClock } from "@container-actions/sim-kernel";
import { ContainerInformer, HEALTHY_AFTER_MS, type ContainerList, type ListWatchLike } from "./container-informer.ts";

const container = (name: string, rv = "1"): Container => ({
  apiVersion: "containers.rancherdesktop.io/v1alpha1",
  kind: "Container",
  metadata: { name, namespace: "ns", resourceVersion: rv },
});

/**
 * client-node 1.4.0's ListWatch as `dist/cache.js` behaves: start() emits connect, lists when it has no
 * resourceVersion, then watches; an error fires `error` and it stays stopped until start() again.
 * Does not model: 410 relist and the delete diff (client-node's own code), real watch streams.
 */
class FakeListWatch implements ListWatchLike {
  readonly cache = new Map<string, Container>();
  private readonly handlers: Record<string, Array<(x?: unknown) => void>> = {};
  starts = 0;
  stops = 0;
  rv = "";
  constructor(private readonly listFn: () => Promise<ContainerList>) {}
  on(verb: "add" | "update" | "delete", cb: (obj: Container) => void): void;
  on(verb: "error" | "connect", cb: (err?: unknown) => void): void;
  on(verb: string, cb: (x: never) => void): void {
    (this.handlers[verb] ??= []).push(cb as (x?: unknown) => void);
  }
  emit(verb: string, x?: unknown): void {
    for (const cb of this.handlers[verb] ?? []) cb(x);
  }
  async start(): Promise<void> {
    this.starts++;
    this.emit("connect");
    if (this.rv !== "") return;
    let list: ContainerList;
    try {
      list = await this.listFn();
    } catch (error) {
      this.emit("error", error);
      return;
    }
    for (const item of list.items) {
      this.cache.set(item.metadata.name, item);
      this.emit("add", item);
    }
    this.rv = list.metadata?.resourceVersion ?? "1";
  }
  async stop(): Promise<void> {
    this.stops++;
  }
  get(name: string): Container | undefined {
    return this.cache.get(name);
  }
  list(): Container[] {
    return [...this.cache.values()];
  }
}

function setup(list: () => Promise<ContainerList>) {
  const timers = new VirtualClock(0);
  const changes: string[] = [];
  const requests: string[] = [];
  let lw: FakeListWatch | undefined;
  const informer = new ContainerInformer({
    namespace: "ns",
    list,
    makeListWatch: (wrapped) => (lw = new FakeListWatch(wrapped)),
    onChange: (c, deleted) => void changes.push(`${deleted ? "-" : "+"}${c.metadata.name}`),
    onRequest: (verb, code) => void requests.push(`${verb} ${code}`),
    timers,
    watchStaleMs: 350_000,
    log: { info: () => {}, warn: () => {} },
  });
  return { informer, timers, changes, requests, lw: () => lw as FakeListWatch };
}

const apiDown = () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), { code: "ECONNREFUSED" }));

describe("container informer", () => {
  test("start lists, fills the cache, reports each object; synced after the list", async () => {
    const { informer, timers, changes, requests, lw } = setup(async () => ({ metadata: { resourceVersion: "5" }, items: [container("a"), container("b")] }));
    informer.start();
    const listed = informer.whenListed();
    await runFor(timers, 0);
    await listed;
    expect(informer.isSynced()).toBe(true);
    expect(changes).toEqual(["+a", "+b"]);
    expect(requests).toEqual(["watch opened", "list 200"]);
    expect(informer.get({ namespace: "ns", name: "a" })?.metadata.name).toBe("a");
    expect(informer.list().map((c) => c.metadata.name)).toEqual(["a", "b"]);
    expect(lw().starts).toBe(1);
  });

  test("apiserver down at start: the informer is started again with backoff (250, 500, 1000 ms) until the list succeeds", async () => {
    let up = false;
    const { informer, timers, requests, lw } = setup(() => (up ? Promise.resolve({ items: [container("a")] }) : apiDown()));
    informer.start();
    await runFor(timers, 0);
    expect([lw().starts, informer.isSynced()]).toEqual([1, false]);
    await runFor(timers, 250);
    expect(lw().starts).toBe(2);
    await runFor(timers, 499);
    expect(lw().starts).toBe(2);
    await runFor(timers, 1);
    expect(lw().starts).toBe(3);
    up = true;
    await runFor(timers, 1000);
    expect([lw().starts, informer.isSynced()]).toEqual([4, true]);
    expect(requests.filter((r) => r.startsWith("list"))).toEqual(["list error", "list error", "list error", "list 200"]);
  });

  test("a watch error after sync (connection cut): not synced, restarted after 250 ms, synced again once it holds", async () => {
    const { informer, timers, lw } = setup(async () => ({ items: [] }));
    informer.start();
    await runFor(timers, 0);
    expect(informer.isSynced()).toBe(true);
    lw().emit("error", Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    expect(informer.isSynced()).toBe(false);
    await runFor(timers, 250);
    expect(lw().starts).toBe(2); // resumes the watch from its resourceVersion: no relist
    await runFor(timers, HEALTHY_AFTER_MS);
    expect(informer.isSynced()).toBe(true);
  });

  test("a watch event after an error also counts as recovery", async () => {
    const { informer, timers, lw, changes } = setup(async () => ({ items: [] }));
    informer.start();
    await runFor(timers, 0);
    lw().emit("error", new Error("reset"));
    await runFor(timers, 250);
    lw().emit("update", container("x", "9"));
    expect(informer.isSynced()).toBe(true);
    expect(changes).toEqual(["+x"]);
  });

  test("several errors before the restart schedule one restart", async () => {
    const { informer, timers, lw } = setup(async () => ({ items: [] }));
    informer.start();
    await runFor(timers, 0);
    lw().emit("error", new Error("a"));
    lw().emit("error", new Error("b"));
    await runFor(timers, 250);
    expect(lw().starts).toBe(2);
  });

  test("errors after stop() are ignored: no restart", async () => {
    const { informer, timers, lw } = setup(async () => ({ items: [] }));
    informer.start();
    await runFor(timers, 0);
    await informer.stop();
    lw().emit("error", new Error("The user aborted a request"));
    await runFor(timers, 60_000);
    expect([lw().starts, lw().stops]).toEqual([1, 1]);
  });

  test("a watch silent past watchStaleMs is re-opened (stop, then start)", async () => {
    const { informer, timers, lw } = setup(async () => ({ items: [] }));
    informer.start();
    await runFor(timers, 0);
    await runFor(timers, 350_000 + 87_500 + 250);
    expect(lw().stops).toBe(1);
    expect(lw().starts).toBe(2);
    await flushMicrotasks();
  });
});
