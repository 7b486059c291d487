import { describe, expect, test } from "bun:test";
import { flushMicrotasks, runFor, VirtualClock } from "@container-actions/sim-kernel";
import { EngineEventFollower, parseEvent, type EngineEventSource } from "./engine-event-follower.ts";

/** An event stream the test writes to and ends. */
class FakeStream implements AsyncIterable<string> {
  private readonly chunks: string[] = [];
  private ended = false;
  private wake: (() => void) | undefined;
  push(chunk: string): void {
    this.chunks.push(chunk);
    this.wake?.();
  }
  end(): void {
    this.ended = true;
    this.wake?.();
  }
  destroy(): void {
    this.end();
  }
  async *[Symbol.asyncIterator]() {
    for (;;) {
      const next = this.chunks.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

/** A Docker that answers `info` with a clock the test sets, and hands out the streams it is given. */
class FakeSource implements EngineEventSource {
  readonly log: string[] = [];
  clockSec = 1000;
  readonly streams: FakeStream[] = [];
  down = false;
  async daemonTimeSec(): Promise<number> {
    this.log.push(`info ${this.clockSec}`);
    if (this.down) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    return this.clockSec;
  }
  async openEvents(sinceSec: number) {
    this.log.push(`events since=${sinceSec}`);
    const stream = new FakeStream();
    this.streams.push(stream);
    return stream;
  }
}

function follower(source: FakeSource, timers: VirtualClock) {
  const seen: string[] = [];
  const reach: boolean[] = [];
  const f = new EngineEventFollower({
    source,
    timers,
    onEvent: (id, action) => void seen.push(`${id}:${action}`),
    onConnected: async () => void source.log.push("full sync"),
    onReachability: (r) => void reach.push(r),
    log: { info: () => {}, warn: () => {} },
  });
  return { f, seen, reach };
}

const line = (o: object) => JSON.stringify(o) + "\n";

describe("engine event follower", () => {
  test("since comes from the daemon clock, read before the stream opens and before the full sync (E24)", async () => {
    const source = new FakeSource();
    const timers = new VirtualClock(0);
    const { f, reach } = follower(source, timers);
    f.start();
    await flushMicrotasks();
    expect(source.log).toEqual(["info 1000", "events since=1000", "full sync"]);
    expect(f.isConnected()).toBe(true);
    expect(reach).toEqual([true]);
    await f.stop();
  });

  test("container events that change a mirror are passed on by id, even when split across chunks; others are ignored", async () => {
    const source = new FakeSource();
    const timers = new VirtualClock(0);
    const { f, seen } = follower(source, timers);
    f.start();
    await flushMicrotasks();
    const stream = source.streams[0] as FakeStream;
    const events =
      line({ Type: "container", Action: "die", Actor: { ID: "a" } }) +
      line({ Type: "container", Action: "exec_start: sh -c true", Actor: { ID: "a" } }) +
      line({ Type: "container", Action: "health_status: healthy", Actor: { ID: "a" } }) +
      line({ Type: "network", Action: "connect", Actor: { ID: "n" } }) +
      line({ status: "destroy", id: "b" });
    stream.push(events.slice(0, 30));
    stream.push(events.slice(30));
    await flushMicrotasks();
    expect(seen).toEqual(["a:die", "b:destroy"]);
    await f.stop();
  });

  test("the stream ends (engine restart): unreachable, then reconnect after the backoff with a fresh since and a new full sync", async () => {
    const source = new FakeSource();
    const timers = new VirtualClock(0);
    const { f, reach } = follower(source, timers);
    f.start();
    await flushMicrotasks();
    source.down = true;
    source.streams[0]?.end();
    await flushMicrotasks();
    expect(f.isConnected()).toBe(false);
    await runFor(timers, 250); // first reconnect fails: engine still down
    expect(f.isConnected()).toBe(false);
    source.down = false;
    source.clockSec = 2000;
    await runFor(timers, 499);
    expect(source.log.filter((l) => l.startsWith("events"))).toHaveLength(1);
    await runFor(timers, 1); // second delay is 500 ms
    expect(source.log.slice(-3)).toEqual(["info 2000", "events since=2000", "full sync"]);
    expect(reach).toEqual([true, false, true]);
    await f.stop();
  });

  test("stop ends the loop and closes the stream", async () => {
    const source = new FakeSource();
    const timers = new VirtualClock(0);
    const { f } = follower(source, timers);
    f.start();
    await flushMicrotasks();
    await f.stop();
    expect(f.isConnected()).toBe(false);
    expect(timers.pendingTimers()).toBe(0);
  });

  test("parseEvent", () => {
    expect(parseEvent('{"Type":"container","Action":"start","Actor":{"ID":"x"}}')).toEqual({ id: "x", action: "start" });
    expect(parseEvent("not json")).toBeNull();
    expect(parseEvent('{"Type":"image","Action":"pull","Actor":{"ID":"i"}}')).toBeNull();
  });
});
