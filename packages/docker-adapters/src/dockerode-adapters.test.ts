import { describe, expect, test } from "bun:test";
import { Readable } from "node:stream";
import Docker from "dockerode";
import { DockerodeContainerEngine } from "./dockerode-container-engine.ts";
import { DockerodeMirrorSource } from "./dockerode-mirror-source.ts";

interface Dialled {
  method: string;
  path: string;
}

/**
 * dockerode 5.0.1 with its transport replaced: every call is answered by `answer(method, path)` through
 * docker-modem's own buildPayload (so rejections have dockerode's real shape), or fails with `transport`.
 * Does not model: streaming, timeouts, partial bodies.
 */
function stubbedDocker(answer: (d: Dialled) => { status: number; body: unknown } | { transport: Error }) {
  const dialled: Dialled[] = [];
  const docker = new Docker({ socketPath: "/nonexistent.sock" });
  const modem = docker.modem as unknown as {
    dial: (opts: { method: string; path: string; isStream?: boolean; statusCodes: Record<number, unknown>; options?: Record<string, unknown> }, cb: (e: unknown, d: unknown) => void) => void;
    buildPayload: (...args: unknown[]) => void;
  };
  modem.dial = (opts, cb) => {
    const query = new URLSearchParams(Object.entries(opts.options ?? {}).filter(([k]) => k !== "abortSignal").map(([k, v]) => [k, String(v)])).toString();
    const d = { method: opts.method, path: opts.path + query };
    dialled.push(d);
    const a = answer(d);
    if ("transport" in a) modem.buildPayload(a.transport, false, opts.statusCodes, false, {}, {}, null, cb);
    else modem.buildPayload(null, opts.isStream ?? false, opts.statusCodes, false, {}, { statusCode: a.status }, a.body, cb);
  };
  return { docker, dialled };
}

const ID = "abc123".padEnd(64, "0");
const inspectBody = (state: Partial<{ Status: string; Running: boolean; Paused: boolean; StartedAt: string }>) => ({
  Id: ID,
  Name: "/web",
  Path: "sleep",
  Image: "sha256:1",
  State: { Status: "running", Running: true, Paused: false, Restarting: false, StartedAt: "2026-01-01T00:00:00.5Z", ...state },
});

describe("DockerodeContainerEngine", () => {
  test.each([
    ["start", "/containers/abc1230000000000000000000000000000000000000000000000000000000000/start?"],
    ["stop", "/containers/abc1230000000000000000000000000000000000000000000000000000000000/stop?"],
    ["pause", "/containers/abc1230000000000000000000000000000000000000000000000000000000000/pause"],
    ["unpause", "/containers/abc1230000000000000000000000000000000000000000000000000000000000/unpause"],
    ["restart", "/containers/abc1230000000000000000000000000000000000000000000000000000000000/restart?"],
  ] as const)("%s: one POST to %s; 204 → done", async (action, path) => {
    const { docker, dialled } = stubbedDocker(() => ({ status: 204, body: Buffer.alloc(0) }));
    expect(await new DockerodeContainerEngine(docker).perform(ID, action)).toEqual({ kind: "done" });
    expect(dialled).toEqual([{ method: "POST", path }]);
  });

  test("restartedSince replays events to the end of the current millisecond: a restart stamped later in it counts", async () => {
    const docker = new Docker({ socketPath: "/nonexistent.sock" });
    const asked: Record<string, unknown>[] = [];
    (docker.modem as unknown as { dial: (o: { options: Record<string, unknown> }, cb: (e: unknown, d: unknown) => void) => void }).dial = (opts, cb) => {
      asked.push(opts.options);
      // dockerd's reply to an events replay: one JSON line per event, then the stream closes.
      cb(null, Readable.from([JSON.stringify({ status: "restart", id: ID, timeNano: 1_700_000_000_000_500_000 }) + "\n"]));
    };
    const realNow = Date.now;
    Date.now = () => 1_700_000_000_000;
    try {
      expect(await new DockerodeContainerEngine(docker).restartedSince(ID, 1_699_999_999_000)).toEqual({ kind: "restarted" });
    } finally {
      Date.now = realNow;
    }
    expect(asked[0]!.since).toBe(1_699_999_999);
    // The event at …000.5 ms must lie within [since, until]: until is past it, yet no later than the next millisecond.
    expect(asked[0]!.until as number).toBeGreaterThan(1_700_000_000.0005);
    expect(asked[0]!.until as number).toBeLessThanOrEqual(1_700_000_000.001);
  });

  test("304 on start → already (dockerode rejects it)", async () => {
    const { docker } = stubbedDocker(() => ({ status: 304, body: Buffer.alloc(0) }));
    expect(await new DockerodeContainerEngine(docker).perform(ID, "start")).toEqual({ kind: "already" });
  });

  test("409 on pause → refused with Docker's message", async () => {
    const { docker } = stubbedDocker(() => ({ status: 409, body: { message: `Container ${ID} is not running` } }));
    expect(await new DockerodeContainerEngine(docker).perform(ID, "pause")).toEqual({ kind: "refused", message: `Container ${ID} is not running` });
  });

  test("socket gone → unreachable, for perform and inspect", async () => {
    const { docker } = stubbedDocker(() => ({ transport: Object.assign(new Error("connect ENOENT /x.sock"), { code: "ENOENT" }) }));
    const engine = new DockerodeContainerEngine(docker);
    expect((await engine.perform(ID, "stop")).kind).toBe("unreachable");
    expect((await engine.inspect(ID)).kind).toBe("unreachable");
  });

  test("inspect → the engine state core reads; every call is timed", async () => {
    const calls: string[] = [];
    const { docker } = stubbedDocker(() => ({ status: 200, body: inspectBody({ Status: "paused", Paused: true }) }));
    const engine = new DockerodeContainerEngine(docker, (call, caller) => void calls.push(`${caller}:${call}`));
    expect(await engine.inspect(ID)).toEqual({
      kind: "found",
      state: { status: "paused", running: true, paused: true, restarting: false, startedAtMs: Date.parse("2026-01-01T00:00:00.5Z") },
    });
    await engine.perform(ID, "unpause");
    expect(calls).toEqual(["action:inspect", "action:unpause"]);
  });
});

