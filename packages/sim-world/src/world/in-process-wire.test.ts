/**
 * The world's in-process connections hold to the wire: the same requests, over the fake's HTTP face on a
 * port and in-process, give equal status codes and bodies. (Calls that wait on the model's timers —
 * stop, a removal's kill — are left out: the HTTP face's model would need wall time to follow.) Two identical models (same seed, same clock
 * start) answer each side; only wall-clock timestamps differ (the HTTP face follows wall time), so they
 * are masked before comparing.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Docker from "dockerode";
import { API_VERSION, FINALIZER_MIRROR, KIND } from "@container-actions/core";
import { serveKubeApi, type KubeApiServer } from "@container-actions/fake-apiserver";
import { serveDockerApi, SimulatedDocker, type DockerApiServer } from "@container-actions/fake-docker";
import { containerPath, containersPath, FetchKubeTransport, JSON_PATCH, MERGE_PATCH, type KubeRequest, type KubeTransport } from "@container-actions/kube-adapters";
import { Prng, VirtualClock } from "@container-actions/sim-kernel";
import { inProcessDockerode } from "./in-process-docker.ts";
import { controllerKubeTransport, CONTROLLER_USER } from "./in-process-kube.ts";
import { createWorldModels } from "./world-models.ts";

/** RFC 3339 times (seconds or nanoseconds) and Unix seconds: the HTTP face's model follows wall time. */
function masked(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null).replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"/g, '"<time>"'));
}

describe("the in-process kube transport answers as the HTTP face", () => {
  let server: KubeApiServer;
  let wire: KubeTransport;
  let local: KubeTransport;

  beforeAll(async () => {
    // Same seed, same clock start: the two stores draw the same uids and count the same resourceVersions.
    const [served, inProcess] = await Promise.all([createWorldModels(new Prng(5), new VirtualClock(0)), createWorldModels(new Prng(5), new VirtualClock(0))]);
    server = await serveKubeApi({ store: served.store, client: { user: CONTROLLER_USER, groups: [] }, webhooks: false });
    const tls = { ca: server.tls.caCert, cert: server.tls.clientCert, key: server.tls.clientKey };
    wire = new FetchKubeTransport({ connection: async () => ({ server: server.url, tls, headers: {} }), timeoutMs: 10_000 });
    local = controllerKubeTransport(inProcess.store);
  });

  afterAll(async () => {
    await server.stop();
  });

  const ref = { namespace: "default", name: "a".repeat(64) };
  const create: KubeRequest = {
    method: "POST",
    path: containersPath("default"),
    query: { fieldManager: "container-actions-mirror" },
    body: { apiVersion: API_VERSION, kind: KIND, metadata: { name: ref.name, namespace: "default", finalizers: [FINALIZER_MIRROR] } },
    verb: "create",
    resource: "containers",
    caller: "mirror",
  };
  const requests: Array<[string, KubeRequest]> = [
    ["create (201)", create],
    ["create again (409 AlreadyExists)", create],
    [
      "status merge patch (200)",
      { method: "PATCH", path: containerPath(ref, "status"), query: { fieldManager: "container-actions-mirror" }, contentType: MERGE_PATCH, body: { status: { status: "running", pid: 7 } }, verb: "patch", resource: "containers/status", caller: "mirror" },
    ],
    [
      "a JSON Patch whose test fails (422)",
      {
        method: "PATCH",
        path: containerPath(ref),
        query: { fieldManager: "container-actions" },
        contentType: JSON_PATCH,
        body: [{ op: "test", path: "/metadata/annotations/containers.rancherdesktop.io~1action", value: "stop" }, { op: "remove", path: "/metadata/annotations/containers.rancherdesktop.io~1action" }],
        verb: "patch",
        resource: "containers",
        caller: "action",
      },
    ],
    [
      "a status write the schema refuses (422)",
      { method: "PATCH", path: containerPath(ref, "status"), query: { fieldManager: "container-actions" }, contentType: MERGE_PATCH, body: { status: { lastAction: { action: "explode" } } }, verb: "patch", resource: "containers/status", caller: "action" },
    ],
    [
      "a patch of a missing Container (404)",
      { method: "PATCH", path: containerPath({ namespace: "default", name: "b".repeat(64) }), query: { fieldManager: "container-actions" }, contentType: MERGE_PATCH, body: { metadata: { labels: { a: "b" } } }, verb: "patch", resource: "containers", caller: "action" },
    ],
    ["delete with the finalizer on (200, terminating)", { method: "DELETE", path: containerPath(ref), query: { fieldManager: "container-actions-mirror" }, verb: "delete", resource: "containers", caller: "mirror" }],
  ];

  test("every answer: the same status code and the same body", async () => {
    for (const [what, request] of requests) {
      const [overWire, inProcess] = [await wire.send(request), await local.send(request)];
      expect(overWire.kind).toBe("answered");
      expect({ what, answer: masked(inProcess) }).toEqual({ what, answer: masked(overWire) });
    }
  });
});

