import { describe, expect, test } from "bun:test";
import { runFor } from "@container-actions/sim-kernel";
import { engineFixture, type EngineFixture } from "./engine-fixture.ts";
import type { LogEntry } from "./container-logs.ts";
import type { WaitResult } from "./container-waits.ts";

async function started(f: EngineFixture, cmd: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const id = await f.create({ Cmd: cmd, HostConfig: { Init: false }, ...extra });
  await f.run(f.docker.start(id));
  return id;
}

async function waitFor(f: EngineFixture, ref: string, condition?: string): Promise<WaitResult> {
  const answer = await f.run(f.docker.wait(ref, { condition }));
  if (answer.kind !== "waiting") throw new Error(JSON.stringify(answer));
  return f.run(answer.result);
}

async function logs(f: EngineFixture, ref: string, request: Record<string, unknown> = { stdout: true, stderr: true }): Promise<LogEntry[]> {
  const answer = await f.run(f.docker.logs(ref, request, () => {}, () => {}));
  if (answer.kind !== "logs") throw new Error(JSON.stringify(answer));
  return answer.past;
}

describe("the engine runs the container's command", () => {
  test("run -d true: exits 0 by itself, `die 0`, and ps -a says Exited (0)", async () => {
    const f = engineFixture();
    const id = await started(f, ["/bin/true"]);
    expect(await waitFor(f, id)).toEqual({ StatusCode: 0, Error: null });
    expect(await f.state(id)).toMatchObject({ Status: "exited", Running: false, ExitCode: 0 });
    expect(f.actions(id)).toEqual(["create", "start", "die 0"]);
    await runFor(f.clock, 3000);
    const rows = (await f.run(f.docker.list({ all: true }))) as { body: Array<{ Status: string }> };
    expect(rows.body[0]?.Status).toBe("Exited (0) 3 seconds ago");
  });

  test("sh -c 'exit 3' exits 3; sleep 2 is running at 1 s and exited at 3 s", async () => {
    const f = engineFixture();
    expect(await waitFor(f, await started(f, ["sh", "-c", "exit 3"]))).toEqual({ StatusCode: 3, Error: null });
    const sleeper = await started(f, ["sleep", "2"]);
    await runFor(f.clock, 1000);
    expect((await f.state(sleeper)).Status).toBe("running");
    await runFor(f.clock, 2000);
    expect(await f.state(sleeper)).toMatchObject({ Status: "exited", ExitCode: 0 });
  });

  test("restart policy on-failure:2 restarts a failing command twice, then it stays exited", async () => {
    const f = engineFixture();
    const id = await started(f, ["sh", "-c", "exit 5"], { HostConfig: { Init: false, RestartPolicy: { Name: "on-failure", MaximumRetryCount: 2 } } });
    await runFor(f.clock, 5000);
    expect(await f.state(id)).toMatchObject({ Status: "exited", ExitCode: 5 });
    expect(f.actions(id)).toEqual(["create", "start", "die 5", "start", "die 5", "start", "die 5"]);
    const exitsClean = await started(f, ["true"], { HostConfig: { Init: false, RestartPolicy: { Name: "on-failure" } } });
    await runFor(f.clock, 5000);
    expect(f.actions(exitsClean)).toEqual(["create", "start", "die 0"]);
  });

  test("restart policy always keeps restarting a command that exits 0", async () => {
    const f = engineFixture();
    const id = await started(f, ["true"], { HostConfig: { Init: false, RestartPolicy: { Name: "always" } } });
    await runFor(f.clock, 1000);
    expect(f.actions(id).filter((a) => a === "start").length).toBeGreaterThan(3);
  });

  test("stop -t 1: sleep as PID 1 ignores TERM and is killed (137); with --init it dies of TERM (143)", async () => {
    const f = engineFixture();
    const plain = await started(f, ["sleep", "30"]);
    const withInit = await started(f, ["sleep", "30"], { HostConfig: { Init: true } });
    const t0 = f.clock.nowMs();
    await f.run(f.docker.stop(plain, { t: 1 }));
    expect(f.clock.nowMs() - t0).toBeGreaterThanOrEqual(1000);
    await f.run(f.docker.stop(withInit, { t: 1 }));
    expect((await f.state(plain)).ExitCode).toBe(137);
    expect((await f.state(withInit)).ExitCode).toBe(143);
    expect(f.actions(plain)).toEqual(["create", "start", "kill 15", "kill 9", "die 137", "stop"]);
    expect(f.actions(withInit)).toEqual(["create", "start", "kill 15", "die 143", "stop"]);
  });

  test("a paused program's exit waits for the unpause", async () => {
    const f = engineFixture();
    const id = await started(f, ["sleep", "1"]);
    await f.run(f.docker.pause(id));
    await runFor(f.clock, 2000);
    expect((await f.state(id)).Status).toBe("paused");
    await f.run(f.docker.unpause(id));
    await runFor(f.clock, 100);
    expect(await f.state(id)).toMatchObject({ Status: "exited", ExitCode: 0 });
  });
});

