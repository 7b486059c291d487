import { describe, expect, test } from "bun:test";
import { SimulatedDocker } from "../../engine/index.ts";
import { settle } from "@container-actions/sim-kernel";
import { Prng } from "@container-actions/sim-kernel";
import { VirtualClock } from "@container-actions/sim-kernel";
import { handleDockerRequest } from "./docker-routes.ts";

// The routes without a socket: Request in, Response out, on the virtual clock.
function face() {
  const clock = new VirtualClock();
  const docker = new SimulatedDocker({ clock, prng: new Prng(3) });
  const call = (method: string, path: string, body?: unknown) =>
    settle(clock, handleDockerRequest(docker, new Request(`http://docker${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    })));
  const createId = async (body: unknown = { Image: "local/busybox:latest", HostConfig: { Init: true } }, query = "") =>
    ((await (await call("POST", `/v1.41/containers/create${query}`, body)).json()) as { Id: string }).Id;
  return { clock, docker, call, createId };
}

describe("docker routes", () => {
  test("_ping answers OK on GET and HEAD with dockerd's headers", async () => {
    const { call } = face();
    for (const method of ["GET", "HEAD"]) {
      const res = await call(method, "/_ping");
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(method === "GET" ? "OK" : "");
      expect(res.headers.get("api-version")).toBe("1.41");
      expect(res.headers.get("docker-experimental")).toBe("false");
      expect(res.headers.get("ostype")).toBe("linux");
      expect(res.headers.get("server")).toBe("Docker/20.10.24 (linux)");
    }
  });

  test("versions: unversioned and /v1.41 paths work, /v1.43 is 400 too new, unknown routes 404", async () => {
    const { call } = face();
    expect((await call("GET", "/containers/json")).status).toBe(200);
    expect((await call("GET", "/v1.24/containers/json")).status).toBe(200);
    const tooNew = await call("GET", "/v1.43/containers/json");
    expect(tooNew.status).toBe(400);
    expect(tooNew.headers.get("content-type")).toBe("application/json");
    expect(await tooNew.json()).toEqual({ message: "client version 1.43 is too new. Maximum supported API version is 1.41" });
    const missing = await call("GET", "/v1.41/nothing");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: "page not found" });
    expect((await call("GET", "/v1.41/containers/abc/start")).status).toBe(404);
  });

  test("the lifecycle over HTTP: create ?name=, start, 304 with an empty body, inspect by name, kill, delete", async () => {
    const { call, createId } = face();
    const id = await createId(undefined, "?name=web");
    expect((await call("POST", `/v1.41/containers/web/start`)).status).toBe(204);
    const again = await call("POST", `/v1.41/containers/${id.slice(0, 10)}/start`);
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const inspect = (await (await call("GET", "/v1.41/containers/web/json")).json()) as { Id: string; State: { Status: string } };
    expect(inspect).toMatchObject({ Id: id, State: { Status: "running" } });
    expect((await call("POST", `/v1.41/containers/web/stop?t=1`)).status).toBe(204);
    expect((await call("POST", `/v1.41/containers/web/kill`)).status).toBe(409);
    const unpause = await call("POST", "/v1.41/containers/web/unpause");
    expect(unpause.status).toBe(500);
    expect(await unpause.json()).toEqual({ message: `Container ${id} is not paused` });
    expect((await call("DELETE", "/v1.41/containers/web?force=1")).status).toBe(204);
    expect(await (await call("GET", "/v1.41/containers/web/json")).json()).toEqual({ message: "No such container: web" });
  });

  test("list: all=1 and JSON filters in both forms", async () => {
    const { call, createId } = face();
    const a = await createId(undefined, "?name=alpha");
    await createId(undefined, "?name=beta");
    const rows = async (query: string) => ((await (await call("GET", `/containers/json${query}`)).json()) as Array<{ Id: string }>).map((r) => r.Id);
    expect(await rows("")).toEqual([]);
    expect((await rows("?all=1")).length).toBe(2);
    expect(await rows(`?all=true&filters=${encodeURIComponent('{"name":["alpha"]}')}`)).toEqual([a]);
    expect(await rows(`?all=1&filters=${encodeURIComponent('{"name":{"alpha":true}}')}`)).toEqual([a]);
  });

  test("create refuses a body that is not JSON and a non-JSON content type", async () => {
    const { docker, clock } = face();
    const bad = await settle(clock, handleDockerRequest(docker, new Request("http://docker/containers/create", {
      method: "POST", headers: { "Content-Type": "text/plain" }, body: '{"Image":"local/busybox"}',
    })));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ message: "Content-Type specified (text/plain) must be 'application/json'" });
  });

  test("info reads SystemTime and counts from the model", async () => {
    const { call, createId } = face();
    await createId();
    const info = (await (await call("GET", "/v1.41/info")).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ Containers: 1, ContainersStopped: 1, ServerVersion: "20.10.24", SystemTime: "2026-01-01T00:00:00Z" });
  });

  test("events: since/until replay as newline-delimited JSON, then the stream ends", async () => {
    const { call, createId, clock } = face();
    const t0 = clock.nowMs() / 1000;
    const id = await createId();
    await call("POST", `/containers/${id}/start`);
    clock.advance(2_000);
    const res = await call("GET", `/v1.41/events?since=${t0}&until=${clock.nowMs() / 1000}&filters=${encodeURIComponent(JSON.stringify({ container: [id] }))}`);
    expect(res.headers.get("content-type")).toBe("application/json");
    const reading = res.text();
    clock.advance(10); // `until` is now: the stream ends when it has passed
    const lines = (await reading).trim().split("\n").map((l) => JSON.parse(l) as { Action: string });
    expect(lines.map((e) => e.Action)).toEqual(["create", "start"]);
  });

  test("an unreachable engine drops the connection: the body errors before any byte", async () => {
    const { call, docker } = face();
    docker.setFaults({ engineUnreachableChance: [1, 1] });
    const res = await call("GET", "/_ping");
    let failed = false;
    await res.text().catch(() => (failed = true));
    expect(failed).toBe(true);
  });
});
