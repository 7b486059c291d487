/**
 * LIST paging and reads at a resourceVersion on the simulated and the real kube-apiserver: the same
 * requests, the same pages (names, remainingItemCount, the continue token's start key), the same
 * errors; and kubectl's chunked get (`--chunk-size`) through 10 000 objects on the simulated one.
 */
import { describe, expect, test } from "bun:test";
import { CONTAINERS_PATH, simulatedAndReal, type HttpAnswer, type TestCluster } from "./cluster-backends.ts";

type Obj = Record<string, unknown>;
const API_VERSION = "containers.rancherdesktop.io/v1alpha1";

/** What a user of a page sees: code and item names, the rest count, the token's start key (its rv is the server's). */
function pageView(a: HttpAnswer): unknown {
  const body = a.body as Obj;
  if (body.kind === "Status") return { code: a.code, reason: body.reason ?? null, message: String(body.message).replace(/\d+/g, "N") };
  const meta = (body.metadata ?? {}) as Obj;
  const token = typeof meta.continue === "string" && meta.continue !== "" ? (JSON.parse(Buffer.from(meta.continue, "base64url").toString()) as Obj) : undefined;
  return {
    code: a.code,
    names: ((body.items ?? []) as Obj[]).map((o) => (o.metadata as Obj).name),
    remainingItemCount: meta.remainingItemCount ?? null,
    token: token === undefined ? null : { v: token.v, start: token.start, rvIsTheListRv: String(token.rv) === meta.resourceVersion },
  };
}

async function script(cluster: TestCluster): Promise<unknown[]> {
  const ns = await cluster.freshNamespace("paging");
  const base = `${CONTAINERS_PATH}/namespaces/${ns}/containers`;
  const out: unknown[] = [];
  let rvAfterFirst = "";
  for (const name of ["a", "b", "c", "d", "e"]) {
    const r = await cluster.request("POST", base, { apiVersion: API_VERSION, kind: "Container", metadata: { name, labels: { odd: String(name.charCodeAt(0) % 2 === 1) } } });
    if (name === "a") rvAfterFirst = String(((r.body as Obj).metadata as Obj).resourceVersion);
  }
  const first = await cluster.request("GET", `${base}?limit=2`);
  out.push(pageView(first));
  const token = String(((first.body as Obj).metadata as Obj).continue);
  await cluster.request("DELETE", `${base}/c`);
  const second = await cluster.request("GET", `${base}?limit=2&continue=${token}`);
  out.push(pageView(second)); // c still there: the first page's snapshot
  out.push(pageView(await cluster.request("GET", `${base}?limit=2&continue=${String(((second.body as Obj).metadata as Obj).continue)}`)));
  out.push(pageView(await cluster.request("GET", `${base}?limit=2&labelSelector=odd%3Dtrue`)));
  // resourceVersion=0 and NotOlderThan are served by the watch cache: no paging, and v1.20's cache
  // keeps no order (a hash map); the fake answers in key order.
  const cached = async (query: string) => {
    const view = pageView(await cluster.request("GET", `${base}?${query}`)) as { names: string[] };
    return { ...view, names: [...view.names].sort() };
  };
  out.push(await cached("limit=1&resourceVersion=0"));
  out.push(pageView(await cluster.request("GET", `${base}?resourceVersion=${rvAfterFirst}&resourceVersionMatch=Exact`)));
  out.push(await cached(`resourceVersion=${rvAfterFirst}&resourceVersionMatch=NotOlderThan`));
  out.push(pageView(await cluster.request("GET", `${base}?limit=10&resourceVersion=${rvAfterFirst}`))); // limit without a match: exact
  out.push(pageView(await cluster.request("GET", `${base}?resourceVersion=0&resourceVersionMatch=Exact`)));
  out.push(pageView(await cluster.request("GET", `${base}?resourceVersionMatch=Exact`)));
  out.push(pageView(await cluster.request("GET", `${base}?limit=2&continue=${token}&resourceVersion=${rvAfterFirst}`)));
  return out;
}

describe("list paging: simulated vs real kube-apiserver", () => {
  const clusters = simulatedAndReal();

  test("the same pages, snapshots and errors", async () => {
    const fake = await script(clusters.simulated);
    const truth = await script(clusters.real);
    for (let i = 0; i < truth.length; i++) expect({ step: i, answer: fake[i] }).toEqual({ step: i, answer: truth[i] });
  });

  test("a watch from a resourceVersion the server has not reached: accepted, and silent while writes happen", async () => {
    for (const cluster of [clusters.simulated, clusters.real]) {
      const ns = await cluster.freshNamespace("future-watch");
      const base = `${CONTAINERS_PATH}/namespaces/${ns}/containers`;
      const list = await cluster.request("GET", base);
      const future = Number(((list.body as Obj).metadata as Obj).resourceVersion) + 1_000_000;
      const watch = await cluster.watchStream(`${base}?watch=true&resourceVersion=${future}`);
      await cluster.request("POST", base, { apiVersion: API_VERSION, kind: "Container", metadata: { name: "after" } });
      const first = await Promise.race([watch.lines.next(), Bun.sleep(1500).then(() => "quiet" as const)]);
      watch.stop();
      expect({ backend: cluster.backend, first }).toEqual({ backend: cluster.backend, first: "quiet" });
    }
  });

  test("kubectl get --chunk-size pages through 10 000 objects on the simulated apiserver", async () => {
    const store = clusters.simulated.store;
    if (store === undefined) throw new Error("the simulated backend has a store");
    const ns = await clusters.simulated.freshNamespace("paging-10k");
    for (let i = 0; i < 10_000; i++) {
      const r = await store.create({ group: "containers.rancherdesktop.io", version: "v1alpha1", resource: "containers" }, ns, { apiVersion: API_VERSION, kind: "Container", metadata: { name: `c${String(i).padStart(5, "0")}` } });
      if (r.kind !== "ok") throw new Error(JSON.stringify(r));
    }
    const r = await clusters.simulated.kubectl(["-n", ns, "get", "containers", "--chunk-size=500", "-o", "name", "-v=6"], { timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    const names = r.stdout.trim().split("\n");
    expect(names.length).toBe(10_000);
    expect(new Set(names).size).toBe(10_000);
    // kubectl asked in 20 pages of 500.
    const pages = r.stderr.split("\n").filter((l) => /round_trippers.*GET .*\/containers\?.*limit=500/.test(l));
    expect(pages.length).toBe(20);
  }, 180_000);
});
