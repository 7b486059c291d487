import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SimulatedDocker } from "../../engine/index.ts";
import { followWallClock, Prng, settle, VirtualClock } from "@container-actions/sim-kernel";
import { attachRequest } from "./attach-route.ts";
import { handleDockerRequest } from "./docker-routes.ts";
import { serveDockerApi, type DockerApiServer } from "./serve-docker-api.ts";

// The hijacked attach, byte for byte as dockerd 20.10.24 sent it to a raw client
// (`POST /v1.41/containers/a1/attach?stream=1&stdout=1&stderr=1`, `Connection: Upgrade`, `Upgrade: tcp`).
const UPGRADED = "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n";

let dir: string;
let server: DockerApiServer;
let model: SimulatedDocker;
let stopFollowing: () => void;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ca-attach-"));
  const clock = new VirtualClock(Date.now());
  model = new SimulatedDocker({ clock, prng: new Prng(7) });
  stopFollowing = followWallClock(clock);
  server = serveDockerApi({ docker: model, socketPath: join(dir, "docker.sock") });
});

afterAll(async () => {
  stopFollowing();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends `head` on a fresh connection and collects everything until the server closes it. */
function exchange(head: string, afterSent: () => Promise<void> = async () => {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.socketPath ?? "");
    const chunks: Buffer[] = [];
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.on("connect", () => {
      socket.write(head);
      void afterSent();
    });
  });
}

const attachHead = (ref: string) =>
  `POST /v1.41/containers/${ref}/attach?stream=1&stdout=1&stderr=1 HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n`;

describe("attach over the hijacked connection", () => {
  test("101 UPGRADED, then the output as stdcopy frames, closed when the process stops; an attach event", async () => {
    const created = await model.create({ Image: "local/busybox:latest", Cmd: ["sh", "-c", "sleep 0.2; echo late"] }, { name: "att1" });
    expect(created).toMatchObject({ statusCode: 201 });
    const received = await exchange(attachHead("att1"), async () => {
      await Bun.sleep(50);
      await model.start("att1");
    });
    expect(received).toBe(`${UPGRADED}\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0005late\n`);
    expect(model.eventHistory().filter((e) => e.Actor.Attributes.name === "att1").map((e) => e.Action)).toEqual(["create", "attach", "start", "die"]);
  });

  test("a missing container is an ordinary 404 with dockerd's message", async () => {
    const received = await exchange(attachHead("nosuch"));
    expect(received.split("\r\n")[0]).toBe("HTTP/1.1 404 Not Found");
    expect(received.endsWith('{"message":"No such container: nosuch"}\n')).toBe(true);
  });

  test("only a POST …/attach with Upgrade: tcp is hijacked", () => {
    expect(attachRequest("POST /v1.41/containers/abc/attach?stream=1 HTTP/1.1\r\nUpgrade: tcp")).toMatchObject({ ref: "abc" });
    expect(attachRequest("POST /containers/abc/attach HTTP/1.1\r\nupgrade:TCP")).toMatchObject({ ref: "abc" });
    expect(attachRequest("POST /v1.41/containers/abc/attach HTTP/1.1\r\nHost: x")).toBeUndefined();
    expect(attachRequest("GET /v1.41/containers/abc/attach HTTP/1.1\r\nUpgrade: tcp")).toBeUndefined();
    expect(attachRequest("POST /v1.41/containers/abc/start HTTP/1.1\r\nUpgrade: tcp")).toBeUndefined();
  });
});

describe("wait and logs routes", () => {
  test("wait: 200 at once, then {Error, StatusCode} in Go's field order once the container stops", async () => {
    const clock = new VirtualClock();
    const docker = new SimulatedDocker({ clock, prng: new Prng(3) });
    const call = (method: string, path: string, body?: unknown) =>
      settle(clock, handleDockerRequest(docker, new Request(`http://docker${path}`, { method, headers: { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) })));
    const created = await call("POST", "/containers/create?name=waiter", { Image: "local/busybox:latest", Cmd: ["sh", "-c", "echo out; echo err >&2; exit 3"] });
    expect(created.status).toBe(201);
    const wait = await call("POST", "/v1.41/containers/waiter/wait?condition=next-exit");
    expect(wait.status).toBe(200);
    expect(wait.headers.get("content-type")).toBe("application/json");
    await call("POST", "/containers/waiter/start");
    expect(await settle(clock, wait.text())).toBe('\n{"Error":null,"StatusCode":3}\n');
    const logs = await call("GET", "/v1.41/containers/waiter/logs?stdout=1&stderr=1");
    expect(logs.headers.get("content-type")).toBeNull();
    expect(new Uint8Array(await logs.arrayBuffer())).toEqual(new Uint8Array([2, 0, 0, 0, 0, 0, 0, 4, ...Buffer.from("err\n"), 1, 0, 0, 0, 0, 0, 0, 4, ...Buffer.from("out\n")]));
    const noStream = await call("GET", "/v1.41/containers/waiter/logs");
    expect(noStream.status).toBe(400);
    expect(await noStream.json()).toEqual({ message: "Bad parameters: you must choose at least one stream" });
    const badSince = await call("GET", "/v1.41/containers/waiter/logs?stdout=1&since=abc");
    expect(badSince.status).toBe(500);
    expect(await badSince.json()).toEqual({ message: 'strconv.ParseInt: parsing "abc": invalid syntax' });
  });
});
