import { describe, expect, test } from "bun:test";
import { ClusterStore, type ClusterStoreOptions } from "./cluster-store.ts";
import { FastClusterStore } from "./fast-cluster-store.ts";
import type { JsonObject } from "./json.ts";
import { CONTAINERS, NS, container, create, failure, merge, okObject, storeWithCrd } from "./store-fixtures.ts";

const STORES: [string, (o: ClusterStoreOptions) => ClusterStore][] = [
  ["ClusterStore", (o) => new ClusterStore(o)],
  ["FastClusterStore", (o) => new FastClusterStore(o)],
];

const names = (list: JsonObject) => (list.items as JsonObject[]).map((o) => (o.metadata as JsonObject).name);
const listMeta = (list: JsonObject) => list.metadata as JsonObject;

for (const [label, make] of STORES) {
  describe(`list paging (${label})`, () => {
    test("limit cuts in key order; continue resumes at the first page's snapshot; remainingItemCount counts the rest", async () => {
      const { store } = await storeWithCrd({}, make);
      for (const n of ["a", "b", "c", "d", "e"]) okObject(await create(store, container(n)));
      const first = okObject(store.list(CONTAINERS, { namespace: NS, limit: 2 }));
      expect(names(first)).toEqual(["a", "b"]);
      expect(listMeta(first).remainingItemCount).toBe(3);
      const token = JSON.parse(Buffer.from(String(listMeta(first).continue), "base64url").toString());
      expect(token).toEqual({ v: "meta.k8s.io/v1", rv: Number(listMeta(first).resourceVersion), start: "b\u0000" });
      // Changes after the first page do not show in the rest of the list.
      okObject(await store.delete(CONTAINERS, NS, "c"));
      okObject(await create(store, container("bb")));
      okObject(await merge(store, "d", { metadata: { labels: { changed: "yes" } } }));
      const second = okObject(store.list(CONTAINERS, { namespace: NS, limit: 2, continue: String(listMeta(first).continue) }));
      expect(names(second)).toEqual(["c", "d"]);
      expect(((second.items as JsonObject[])[1]?.metadata as JsonObject).labels).toBeUndefined();
      expect(listMeta(second).resourceVersion).toBe(listMeta(first).resourceVersion);
      const third = okObject(store.list(CONTAINERS, { namespace: NS, limit: 2, continue: String(listMeta(second).continue) }));
      expect(names(third)).toEqual(["e"]);
      expect(listMeta(third) as unknown).toEqual({ continue: "", resourceVersion: listMeta(first).resourceVersion });
    });

    test("a selector filters before the limit and hides remainingItemCount", async () => {
      const { store } = await storeWithCrd({}, make);
      for (const n of ["a", "b", "c", "d"]) okObject(await create(store, container(n, n === "b" ? {} : { labels: { app: "web" } })));
      const first = okObject(store.list(CONTAINERS, { namespace: NS, limit: 2, labelSelector: "app=web" }));
      expect(names(first)).toEqual(["a", "c"]);
      expect(listMeta(first).remainingItemCount).toBeUndefined();
      expect(listMeta(first).continue).not.toBe("");
    });

    test("a continue token older than the history window: 410 Expired with a token that continues at the latest state", async () => {
      const { store } = await storeWithCrd({ watchHistoryLimit: 3 }, make);
      for (const n of ["a", "b", "c"]) okObject(await create(store, container(n)));
      const first = okObject(store.list(CONTAINERS, { namespace: NS, limit: 1 }));
      for (const n of ["d", "e", "f", "g"]) okObject(await create(store, container(n)));
      const s = failure(store.list(CONTAINERS, { namespace: NS, limit: 1, continue: String(listMeta(first).continue) }));
      expect([s.code, s.reason]).toEqual([410, "Expired"]);
      expect(s.message).toStartWith("The provided continue parameter is too old to display a consistent list result.");
      const rest = okObject(store.list(CONTAINERS, { namespace: NS, limit: 10, continue: String(s.metadata.continue) }));
      expect(names(rest)).toEqual(["b", "c", "d", "e", "f", "g"]);
    });

    test("resourceVersion: 0 ignores the limit, Exact reads the past, a future one is 504, a bad match is 422", async () => {
      const { store } = await storeWithCrd({}, make);
      okObject(await create(store, container("a")));
      const rv = store.resourceVersion();
      okObject(await create(store, container("b")));
      expect(names(okObject(store.list(CONTAINERS, { namespace: NS, limit: 1, resourceVersion: "0" })))).toEqual(["a", "b"]);
      expect(names(okObject(store.list(CONTAINERS, { namespace: NS, resourceVersion: rv, resourceVersionMatch: "Exact" })))).toEqual(["a"]);
      expect(names(okObject(store.list(CONTAINERS, { namespace: NS, resourceVersion: rv, resourceVersionMatch: "NotOlderThan" })))).toEqual(["a", "b"]);
      expect(failure(store.list(CONTAINERS, { namespace: NS, resourceVersion: "999999" })).code).toBe(504);
      expect(failure(store.get(CONTAINERS, NS, "a", "999999")).code).toBe(504);
      expect(failure(store.list(CONTAINERS, { namespace: NS, resourceVersion: "0", resourceVersionMatch: "Exact" })).message).toBe(
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
      );
    });
  });
}