interface Outcome {
  ok?: unknown;
  statusCode?: number;
  json?: unknown;
}

async function outcome(call: Promise<unknown>): Promise<Outcome> {
  try {
    const value = await call;
    return { ok: Buffer.isBuffer(value) ? value.toString() : value };
  } catch (error) {
    const e = error as { statusCode?: number; json?: unknown };
    return { statusCode: e.statusCode ?? -1, json: Buffer.isBuffer(e.json) ? e.json.toString() : e.json };
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  return text;
}

describe("the in-process dockerode answers as the HTTP face", () => {
  let server: DockerApiServer;
  let wire: Docker;
  let local: Docker;
  let served: SimulatedDocker;
  let inProcess: SimulatedDocker;
  const START_MS = 1_700_000_000_000;

  beforeAll(() => {
    served = new SimulatedDocker({ clock: new VirtualClock(START_MS), prng: new Prng(9) });
    inProcess = new SimulatedDocker({ clock: new VirtualClock(START_MS), prng: new Prng(9) });
    server = serveDockerApi({ docker: served, port: 0 });
    wire = new Docker({ host: "127.0.0.1", port: server.port as number });
    local = inProcessDockerode(inProcess);
  });

  afterAll(async () => {
    await server.stop();
  });

  test("every answer: the same status code and the same body, success or failure", async () => {
    const calls: Array<[string, (docker: Docker, id: string) => Promise<unknown>]> = [
      ["inspect (200)", (d, id) => d.getContainer(id).inspect()],
      ["start a running container (304)", (d, id) => d.getContainer(id).start()],
      ["pause (204)", (d, id) => d.getContainer(id).pause()],
      ["pause a paused container (409)", (d, id) => d.getContainer(id).pause()],
      ["unpause (204)", (d, id) => d.getContainer(id).unpause()],
      ["list all (200)", (d) => d.listContainers({ all: true })],
      ["inspect a missing container (404)", (d) => d.getContainer("f".repeat(64)).inspect()],
      ["the events so far (a replay that closes)", async (d, id) => readAll((await d.getEvents({ since: 0, until: (START_MS + 5) / 1000, filters: { container: [id] } })) as NodeJS.ReadableStream)],
      ["create with a name in use (409)", (d) => d.createContainer({ name: "web", Image: "local/busybox:latest" })],
      ["force-remove a missing container (404)", (d) => d.getContainer("f".repeat(64)).remove({ force: true })],
    ];
    const ids: string[] = [];
    for (const model of [served, inProcess]) {
      const created = await model.create({ Image: "local/busybox:latest", Cmd: ["sleep", "100000"], HostConfig: { Init: true } }, { name: "web" });
      const id = (created as { body: { Id: string } }).body.Id;
      await model.start(id);
      ids.push(id);
    }
    expect(ids[0]).toBe(ids[1] as string);
    // Past the create and start, so an events replay up to now closes.
    for (const model of [served, inProcess]) model.clock.advance(10);
    const id = ids[0] as string;
    for (const [what, call] of calls) {
      const [overWire, overModem] = [await outcome(call(wire, id)), await outcome(call(local, id))];
      expect({ what, outcome: masked(overModem) }).toEqual({ what, outcome: masked(overWire) });
    }
  });

  test("a daemon that drops the connection: dockerode reports no status code on both", async () => {
    served.setFaults({ engineUnreachableChance: [1, 1] });
    inProcess.setFaults({ engineUnreachableChance: [1, 1] });
    const [overWire, overModem] = [await outcome(wire.listContainers()), await outcome(local.listContainers())];
    expect(overWire.statusCode).toBe(-1);
    expect(overModem.statusCode).toBe(-1);
  });
});