describe("wait", () => {
  test("not-running answers at once for a stopped container; next-exit waits for the next exit", async () => {
    const f = engineFixture();
    const id = await started(f, ["sh", "-c", "exit 4"]);
    await runFor(f.clock, 100);
    expect(await waitFor(f, id, "not-running")).toEqual({ StatusCode: 4, Error: null });
    expect(await waitFor(f, id, "garbage")).toEqual({ StatusCode: 4, Error: null }); // dockerd takes it as not-running
    const next = await f.run(f.docker.wait(id, { condition: "next-exit" }));
    if (next.kind !== "waiting") throw new Error("expected a wait");
    let answered: WaitResult | undefined;
    void next.result.then((r) => (answered = r));
    await runFor(f.clock, 1000);
    expect(answered).toBeUndefined();
    await f.run(f.docker.start(id));
    await runFor(f.clock, 100);
    expect(answered).toEqual({ StatusCode: 4, Error: null });
  });

  test("removed answers at removal, with the last exit code; a missing container is 404", async () => {
    const f = engineFixture();
    const id = await started(f, ["sleep", "100"]);
    const removed = await f.run(f.docker.wait(id, { condition: "removed" }));
    if (removed.kind !== "waiting") throw new Error("expected a wait");
    await f.run(f.docker.remove(id, { force: true }));
    expect(await f.run(removed.result)).toEqual({ StatusCode: 137, Error: null });
    expect(await f.run(f.docker.wait("nosuch"))).toEqual({ kind: "http", statusCode: 404, body: { message: "No such container: nosuch" } });
  });
});

describe("logs and --rm", () => {
  test("logs keep stdout and stderr apart, across restarts (stderr first, as dockerd logs them); tail and since select", async () => {
    const f = engineFixture();
    const id = await started(f, ["sh", "-c", "echo out; echo err >&2; exit 1"], { HostConfig: { Init: false, RestartPolicy: { Name: "on-failure", MaximumRetryCount: 1 } } });
    await runFor(f.clock, 1000);
    const all = await logs(f, id);
    expect(all.map((e) => `${e.stream}:${e.text}`)).toEqual(["2:err\n", "1:out\n", "2:err\n", "1:out\n"]);
    expect((await logs(f, id, { stdout: true })).map((e) => e.text)).toEqual(["out\n", "out\n"]);
    expect((await logs(f, id, { stdout: true, stderr: true, tail: "1" })).map((e) => e.text)).toEqual(["out\n"]);
    const since = String((all[2]?.timeMs ?? 0) / 1000);
    expect((await logs(f, id, { stdout: true, stderr: true, since })).length).toBe(2);
    expect(await f.run(f.docker.logs(id, {}, () => {}, () => {}))).toEqual({ kind: "http", statusCode: 400, body: { message: "Bad parameters: you must choose at least one stream" } });
  });

  test("follow delivers later writes and ends when the container stops", async () => {
    const f = engineFixture();
    const id = await started(f, ["sh", "-c", "echo now; sleep 1; echo later"]);
    await runFor(f.clock, 100);
    const live: string[] = [];
    let ended = false;
    const answer = await f.run(f.docker.logs(id, { stdout: true, follow: true }, (e) => live.push(e.text), () => (ended = true)));
    if (answer.kind !== "logs") throw new Error("expected logs");
    expect(answer.past.map((e) => e.text)).toEqual(["now\n"]);
    await runFor(f.clock, 2000);
    expect(live).toEqual(["later\n"]);
    expect(ended).toBe(true);
  });

  test("run --rm: the container is removed after it exits (die, destroy) and after a stop (die, stop, destroy)", async () => {
    const f = engineFixture();
    const quick = await started(f, ["sh", "-c", "exit 2"], { HostConfig: { Init: false, AutoRemove: true } });
    await runFor(f.clock, 100);
    expect(f.actions(quick)).toEqual(["create", "start", "die 2", "destroy"]);
    expect(f.docker.peekInspect(quick)).toBeUndefined();
    const long = await started(f, ["sleep", "30"], { HostConfig: { Init: false, AutoRemove: true } });
    await f.run(f.docker.stop(long, { t: 1 }));
    await runFor(f.clock, 100);
    expect(f.actions(long)).toEqual(["create", "start", "kill 15", "kill 9", "die 137", "stop", "destroy"]);
    const refused = await f.run(f.docker.create({ Image: "local/busybox", HostConfig: { AutoRemove: true, RestartPolicy: { Name: "always" } } }));
    expect(refused).toEqual({ kind: "http", statusCode: 400, body: { message: "can't create 'AutoRemove' container with restart policy" } });
  });
});
