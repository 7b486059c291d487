import { describe, expect, test } from "bun:test";
import { backoffDelayMs, DEFAULT_BACKOFF } from "./backoff.ts";
import { VirtualClock } from "@container-actions/sim-kernel";
import { WorkQueue, type ProcessResult } from "./work-queue.ts";

const tick = () => new Promise((r) => setImmediate(r));

function harness(concurrency: number, behaviour: (key: string, attempt: number) => Promise<ProcessResult> | ProcessResult) {
  const timers = new VirtualClock(0);
  const log: string[] = [];
  const queue = new WorkQueue({
    timers,
    concurrency,
    backoff: { baseMs: 5, maxMs: 1000 },
    process: async (key, attempt) => {
      log.push(`${key}#${attempt}`);
      return behaviour(key, attempt);
    },
  });
  return { timers, log, queue };
}

describe("work queue", () => {
  test("a key added many times while waiting runs once", async () => {
    const gate = Promise.withResolvers<void>();
    const { queue, log } = harness(1, async (key) => {
      if (key === "busy") await gate.promise;
      return "done" as const;
    });
    queue.add("busy");
    queue.add("a");
    queue.add("a");
    queue.add("a");
    gate.resolve();
    await queue.drained();
    expect(log).toEqual(["busy#0", "a#0"]);
  });

  test("one key never runs twice at once; an add during its run runs it once more afterwards", async () => {
    let active = 0;
    let maxActive = 0;
    const gates: Array<() => void> = [];
    const { queue, log } = harness(4, async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise<void>((r) => gates.push(r));
      active--;
      return "done" as const;
    });
    queue.add("k");
    await tick();
    queue.add("k");
    queue.add("k");
    await tick();
    expect(log).toEqual(["k#0"]);
    gates.shift()!();
    await tick();
    await tick();
    expect(log).toEqual(["k#0", "k#0"]);
    gates.shift()!();
    await queue.drained();
    expect(maxActive).toBe(1);
  });

  test("at most `concurrency` keys run together", async () => {
    let active = 0;
    let maxActive = 0;
    const { queue } = harness(2, async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await tick();
      active--;
      return "done" as const;
    });
    for (const k of ["a", "b", "c", "d", "e"]) queue.add(k);
    await queue.drained();
    expect(maxActive).toBe(2);
  });

  test("a failing key backs off exponentially and resets after success", async () => {
    let calls = 0;
    const { queue, timers, log } = harness(1, () => (++calls <= 3 ? "retry" : "done"));
    queue.add("k");
    await queue.drained();
    expect(log).toEqual(["k#0"]);
    timers.advance(4);
    await queue.drained();
    expect(log).toEqual(["k#0"]);
    timers.advance(1); // 5 ms
    await queue.drained();
    timers.advance(10); // 10 ms
    await queue.drained();
    timers.advance(20); // 20 ms
    await queue.drained();
    expect(log).toEqual(["k#0", "k#1", "k#2", "k#3"]);
    queue.add("k");
    await queue.drained();
    expect(log.at(-1)).toBe("k#0");
    expect(queue.isIdle()).toBe(true);
  });

  test("a throw is a bug: reported, counted as a retry, and the queue keeps going", async () => {
    const errors: unknown[] = [];
    const timers = new VirtualClock(0);
    const queue = new WorkQueue({
      timers,
      concurrency: 1,
      backoff: DEFAULT_BACKOFF,
      onError: (_k, e) => errors.push(e),
      process: async (key) => {
        if (key === "bad") throw new Error("boom");
        return "done" as const;
      },
    });
    queue.add("bad");
    queue.add("good");
    await queue.drained();
    expect(errors).toHaveLength(1);
    expect(queue.stats()).toMatchObject({ retries: 1, delayed: 1 });
  });

  test("shutdown waits for the key in flight and takes no new work", async () => {
    let finished = false;
    const gate = Promise.withResolvers<void>();
    const { queue, log } = harness(1, async () => {
      await gate.promise;
      finished = true;
      return "done" as const;
    });
    queue.add("a");
    queue.add("b");
    const stopped = queue.shutdown();
    gate.resolve();
    await stopped;
    expect(finished).toBe(true);
    queue.add("c");
    await tick();
    expect(log).toEqual(["a#0"]);
  });
});

test("backoff: 5 ms doubling, capped", () => {
  expect([0, 1, 2, 3].map((a) => backoffDelayMs(DEFAULT_BACKOFF, a))).toEqual([5, 10, 20, 40]);
  expect(backoffDelayMs(DEFAULT_BACKOFF, 100)).toBe(1_000_000);
});
