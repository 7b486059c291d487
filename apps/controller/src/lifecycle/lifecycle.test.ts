import { describe, expect, test } from "bun:test";
import type { MirrorSource } from "@container-actions/core";
import { runFor, VirtualClock } from "@container-actions/sim-kernel";
import { fullSync } from "./full-sync.ts";
import { createShutdown } from "./graceful-shutdown.ts";
import { every } from "./periodic-task.ts";

const source = (reply: Awaited<ReturnType<MirrorSource["list"]>>): MirrorSource => ({ list: async () => reply, describe: async () => ({ kind: "gone" }), remove: async () => ({ kind: "gone" }) });

describe("full sync", () => {
  test("hands every Docker id to the controller", async () => {
    const resynced: string[][] = [];
    expect(await fullSync(source({ kind: "listed", ids: ["a", "b"] }), { resync: (ids) => void resynced.push([...ids]) })).toEqual({ kind: "synced", containers: 2 });
    expect(resynced).toEqual([["a", "b"]]);
  });

  test("Docker unreachable: nothing is enqueued, so no mirror is deleted because Docker is down", async () => {
    const resynced: string[][] = [];
    expect((await fullSync(source({ kind: "unreachable", detail: "ECONNREFUSED" }), { resync: (ids) => void resynced.push([...ids]) })).kind).toBe("unreachable");
    expect(resynced).toEqual([]);
  });
});

describe("periodic task", () => {
  test("runs every period, never overlapping, until cancelled", async () => {
    const timers = new VirtualClock(0);
    let runs = 0;
    let release: () => void = () => {};
    const cancel = every(timers, 1000, () => {
      runs++;
      return new Promise<void>((r) => (release = r));
    });
    await runFor(timers, 3000);
    expect(runs).toBe(1); // the first run has not finished: no second run is started
    release();
    await runFor(timers, 1000);
    expect(runs).toBe(2);
    cancel();
    release();
    await runFor(timers, 5000);
    expect(runs).toBe(2);
  });
});

describe("graceful shutdown", () => {
  const log = { info: () => {}, error: () => {} };

  test("runs the steps once, in order, then exits 0; a failing step does not stop the rest", async () => {
    const order: string[] = [];
    const exits: number[] = [];
    const shutdown = createShutdown({
      timeoutMs: 30_000,
      exit: (c) => void exits.push(c),
      log,
      setTimer: () => {},
      steps: [
        { name: "informer", run: async () => void order.push("informer") },
        { name: "events", run: async () => { order.push("events"); throw new Error("x"); } },
        { name: "queues", run: async () => void order.push("queues") },
      ],
    });
    await Promise.all([shutdown("SIGTERM"), shutdown("SIGINT")]);
    expect(order).toEqual(["informer", "events", "queues"]);
    expect(exits).toEqual([0]);
  });

  test("steps outlasting the timeout exit 1", async () => {
    const exits: number[] = [];
    let fire: () => void = () => {};
    const shutdown = createShutdown({ timeoutMs: 5, exit: (c) => void exits.push(c), log, setTimer: (_ms, f) => void (fire = f), steps: [{ name: "hang", run: () => new Promise(() => {}) }] });
    void shutdown("SIGTERM");
    fire();
    expect(exits).toEqual([1]);
  });
});
