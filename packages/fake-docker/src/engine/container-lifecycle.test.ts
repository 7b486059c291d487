import { describe, expect, test } from "bun:test";
import { engineFixture } from "./engine-fixture.ts";
import { ProcessTiming } from "./container-lifecycle.ts";

const PLAIN = { HostConfig: { Init: false } };

/** Virtual ms a call takes. */
async function timed(f: ReturnType<typeof engineFixture>, call: () => Promise<unknown>): Promise<number> {
  const t0 = f.clock.nowMs();
  await f.run(call());
  return f.clock.nowMs() - t0;
}

describe("stop timing in virtual time", () => {
  test("an init container stops in 60–100 ms, exit 143", async () => {
    const f = engineFixture();
    const id = await f.containerIn("running");
    const ms = await timed(f, () => f.docker.stop(id));
    expect(ms).toBeGreaterThanOrEqual(ProcessTiming.signalExitMsMin);
    expect(ms).toBeLessThanOrEqual(ProcessTiming.signalExitMsMax);
    expect((await f.state(id)).ExitCode).toBe(143);
  });

  test("sleep as PID 1 waits the default 10 s grace period, then SIGKILL, exit 137", async () => {
    const f = engineFixture();
    const id = await f.containerIn("running", PLAIN);
    const ms = await timed(f, () => f.docker.stop(id));
    expect(ms).toBeGreaterThanOrEqual(10_000);
    expect(ms).toBeLessThanOrEqual(10_000 + ProcessTiming.killExitMsMax);
    expect(await f.state(id)).toMatchObject({ Status: "exited", ExitCode: 137, Running: false });
  });

  test("?t= and StopTimeout set the grace period; t=0 kills at once", async () => {
    const f = engineFixture();
    const a = await f.containerIn("running", PLAIN);
    expect(await timed(f, () => f.docker.stop(a, { t: 2 }))).toBeWithin(2_000, 2_000 + ProcessTiming.killExitMsMax + 1);
    const b = await f.containerIn("running", { ...PLAIN, StopTimeout: 1 });
    expect(await timed(f, () => f.docker.stop(b))).toBeWithin(1_000, 1_000 + ProcessTiming.killExitMsMax + 1);
    const c = await f.containerIn("running", PLAIN);
    expect(await timed(f, () => f.docker.stop(c, { t: "0" }))).toBeLessThanOrEqual(ProcessTiming.killExitMsMax);
  });

  test("the stop call is still pending while the grace period runs, and the container still running", async () => {
    const f = engineFixture();
    const id = await f.containerIn("running", PLAIN);
    let answered = false;
    const stopping = f.docker.stop(id).then(() => (answered = true));
    f.clock.advance(9_000);
    await Bun.sleep(0);
    expect(answered).toBe(false);
    expect((await f.state(id)).Status).toBe("running");
    await f.run(stopping);
    expect(answered).toBe(true);
  });

  test("a process that exits on its own during the grace period ends the stop early, with no SIGKILL", async () => {
    const f = engineFixture();
    const id = await f.containerIn("running", PLAIN);
    const stopping = f.docker.stop(id);
    await Bun.sleep(0); // the call reaches the engine
    f.clock.advance(3_000);
    expect(f.docker.exitProcess(id, 0)).toEqual({ kind: "exited" });
    await f.run(stopping);
    expect(f.clock.nowMs() - (await f.state(id).then((s) => Date.parse(String(s.FinishedAt))))).toBe(0);
    expect(f.actions(id).slice(2)).toEqual(["kill 15", "die 0", "stop"]);
  });

  test("a trap on TERM exits with the trap's code", async () => {
    const f = engineFixture();
    const id = await f.containerIn("running", { Cmd: ["sh", "-c", 'trap "exit 0" TERM; sleep 100000 & wait'], HostConfig: { Init: false } });
    expect(await timed(f, () => f.docker.stop(id))).toBeLessThanOrEqual(ProcessTiming.signalExitMsMax);
    expect((await f.state(id)).ExitCode).toBe(0);
  });

  test("restart with sleep as PID 1 takes the grace period, then runs again with a new StartedAt", async () => {
    const f = engineFixture();
    const id = await f.containerIn("running", PLAIN);
    const before = await f.state(id);
    expect(await timed(f, () => f.docker.restart(id, { t: 1 }))).toBeGreaterThanOrEqual(1_000);
    const after = await f.state(id);
    expect(after).toMatchObject({ Status: "running", ExitCode: 0 });
    expect(after.StartedAt).not.toBe(before.StartedAt);
    expect(after.FinishedAt).not.toBe("0001-01-01T00:00:00Z");
  });
});

