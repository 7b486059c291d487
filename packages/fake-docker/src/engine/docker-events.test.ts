import { describe, expect, test } from "bun:test";
import { engineFixture } from "./engine-fixture.ts";
import type { DockerEvent } from "./docker-events.ts";
import { EVENTS_BUFFER_SIZE } from "./docker-events.ts";

const seconds = (ms: number) => (ms / 1000).toFixed(9);

describe("event subscriptions", () => {
  test("since..until replays past events in order and ends at once when until has passed", async () => {
    const f = engineFixture();
    const t0 = f.clock.nowMs();
    const id = await f.containerIn("running");
    f.clock.advance(1_000);
    await f.run(f.docker.pause(id));
    const got: DockerEvent[] = [];
    let ended = false;
    const answer = await f.run(f.docker.events({ since: seconds(t0), until: seconds(f.clock.nowMs() - 1) }, (e) => got.push(e), () => (ended = true)));
    expect(answer.kind).toBe("subscribed");
    expect(got.map((e) => e.Action)).toEqual(["create", "start"]);
    expect(ended).toBe(true);
  });

  test("live events arrive in order until `until` passes on the virtual clock", async () => {
    const f = engineFixture();
    const id = await f.containerIn("running");
    const got: string[] = [];
    let endedAt: number | undefined;
    const until = f.clock.nowMs() + 5_000;
    await f.run(f.docker.events({ until: seconds(until), filters: { container: [id] } }, (e) => got.push(e.Action), () => (endedAt = f.clock.nowMs())));
    expect(got).toEqual(["create", "start"]); // until alone replays the buffer too
    await f.run(f.docker.pause(id));
    await f.run(f.docker.unpause(id));
    f.clock.advance(6_000);
    await f.run(f.docker.kill(id));
    expect(got).toEqual(["create", "start", "pause", "unpause"]);
    expect(endedAt).toBe(until + 1);
  });

  test("without since or until: only live events, until the subscriber closes", async () => {
    const f = engineFixture();
    const id = await f.containerIn("running");
    const got: string[] = [];
    const answer = await f.run(f.docker.events({}, (e) => got.push(e.Action), () => {}));
    await f.run(f.docker.pause(id));
    if (answer.kind === "subscribed") answer.subscription.close();
    await f.run(f.docker.unpause(id));
    expect(got).toEqual(["pause"]);
  });

  test("filters: type, event, container by id prefix or name, label; both JSON forms", async () => {
    const f = engineFixture();
    const a = await f.create({ Labels: { app: "a" } }, "alpha");
    const b = await f.create({}, "beta");
    await f.run(f.docker.start(a));
    await f.run(f.docker.start(b));
    const collect = async (filters: string | Record<string, string[]>) => {
      const got: string[] = [];
      await f.run(f.docker.events({ since: "0", until: seconds(f.clock.nowMs() + 1), filters }, (e) => got.push(`${e.Actor.Attributes.name}:${e.Action}`), () => {}));
      return got;
    };
    expect(await collect({ container: ["alpha"] })).toEqual(["alpha:create", "alpha:start"]);
    expect(await collect({ container: [b.slice(0, 6)] })).toEqual(["beta:create", "beta:start"]);
    expect(await collect({ event: ["start"], type: ["container"] })).toEqual(["alpha:start", "beta:start"]);
    expect(await collect('{"label":{"app=a":true},"event":{"create":true}}')).toEqual(["alpha:create"]);
    expect(await collect({ type: ["network"] })).toEqual([]);
  });

  test("since replays only the last 256 events, as dockerd's buffer holds", async () => {
    const f = engineFixture();
    const id = await f.containerIn("running");
    for (let i = 0; i < 150; i++) {
      await f.run(f.docker.pause(id));
      await f.run(f.docker.unpause(id));
    }
    let count = 0;
    await f.run(f.docker.events({ since: "0", until: seconds(f.clock.nowMs() + 1) }, () => count++, () => {}));
    expect(count).toBe(EVENTS_BUFFER_SIZE);
    expect(f.docker.eventHistory().length).toBe(302);
  });

  test("since after until is 400; a bad timestamp 500", async () => {
    const f = engineFixture();
    expect(await f.run(f.docker.events({ since: "5", until: "3" }, () => {}, () => {}))).toEqual({
      kind: "http", statusCode: 400, body: { message: "`since` time (5) cannot be after `until` time (3)" },
    });
    expect(await f.run(f.docker.events({ since: "abc" }, () => {}, () => {}))).toMatchObject({
      statusCode: 500, body: { message: 'strconv.ParseInt: parsing "abc": invalid syntax' },
    });
  });

  test("events in the same virtual millisecond get strictly increasing timeNano", async () => {
    const f = engineFixture();
    await f.containerIn("paused");
    const stamps = f.docker.eventHistory().map((e) => e.timeNano);
    for (let i = 1; i < stamps.length; i++) expect((stamps[i] ?? 0n) > (stamps[i - 1] ?? 0n)).toBe(true);
  });
});
