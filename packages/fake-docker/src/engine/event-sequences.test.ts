import { describe, expect, test } from "bun:test";
import { engineFixture } from "./engine-fixture.ts";

// The container event sequences of docs/design/docker-engine.md ("Events stream"), for both kinds of
// PID 1: `sleep` (ignores SIGTERM, so SIGKILL after the grace period) and docker-init (dies on SIGTERM).
const PLAIN = { HostConfig: { Init: false } };

describe("event sequences", () => {
  test("create, start, pause, unpause, destroy: one event each", async () => {
    const f = engineFixture();
    const id = await f.create();
    await f.run(f.docker.start(id));
    await f.run(f.docker.pause(id));
    await f.run(f.docker.unpause(id));
    await f.run(f.docker.stop(id));
    await f.run(f.docker.remove(id));
    expect(f.actions(id)).toEqual(["create", "start", "pause", "unpause", "kill 15", "die 143", "stop", "destroy"]);
  });

  test("stop with sleep as PID 1: kill 15, [grace] kill 9, die 137, stop", async () => {
    const f = engineFixture();
    const id = await f.containerIn("running", PLAIN);
    await f.run(f.docker.stop(id));
    expect(f.actions(id).slice(2)).toEqual(["kill 15", "kill 9", "die 137", "stop"]);
  });

  test("stop on paused (sleep): kill 15, unpause, kill 9, die 137, stop", async () => {
    const f = engineFixture();
    const id = await f.containerIn("paused", PLAIN);
    await f.run(f.docker.stop(id, { t: 1 }));
    expect(f.actions(id).slice(3)).toEqual(["kill 15", "unpause", "kill 9", "die 137", "stop"]);
  });

  test("stop on paused (init): kill 15, unpause, die 143, stop; the queued SIGTERM acts after the resume", async () => {
    const f = engineFixture();
    const id = await f.containerIn("paused");
    await f.run(f.docker.stop(id, { t: 3 }));
    expect(f.actions(id).slice(3)).toEqual(["kill 15", "unpause", "die 143", "stop"]);
    expect(await f.state(id)).toMatchObject({ Status: "exited", ExitCode: 143, Paused: false });
  });

  test("stop t=0 (init): the SIGKILL races a death already under way, which keeps exit 143", async () => {
    const f = engineFixture();
    const id = await f.containerIn("running");
    await f.run(f.docker.stop(id, { t: 0 }));
    expect(f.actions(id).slice(2)).toEqual(["kill 15", "kill 9", "die 143", "stop"]);
  });

  test("restart on running: kill 15, kill 9, die, stop, start, restart", async () => {
    const f = engineFixture();
    const id = await f.containerIn("running", PLAIN);
    await f.run(f.docker.restart(id, { t: 1 }));
    expect(f.actions(id).slice(2)).toEqual(["kill 15", "kill 9", "die 137", "stop", "start", "restart"]);
  });

  test("restart on paused: kill 15, unpause, kill 9, die, stop, start, restart", async () => {
    const f = engineFixture();
    const id = await f.containerIn("paused", PLAIN);
    await f.run(f.docker.restart(id, { t: 1 }));
    expect(f.actions(id).slice(3)).toEqual(["kill 15", "unpause", "kill 9", "die 137", "stop", "start", "restart"]);
  });

  test("restart on stopped: start, restart", async () => {
    const f = engineFixture();
    const id = await f.containerIn("exited");
    await f.run(f.docker.restart(id));
    expect(f.actions(id).slice(4)).toEqual(["start", "restart"]);
  });

  test("kill: kill 9, die 137, no stop; on paused the same, with no unpause", async () => {
    const f = engineFixture();
    const running = await f.containerIn("running");
    await f.run(f.docker.kill(running));
    expect(f.actions(running).slice(2)).toEqual(["kill 9", "die 137"]);
    const paused = await f.containerIn("paused");
    await f.run(f.docker.kill(paused));
    expect(f.actions(paused).slice(3)).toEqual(["kill 9", "die 137"]);
  });

  test("kill with SIGTERM on paused (init): kill 15, unpause, die 143", async () => {
    const f = engineFixture();
    const id = await f.containerIn("paused");
    await f.run(f.docker.kill(id, { signal: "SIGTERM" }));
    await f.run(f.clock.sleep(1_000));
    expect(f.actions(id).slice(3)).toEqual(["kill 15", "unpause", "die 143"]);
  });

  test("kill with SIGTERM when sleep is PID 1: a kill event and nothing else", async () => {
    const f = engineFixture();
    const id = await f.containerIn("running", PLAIN);
    await f.run(f.docker.kill(id, { signal: "TERM" }));
    await f.run(f.clock.sleep(1_000));
    expect(f.actions(id).slice(2)).toEqual(["kill 15"]);
    expect((await f.state(id)).Status).toBe("running");
  });

  test("rm -f on paused: kill 9, die 137, destroy", async () => {
    const f = engineFixture();
    const id = await f.containerIn("paused");
    await f.run(f.docker.remove(id, { force: true }));
    expect(f.actions(id).slice(3)).toEqual(["kill 9", "die 137", "destroy"]);
  });

  test("events carry labels, name and image in Attributes, and the legacy status/id/from fields", async () => {
    const f = engineFixture();
    const id = await f.create({ Labels: { team: "a" } }, "web");
    await f.run(f.docker.start(id));
    await f.run(f.docker.kill(id));
    const die = f.docker.eventHistory().find((e) => e.Action === "die");
    expect(die).toMatchObject({
      status: "die", id, from: "local/busybox:latest", Type: "container", scope: "local",
      Actor: { ID: id, Attributes: { exitCode: "137", image: "local/busybox:latest", name: "web", team: "a" } },
    });
    expect(Object.keys(die?.Actor.Attributes ?? {})).toEqual(["exitCode", "image", "name", "team"]);
  });
});
