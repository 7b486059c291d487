import { describe, expect, test } from "bun:test";
import { engineFixture } from "./engine-fixture.ts";

/** A fixed little workload touching every operation, restart policies and a crash. */
async function workload(seed: number): Promise<string> {
  const f = engineFixture(seed);
  const a = await f.containerIn("running", { HostConfig: { Init: false } });
  const b = await f.containerIn("running", { HostConfig: { Init: true, RestartPolicy: { Name: "always" } } });
  const c = await f.create({ Labels: { tier: "db" } });
  await f.run(f.docker.pause(a));
  await f.run(f.docker.restart(a, { t: 1 }));
  f.docker.exitProcess(b, 2);
  await f.run(f.clock.sleep(500));
  await f.run(f.docker.start(c));
  await f.run(f.docker.stop(c));
  await f.run(f.docker.kill(b));
  await f.run(f.docker.remove(a, { force: true }));
  return f.docker.eventLogJson();
}

describe("SimulatedDocker", () => {
  test("determinism: the same seed gives the identical event log JSON; another seed other ids", async () => {
    const first = await workload(42);
    expect(await workload(42)).toBe(first);
    expect(await workload(43)).not.toBe(first);
    expect(first.split("\n").length).toBeGreaterThan(15);
  });

  test("events serialise like dockerd: timeNano an exact integer, after time", async () => {
    const f = engineFixture();
    await f.create();
    const line = f.docker.eventLogJson();
    const event = f.docker.eventHistory()[0];
    expect(line).toEndWith(`"time":${event?.time},"timeNano":${event?.timeNano}}`);
    expect(line.startsWith('{"status":"create","id":"')).toBe(true);
    expect(String(event?.timeNano)).toMatch(/^\d{19}$/);
  });

  test("list: running only by default, all with all=1, newest first, with Status in words", async () => {
    const f = engineFixture();
    const created = await f.create({}, "one");
    const running = await f.containerIn("running");
    f.clock.advance(5_000);
    const runningOnly = await f.run(f.docker.list());
    expect((runningOnly as { body: Array<{ Id: string }> }).body.map((r) => r.Id)).toEqual([running]);
    const all = (await f.run(f.docker.list({ all: true }))) as { body: Array<Record<string, unknown>> };
    expect(all.body.map((r) => r.Id)).toEqual([running, created]);
    expect(all.body[0]).toMatchObject({ State: "running", Status: "Up 5 seconds", Command: "/bin/sleep 100000", Image: "local/busybox:latest" });
    expect(all.body[1]).toMatchObject({ Names: ["/one"], State: "created", Status: "Created" });
  });

  test("list filters: id, name, status (which implies all), label; bad ones answer 400", async () => {
    const f = engineFixture();
    const web = await f.create({ Labels: { app: "web", tier: "front" } }, "web");
    const db = await f.containerIn("running", { Labels: { app: "db" } });
    const ids = async (filters: Record<string, string[]>) =>
      ((await f.run(f.docker.list({ all: true, filters }))) as { body: Array<{ Id: string }> }).body.map((r) => r.Id);
    expect(await ids({ id: [web.slice(0, 8)] })).toEqual([web]);
    expect(await ids({ name: ["we"] })).toEqual([web]);
    expect(await ids({ status: ["running"] })).toEqual([db]);
    expect(await ids({ label: ["app=web", "tier"] })).toEqual([web]);
    expect(await ids({ label: ["app"] })).toEqual([db, web]);
    expect(((await f.run(f.docker.list({ filters: '{"status":{"created":true}}' }))) as { body: Array<{ Id: string }> }).body.map((r) => r.Id)).toEqual([web]);
    expect(await f.run(f.docker.list({ filters: { status: ["foo"] } }))).toMatchObject({ statusCode: 400, body: { message: "Invalid filter 'status=foo'" } });
    expect(await f.run(f.docker.list({ filters: { bogus: ["x"] } }))).toMatchObject({ statusCode: 400, body: { message: "Invalid filter 'bogus'" } });
  });

  test("inspect: the fields a controller mirrors, with Docker's zero values", async () => {
    const f = engineFixture();
    const id = await f.create({ Labels: { a: "b" } }, "web");
    const body = ((await f.run(f.docker.inspect(id))) as { body: Record<string, unknown> }).body;
    expect(body).toMatchObject({
      Id: id, Name: "/web", Path: "/bin/sleep", Args: ["100000"],
      Image: "sha256:8d06380a92dc07cedc4f0fe891c560030c8fa059474c2ceb284acf583bfdaede",
      Config: { Image: "local/busybox:latest", Labels: { a: "b" }, Cmd: ["/bin/sleep", "100000"] },
      State: {
        Status: "created", Running: false, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 0,
        ExitCode: 0, Error: "", StartedAt: "0001-01-01T00:00:00Z", FinishedAt: "0001-01-01T00:00:00Z",
      },
      HostConfig: { Init: true, RestartPolicy: { Name: "", MaximumRetryCount: 0 } },
      NetworkSettings: { Ports: {} },
    });
    expect(body.Created).toBe("2026-01-01T00:00:00Z");
    await f.run(f.docker.start(id));
    expect(await f.state(id)).toMatchObject({ Running: true, StartedAt: "2026-01-01T00:00:00Z" });
    expect((await f.state(id)).Pid).toBeGreaterThan(0);
  });

  test("info counts containers by state and reads SystemTime from the virtual clock", async () => {
    const f = engineFixture();
    await f.containerIn("running");
    await f.containerIn("paused");
    await f.containerIn("exited");
    f.clock.advance(1_500);
    const info = ((await f.run(f.docker.info())) as { body: Record<string, unknown> }).body;
    expect(info).toMatchObject({ Containers: 3, ContainersRunning: 1, ContainersPaused: 1, ContainersStopped: 1, ServerVersion: "20.10.24", Images: 1 });
    expect(info.SystemTime).toBe(new Date(f.clock.nowMs()).toISOString().replace(/\.?0*Z$/, "Z"));
  });

  describe("faults", () => {
    test("unreachable: every call answers a transport failure and changes nothing", async () => {
      const f = engineFixture();
      const id = await f.containerIn("running");
      f.docker.setFaults({ engineUnreachableChance: [1, 1] });
      for (const call of [f.docker.stop(id), f.docker.inspect(id), f.docker.ping(), f.docker.list()]) {
        expect(await f.run(call)).toMatchObject({ kind: "unreachable" });
      }
      f.docker.setFaults({ engineUnreachableChance: [0, 1] });
      expect((await f.state(id)).Status).toBe("running");
    });

    test("latency: each call takes a drawn delay within the bounds, in virtual time", async () => {
      const f = engineFixture();
      f.docker.setFaults({ engineLatencyMsMin: 50, engineLatencyMsMax: 80 });
      for (let i = 0; i < 20; i++) {
        const t0 = f.clock.nowMs();
        await f.run(f.docker.ping());
        expect(f.clock.nowMs() - t0).toBeWithin(50, 81);
      }
    });

    test("injected 500s: about the asked ratio, no effect; after-effect 500s do take effect", async () => {
      const f = engineFixture(7);
      f.docker.setFaults({ engineServerErrorChance: [1, 4] });
      let failures = 0;
      for (let i = 0; i < 400; i++) {
        const answer = await f.run(f.docker.ping());
        if (answer.kind === "http" && answer.statusCode === 500) failures++;
      }
      expect(failures).toBeWithin(70, 131);
      f.docker.setFaults({ engineServerErrorChance: [0, 1], engineLostReplyChance: [1, 1] });
      const created = await f.run(f.docker.create({ Image: "local/busybox" }, { name: "xy" }));
      expect(created).toMatchObject({ statusCode: 500 });
      f.docker.setFaults({ engineLostReplyChance: [0, 1] });
      expect(await f.run(f.docker.inspect("xy"))).toMatchObject({ statusCode: 200 });
    });

    test("a start the runtime fails: 500, still exited, State.Error and exit 128; the next start clears the error", async () => {
      const f = engineFixture(4);
      const id = await f.containerIn("exited");
      f.docker.setFaults({ engineStartFailureChance: [1, 1] });
      const before = f.docker.eventHistory().length;
      expect(await f.run(f.docker.start(id))).toMatchObject({ statusCode: 500, body: { message: expect.stringContaining("OCI runtime create failed") } });
      expect(await f.run(f.docker.restart(id))).toMatchObject({ statusCode: 500, body: { message: expect.stringContaining(`Cannot restart container ${id}: failed to create shim task`) } });
      expect(f.docker.peekInspect(id)).toMatchObject({ State: { Status: "exited", Error: expect.stringContaining("OCI runtime create failed") } });
      expect(f.docker.eventHistory().length).toBe(before);
      f.docker.setFaults({ engineStartFailureChance: [0, 1] });
      expect(await f.run(f.docker.start(id))).toMatchObject({ statusCode: 204 });
      expect(f.docker.peekInspect(id)).toMatchObject({ State: { Status: "running", Error: "", ExitCode: 0 } });
    });

    test("a removal the storage driver fails: the process is killed, the container left dead with the error, 500; the next removal works", async () => {
      const f = engineFixture(3);
      const id = await f.containerIn("running");
      const events: string[] = [];
      f.docker.observeEvents((e) => events.push(e.Action));
      f.docker.setFaults({ engineRemovalFailureChance: [1, 1] });
      const failed = await f.run(f.docker.remove(id, { force: true }));
      expect(failed).toMatchObject({ statusCode: 500, body: { message: expect.stringContaining(`container ${id}: driver "overlay2" failed to remove root filesystem`) } });
      expect(f.docker.peekInspect(id)).toMatchObject({ State: { Status: "dead", Running: false, Dead: true, Error: expect.stringContaining("device or resource busy") } });
      expect(await f.run(f.docker.start(id))).toMatchObject({ statusCode: 409 });
      f.docker.setFaults({ engineRemovalFailureChance: [0, 1] });
      expect(await f.run(f.docker.remove(id, { force: true }))).toMatchObject({ statusCode: 204 });
      expect(events).toEqual(["kill", "die", "destroy"]);
    });
  });
});

describe("SimulatedDocker: reads for invariants", () => {
  test("peekInspect and peekAll see the truth even while the engine is unreachable", async () => {
    const f = engineFixture();
    const id = await f.containerIn("paused");
    f.docker.setFaults({ engineUnreachableChance: [1, 1] });
    expect(f.docker.peekInspect(id)).toMatchObject({ Id: id, State: { Status: "paused" } });
    expect(f.docker.peekInspect("nope")).toBeUndefined();
    expect(f.docker.peekAll().map((c) => c.Id)).toEqual([id]);
  });
});