describe("restart policy", () => {
  const policy = (Name: string, MaximumRetryCount = 0) => ({ HostConfig: { Init: true, RestartPolicy: { Name, MaximumRetryCount } } });

  test("always: an exit goes to restarting, then starts again after 100 ms, 200 ms, 400 ms", async () => {
    const f = engineFixture();
    const id = await f.containerIn("running", policy("always"));
    const startedAt: number[] = [];
    for (let i = 0; i < 3; i++) {
      const diedAt = f.clock.nowMs();
      expect(f.docker.exitProcess(id, 3)).toEqual({ kind: "exited" });
      expect(await f.state(id)).toMatchObject({ Status: "restarting", Running: true, Restarting: true, ExitCode: 3, Pid: 0 });
      await f.run(f.clock.sleep(1_000));
      expect((await f.state(id)).Status).toBe("running");
      const start = f.docker.eventHistory().filter((e) => e.Actor.ID === id && e.Action === "start").at(-1);
      startedAt.push(Number((start?.timeNano ?? 0n) / 1_000_000n) - diedAt);
    }
    expect(startedAt).toEqual([100, 200, 400]);
    expect((await f.run(f.docker.inspect(id)) as { body: { RestartCount: number } }).body.RestartCount).toBe(3);
    expect(f.actions(id).slice(2)).toEqual(["die 3", "start", "die 3", "start", "die 3", "start"]);
  });

  test("a process that ran 10 s resets the backoff", async () => {
    const f = engineFixture();
    const id = await f.containerIn("running", policy("always"));
    f.docker.exitProcess(id, 1);
    await f.run(f.clock.sleep(150));
    f.docker.exitProcess(id, 1); // backoff now 200 ms
    await f.run(f.clock.sleep(10_500));
    const diedAt = f.clock.nowMs();
    f.docker.exitProcess(id, 1);
    await f.run(f.clock.sleep(1_000));
    const start = f.docker.eventHistory().filter((e) => e.Action === "start").at(-1);
    expect(Number((start?.timeNano ?? 0n) / 1_000_000n) - diedAt).toBe(100);
  });

  test("on-failure:2 restarts twice after failures, never after exit 0", async () => {
    const f = engineFixture();
    const id = await f.containerIn("running", policy("on-failure", 2));
    for (let i = 0; i < 3; i++) {
      f.docker.exitProcess(id, 1);
      await f.run(f.clock.sleep(5_000));
    }
    expect(await f.state(id)).toMatchObject({ Status: "exited", ExitCode: 1 });
    const zero = await f.containerIn("running", policy("on-failure"));
    f.docker.exitProcess(zero, 0);
    await f.run(f.clock.sleep(5_000));
    expect((await f.state(zero)).Status).toBe("exited");
  });

  test("no (and unset): an exit stays exited", async () => {
    const f = engineFixture();
    for (const name of ["no", ""]) {
      const id = await f.containerIn("running", policy(name));
      f.docker.exitProcess(id, 1);
      await f.run(f.clock.sleep(5_000));
      expect((await f.state(id)).Status).toBe("exited");
    }
  });

  test("an explicit stop or kill disables the policy until the next start", async () => {
    const f = engineFixture();
    for (const name of ["always", "unless-stopped"]) {
      const id = await f.containerIn("running", policy(name));
      await f.run(f.docker.stop(id));
      await f.run(f.clock.sleep(5_000));
      expect((await f.state(id)).Status).toBe("exited");
      await f.run(f.docker.start(id));
      f.docker.exitProcess(id, 1);
      await f.run(f.clock.sleep(5_000));
      expect((await f.state(id)).Status).toBe("running");
      await f.run(f.docker.kill(id));
      await f.run(f.clock.sleep(5_000));
      expect((await f.state(id)).Status).toBe("exited");
    }
  });

  test("stop during the backoff: 204, only a stop event, the last exit code stays", async () => {
    const f = engineFixture();
    const id = await f.containerIn("restarting");
    await f.run(f.docker.stop(id));
    expect(await f.state(id)).toMatchObject({ Status: "exited", ExitCode: 3 });
    await f.run(f.clock.sleep(5_000));
    expect(f.actions(id).slice(2)).toEqual(["die 3", "stop"]);
  });

  test("an explicit start resets RestartCount", async () => {
    const f = engineFixture();
    const id = await f.containerIn("restarting");
    await f.run(f.clock.sleep(1_000));
    await f.run(f.docker.restart(id));
    expect((await f.run(f.docker.inspect(id)) as { body: { RestartCount: number } }).body.RestartCount).toBe(0);
  });

  test("a crash of a paused process is impossible; a missing one is reported", async () => {
    const f = engineFixture();
    const id = await f.containerIn("paused");
    expect(f.docker.exitProcess(id, 1)).toEqual({ kind: "frozen" });
    expect(f.docker.exitProcess("nope", 1)).toEqual({ kind: "missing" });
    const created = await f.containerIn("created");
    expect(f.docker.exitProcess(created, 1)).toEqual({ kind: "not-running" });
  });
});
