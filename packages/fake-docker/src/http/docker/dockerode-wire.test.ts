import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { SimulatedDocker } from "../../engine/index.ts";
import { Prng } from "@container-actions/sim-kernel";
import { followWallClock, VirtualClock } from "@container-actions/sim-kernel";
import { serveDockerApi, type DockerApiServer } from "./serve-docker-api.ts";

// dockerode 5.0.1 (docker-modem 5.0.7) against the wire face on a unix socket, the model following wall
// time. Pins how dockerode reports each kind of answer (docker-engine.md, "How dockerode reports them").

interface DockerodeError {
  statusCode?: number;
  reason?: string;
  json?: unknown;
  code?: string;
  message: string;
}

async function failure(call: Promise<unknown>): Promise<DockerodeError> {
  try {
    await call;
  } catch (err) {
    return err as DockerodeError;
  }
  throw new Error("expected the call to fail");
}

let dir: string;
let server: DockerApiServer;
let model: SimulatedDocker;
let stopFollowing: () => void;
let docker: Docker;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ca-wire-"));
  const clock = new VirtualClock(Date.now());
  model = new SimulatedDocker({ clock, prng: new Prng(11) });
  stopFollowing = followWallClock(clock);
  server = serveDockerApi({ docker: model, socketPath: join(dir, "docker.sock") });
  docker = new Docker({ socketPath: join(dir, "docker.sock") });
});

afterAll(async () => {
  stopFollowing();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function newContainer(name: string): Promise<Docker.Container> {
  return docker.createContainer({ name, Image: "local/busybox:latest", Labels: { suite: "wire" }, HostConfig: { Init: true } });
}

describe("dockerode against the wire face", () => {
  test("ping, version and info", async () => {
    expect(String(await docker.ping())).toBe("OK");
    expect(await docker.version()).toMatchObject({ Version: "20.10.24", ApiVersion: "1.41", MinAPIVersion: "1.12" });
    expect(await docker.info()).toMatchObject({ ServerVersion: "20.10.24", OSType: "linux" });
  });

  test("the lifecycle and the answer mapping: 304 rejects with an empty buffer, 409, 500, 404", async () => {
    const c = await newContainer("life");
    await c.start();
    const started = await failure(c.start());
    expect(started).toMatchObject({ statusCode: 304, reason: "container already started" });
    expect(Buffer.isBuffer(started.json) && started.json.length === 0).toBe(true);
    const notPaused = await failure(c.unpause());
    expect(notPaused).toMatchObject({ statusCode: 500, reason: "server error", json: { message: `Container ${c.id} is not paused` } });
    await c.pause();
    const paused = await failure(c.pause());
    expect(paused).toMatchObject({ statusCode: 409, json: { message: `Container ${c.id} is already paused` } });
    expect(paused.message).toContain("is already paused");
    await c.stop({ t: 3 });
    expect((await c.inspect()).State).toMatchObject({ Status: "exited", ExitCode: 143, Running: false, Paused: false });
    expect(await failure(c.stop())).toMatchObject({ statusCode: 304, reason: "container already stopped" });
    await c.restart({ t: 1 });
    await c.kill();
    expect((await c.inspect()).State.ExitCode).toBe(137);
    await c.remove({ force: true });
    expect(await failure(c.inspect())).toMatchObject({ statusCode: 404, reason: "no such container", json: { message: `No such container: ${c.id}` } });
    expect(await failure(docker.getContainer("nosuch").kill())).toMatchObject({
      statusCode: 404, json: { message: "Cannot kill container: nosuch: No such container: nosuch" },
    });
  });

  test("listContainers with all and JSON filters", async () => {
    const c = await newContainer("listed");
    const byName = await docker.listContainers({ all: true, filters: { name: ["listed"] } });
    expect(byName.map((r) => r.Id)).toEqual([c.id]);
    expect(byName[0]).toMatchObject({ Names: ["/listed"], State: "created", Status: "Created", Labels: { suite: "wire" } });
    expect(await docker.listContainers({ filters: { name: ["listed"] } })).toEqual([]);
    await c.remove();
  });

  test("getEvents with since/until and a container filter ends by itself, events in order", async () => {
    const since = Date.now() / 1000;
    const c = await newContainer("evented");
    await c.start();
    await c.pause();
    await c.remove({ force: true });
    const stream = await docker.getEvents({ since: Math.floor(since), until: Date.now() / 1000 + 0.05, filters: { container: [c.id] } });
    let text = "";
    for await (const chunk of stream) text += String(chunk);
    const events = text.trim().split("\n").map((l) => JSON.parse(l) as { Action: string; Actor: { Attributes: Record<string, string> } });
    expect(events.map((e) => e.Action)).toEqual(["create", "start", "pause", "kill", "die", "destroy"]);
    expect(events[3]?.Actor.Attributes).toMatchObject({ signal: "9", name: "evented", image: "local/busybox:latest", suite: "wire" });
  });

  test("a live getEvents() stream opens at once and delivers new events", async () => {
    const t0 = Date.now();
    const stream = await docker.getEvents({ filters: { type: ["container"], event: ["create"] } });
    expect(Date.now() - t0).toBeLessThan(1_000);
    const got: string[] = [];
    stream.on("data", (chunk: Buffer) => {
      for (const line of String(chunk).split("\n")) if (line.trim() !== "") got.push((JSON.parse(line) as { Action: string }).Action);
    });
    const c = await newContainer("live");
    for (let i = 0; i < 100 && got.length === 0; i++) await Bun.sleep(10);
    (stream as unknown as { destroy(): void }).destroy();
    expect(got).toEqual(["create"]);
    await c.remove();
  });

  test("wait, logs and a hijacked attach through dockerode", async () => {
    const c = await docker.createContainer({ name: "cmdrun", Image: "local/busybox:latest", Cmd: ["sh", "-c", "sleep 0.2; echo out; echo err >&2; exit 3"] });
    const attached = (await c.attach({ stream: true, stdout: true, stderr: true, hijack: true })) as unknown as NodeJS.ReadableStream;
    const frames: Buffer[] = [];
    attached.on("data", (chunk: Buffer) => frames.push(chunk));
    const ended = new Promise((resolve) => attached.on("end", resolve));
    const waited = c.wait({ condition: "next-exit" });
    await c.start();
    expect(await waited).toEqual({ Error: null, StatusCode: 3 });
    await ended;
    expect(Buffer.concat(frames).toString("latin1")).toBe("\u0002\u0000\u0000\u0000\u0000\u0000\u0000\u0004err\n\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0004out\n");
    const logs = (await c.logs({ stdout: true, stderr: false, follow: false })) as unknown as Buffer;
    expect(logs.toString("latin1")).toBe("\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0004out\n");
    await c.remove();
  });

  test("a client pinned above 1.41 gets 400 on every call", async () => {
    const newer = new Docker({ socketPath: join(dir, "docker.sock"), version: "v1.43" });
    expect(await failure(newer.listContainers())).toMatchObject({
      statusCode: 400, json: { message: "client version 1.43 is too new. Maximum supported API version is 1.41" },
    });
  });

  test("an unreachable engine is a transport error, not an HTTP status", async () => {
    model.setFaults({ engineUnreachableChance: [1, 1] });
    try {
      const err = await failure(docker.listContainers());
      expect(err.statusCode).toBeUndefined();
      expect(err.code ?? err.message).toMatch(/ECONNRESET|socket hang up|closed/i);
    } finally {
      model.setFaults({ engineUnreachableChance: [0, 1] });
    }
  });
});
