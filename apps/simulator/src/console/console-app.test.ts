import { describe, expect, test } from "bun:test";
import { API_VERSION, KIND, type Container } from "@container-actions/core";
import { createConsoleApp } from "./console-app.ts";
import type { ConsoleCluster } from "./console-cluster.ts";

function container(name: string, status: string, annotations: Record<string, string> = {}): Container {
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name, namespace: "default", annotations },
    status: { name: `n-${name}`, namespace: "moby", path: "/bin/sleep", image: "sha256:abc", status: status as "running" },
  };
}

function fakeCluster(items: Container[]) {
  const writes: Array<{ name: string; action: string; requestId: string }> = [];
  const cluster: ConsoleCluster = {
    list: async () => ({ items, resourceVersion: "7" }),
    watch: async () => ({ stop() {} }),
    request: async (name, action, requestId) => {
      if (name === "denied") return { kind: "refused", status: 403, message: 'admission webhook "x" denied the request: invalid' };
      writes.push({ name, action, requestId });
      return { kind: "written", requestId };
    },
  };
  return { cluster, writes };
}

describe("console API", () => {
  test("lists rows with status, pending request and last action", async () => {
    const { cluster } = fakeCluster([container("a", "running", { "containers.rancherdesktop.io/action": "stop", "containers.rancherdesktop.io/action-id": "r1" })]);
    const app = createConsoleApp({ cluster, newRequestId: () => "id-1" });
    const rows = await (await app.handle(new Request("http://localhost/api/containers"))).json();
    expect(rows).toEqual([{ id: "a", name: "n-a", image: "abc", status: "running", pending: { action: "stop", requestId: "r1" }, lastAction: null }]);
  });

  test("the Image column shows the image name as docker ps does, not the image ID", async () => {
    const named = container("b", "running");
    named.status!.imageName = "local/busybox:latest";
    const { cluster } = fakeCluster([named]);
    const rows = await (await createConsoleApp({ cluster, newRequestId: () => "x" }).handle(new Request("http://localhost/api/containers"))).json();
    expect(rows[0].image).toBe("local/busybox:latest");
  });

  test("an action click writes the annotation with a fresh request id and answers 202 with it", async () => {
    const { cluster, writes } = fakeCluster([]);
    const app = createConsoleApp({ cluster, newRequestId: () => "id-42" });
    const response = await app.handle(
      new Request("http://localhost/api/containers/a/actions", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ action: "pause" }) }),
    );
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ requestId: "id-42" });
    expect(writes).toEqual([{ name: "a", action: "pause", requestId: "id-42" }]);
  });

  test("an unknown action is refused before it reaches the cluster", async () => {
    const { cluster, writes } = fakeCluster([]);
    const app = createConsoleApp({ cluster, newRequestId: () => "x" });
    const response = await app.handle(
      new Request("http://localhost/api/containers/a/actions", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ action: "bogus" }) }),
    );
    expect(response.status).toBe(422);
    expect(writes).toEqual([]);
  });

  test("an admission denial reaches the page with the webhook's message", async () => {
    const { cluster } = fakeCluster([]);
    const app = createConsoleApp({ cluster, newRequestId: () => "x" });
    const response = await app.handle(
      new Request("http://localhost/api/containers/denied/actions", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ action: "stop" }) }),
    );
    expect(response.status).toBe(403);
    expect((await response.json()).message).toContain("denied the request");
  });

  test("serves the pages and assets, and 404s anything else", async () => {
    const app = createConsoleApp({ cluster: fakeCluster([]).cluster, newRequestId: () => "x" });
    expect(await (await app.handle(new Request("http://localhost/"))).text()).toContain("<caption>Containers</caption>");
    expect((await app.handle(new Request("http://localhost/assets/containers.js"))).headers.get("content-type")).toContain("javascript");
    expect((await app.handle(new Request("http://localhost/assets/secret.txt"))).status).toBe(404);
  });
});