describe("DockerodeMirrorSource", () => {
  test("list: all containers, stopped ones included", async () => {
    const { docker, dialled } = stubbedDocker(() => ({ status: 200, body: [{ Id: "a" }, { Id: "b" }] }));
    expect(await new DockerodeMirrorSource(docker).list()).toEqual({ kind: "listed", ids: ["a", "b"] });
    expect(dialled[0]?.path).toContain("all=true");
  });

  test("describe: the inspect JSON passed through; 404 gone", async () => {
    let status = 200;
    const { docker } = stubbedDocker(() => (status === 200 ? { status, body: inspectBody({}) } : { status, body: { message: "No such container: abc1230000000000000000000000000000000000000000000000000000000000" } }));
    const source = new DockerodeMirrorSource(docker);
    expect(await source.describe(ID)).toEqual({ kind: "found", inspect: inspectBody({}) as never });
    status = 404;
    expect(await source.describe(ID)).toEqual({ kind: "gone" });
  });

  test("remove: DELETE with force; 404 gone", async () => {
    let status = 204;
    const { docker, dialled } = stubbedDocker(() => ({ status, body: Buffer.alloc(0) }));
    const source = new DockerodeMirrorSource(docker);
    expect(await source.remove(ID)).toEqual({ kind: "removed" });
    expect(dialled[0]).toEqual({ method: "DELETE", path: "/containers/abc1230000000000000000000000000000000000000000000000000000000000?force=true" });
    status = 404;
    expect(await source.remove(ID)).toEqual({ kind: "gone" });
  });

  test("list with the engine down → unreachable (the full sync then enqueues nothing)", async () => {
    const { docker } = stubbedDocker(() => ({ transport: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) }));
    expect((await new DockerodeMirrorSource(docker).list()).kind).toBe("unreachable");
  });
});

describe("dockerode adapters: full IDs only", () => {
  test.each(["demo-worker", "abc123", ID.toUpperCase(), `${ID}0`])("%s: throws before dialling Docker", async (name) => {
    const { docker, dialled } = stubbedDocker(() => ({ status: 204, body: Buffer.alloc(0) }));
    const engine = new DockerodeContainerEngine(docker);
    const source = new DockerodeMirrorSource(docker);
    for (const call of [() => engine.perform(name, "stop"), () => engine.inspect(name), () => engine.restartedSince(name, 0), () => source.describe(name), () => source.remove(name)]) {
      await expect(call()).rejects.toMatchObject({ code: "NOT_A_CONTAINER_ID" });
    }
    expect(dialled).toEqual([]);
  });
});
