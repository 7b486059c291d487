import { describe, expect, test } from "bun:test";
import { ADMIN_USER } from "../../cluster/index.ts";
import { FastClusterStore } from "../../cluster/index.ts";
import { storeWithCrd } from "../../cluster/store-fixtures.ts";
import { type WireResponse, handleKubeRequest } from "./kube-handler.ts";
import { openApiV2Protobuf } from "./discovery.ts";

const BASE = "/apis/containers.rancherdesktop.io/v1alpha1/namespaces/default/containers";

/** A response sink that records what the handler wrote. */
function sink() {
  const out = { status: 0, headers: {} as Record<string, string>, chunks: [] as string[], ended: false, close: [] as Array<() => void> };
  const res: WireResponse = {
    head: (status, headers) => {
      out.status = status;
      out.headers = headers;
    },
    write: (chunk) => out.chunks.push(chunk),
    end: (chunk) => {
      if (chunk !== undefined) out.chunks.push(typeof chunk === "string" ? chunk : `<${chunk.length} bytes>`);
      out.ended = true;
    },
    onClose: (cb) => out.close.push(cb),
  };
  return { out, res, json: () => JSON.parse(out.chunks.join("")) };
}

async function call(method: string, url: string, body = "", headers: Record<string, string> = {}) {
  const { store, clock } = await storeWithCrd({}, (o) => new FastClusterStore(o));
  const s = sink();
  await handleKubeRequest({ store, serverAddress: "127.0.0.1:6443" }, { method, url, headers, body, user: ADMIN_USER }, s.res);
  return { ...s, store, clock };
}

describe("kube handler", () => {
  test("/version, health, /api and the group's resources with the status subresource", async () => {
    expect((await call("GET", "/version")).json()).toMatchObject({ major: "1", minor: "20", gitVersion: "v1.20.2-sim" });
    const health = await call("GET", "/readyz");
    expect([health.out.status, health.out.chunks.join("")]).toEqual([200, "ok"]);
    expect((await call("GET", "/api")).json()).toEqual({ kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1:6443" }] });
    const list = (await call("GET", "/apis/containers.rancherdesktop.io/v1alpha1")).json();
    expect(list).toEqual({
      kind: "APIResourceList",
      apiVersion: "v1",
      groupVersion: "containers.rancherdesktop.io/v1alpha1",
      resources: [
        { name: "containers", singularName: "container", namespaced: true, kind: "Container", verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], categories: ["all"] },
        { name: "containers/status", singularName: "", namespaced: true, kind: "Container", verbs: ["get", "patch", "update"] },
      ],
    });
    const groups = (await call("GET", "/apis")).json() as { groups: Array<{ name: string }> };
    expect(groups.groups.map((g) => g.name)).toContain("containers.rancherdesktop.io");
  });

  test("openapi: v2 as protobuf when asked (what kubectl reads), v3 absent like on v1.20", async () => {
    const proto = await call("GET", "/openapi/v2", "", { accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf" });
    expect([proto.out.status, proto.out.headers["Content-Type"], proto.out.chunks[0]]).toEqual([200, "application/octet-stream", `<${openApiV2Protobuf().length} bytes>`]);
    expect((await call("GET", "/openapi/v3")).out.status).toBe(404);
  });

  test("CRUD over the handler: POST 201, GET 200, PATCH by Content-Type, DELETE", async () => {
    const { store, clock } = await storeWithCrd({}, (o) => new FastClusterStore(o));
    const run = async (method: string, url: string, body = "", headers: Record<string, string> = {}) => {
      const s = sink();
      await handleKubeRequest({ store, serverAddress: "x" }, { method, url, headers, body, user: ADMIN_USER }, s.res);
      return { status: s.out.status, body: s.json() as Record<string, unknown>, headers: s.out.headers };
    };
    const body = JSON.stringify({ apiVersion: "containers.rancherdesktop.io/v1alpha1", kind: "Container", metadata: { name: "x" } });
    expect((await run("POST", `${BASE}?fieldManager=me`, body, { "user-agent": "t/1" })).status).toBe(201);
    expect((await run("GET", `${BASE}/x`)).status).toBe(200);
    const merged = await run("PATCH", `${BASE}/x`, '{"metadata":{"annotations":{"a":"1"}}}', { "content-type": "application/merge-patch+json" });
    expect(merged.status).toBe(200);
    const smp = await run("PATCH", `${BASE}/x`, "{}", { "content-type": "application/strategic-merge-patch+json" });
    expect([smp.status, smp.body.reason]).toEqual([415, "UnsupportedMediaType"]);
    const other = await run("PATCH", `${BASE}/x`, "{}", { "content-type": "text/plain" });
    expect([other.status, other.body.message]).toEqual([
      415,
      "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
    ]);
    const badMerge = await run("PATCH", `${BASE}/x`, "{bad", { "content-type": "application/merge-patch+json" });
    expect([badMerge.status, badMerge.body.message]).toEqual([500, "Invalid JSON Patch"]);
    const table = await run("GET", BASE, "", { accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" });
    expect((table.body.rows as Array<{ cells: unknown[] }>).map((r) => r.cells[0])).toEqual(["x"]);
    clock.advance(1_000);
    expect((await run("DELETE", `${BASE}/x`)).body).toMatchObject({ kind: "Status", status: "Success" });
    expect((await run("GET", `${BASE}/x`)).status).toBe(404);
  });

  test("watch: JSON lines, ended by timeoutSeconds on the virtual clock", async () => {
    const { store, clock } = await storeWithCrd({}, (o) => new FastClusterStore(o));
    const s = sink();
    await handleKubeRequest(
      { store, serverAddress: "x" },
      { method: "GET", url: `${BASE}?watch=true&resourceVersion=${store.resourceVersion()}&timeoutSeconds=5`, headers: {}, body: "", user: ADMIN_USER },
      s.res,
    );
    expect([s.out.status, s.out.ended]).toEqual([200, false]);
    await store.create({ group: "containers.rancherdesktop.io", version: "v1alpha1", resource: "containers" }, "default", {
      apiVersion: "containers.rancherdesktop.io/v1alpha1",
      kind: "Container",
      metadata: { name: "w" },
    });
    expect(s.out.chunks.map((c) => JSON.parse(c).type)).toEqual(["ADDED"]);
    clock.advance(5_000);
    expect(s.out.ended).toBe(true);
  });

  test("watch: too old answers 200 with one ERROR line; a bad resourceVersion answers 500", async () => {
    const old = await call("GET", `${BASE}?watch=1&resourceVersion=1`);
    expect(old.out.status).toBe(200);
    expect(old.out.chunks.map((c) => JSON.parse(c))).toEqual([
      { type: "ERROR", object: expect.objectContaining({ reason: "Expired", code: 410, message: expect.stringMatching(/^too old resource version: 1 \(\d+\)$/) }) },
    ]);
    expect(old.out.ended).toBe(true);
    const bad = await call("GET", `${BASE}?watch=true&resourceVersion=abc`);
    expect([bad.out.status, bad.json().message]).toEqual([500, 'resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax']);
  });

  test("an unknown path or resource is the apiserver's 404", async () => {
    for (const url of ["/apis/nope.io/v1/things", "/whatever"]) {
      const r = await call("GET", url);
      expect([r.out.status, r.json().message]).toEqual([404, "the server could not find the requested resource"]);
    }
  });
});
