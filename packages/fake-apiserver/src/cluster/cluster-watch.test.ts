import { describe, expect, test } from "bun:test";
import type { WatchEvent } from "./watch-hub.ts";
import { CONTAINERS, NS, container, create, merge, metaOf, okObject, storeWithCrd } from "./store-fixtures.ts";

const summary = (e: WatchEvent) =>
  e.type === "ERROR" ? `ERROR ${e.object.code} ${e.object.message}` : `${e.type} ${String(metaOf(e.object).name ?? "")}@${String(metaOf(e.object).resourceVersion)}`;

describe("watch", () => {
  test("events arrive synchronously, in commit order, before the write resolves", async () => {
    const { store } = await storeWithCrd();
    const seen: string[] = [];
    store.watch(CONTAINERS, { namespace: NS, resourceVersion: store.resourceVersion() }, (e) => seen.push(e.type));
    const pending = create(store, container("x"));
    expect(seen).toEqual(["ADDED"]);
    await pending;
    await merge(store, "x", { metadata: { annotations: { a: "1" } } });
    expect(seen).toEqual(["ADDED", "MODIFIED"]);
  });

  test("from a resourceVersion: replays later changes, including DELETED with a new resourceVersion", async () => {
    const { store } = await storeWithCrd();
    const start = store.resourceVersion();
    const created = okObject(await create(store, container("x")));
    await store.delete(CONTAINERS, NS, "x");
    const seen: string[] = [];
    store.watch(CONTAINERS, { resourceVersion: start }, (e) => seen.push(summary(e)));
    const rv = Number(metaOf(created).resourceVersion);
    expect(seen).toEqual([`ADDED x@${rv}`, `DELETED x@${rv + 1}`]);
  });

  test("without a resourceVersion: the current objects as ADDED first", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("b"));
    await create(store, container("a"));
    const seen: string[] = [];
    store.watch(CONTAINERS, {}, (e) => seen.push(e.type + String(metaOf(e.object as never).name)));
    expect(seen).toEqual(["ADDEDa", "ADDEDb"]);
  });

  test("too old: one ERROR 410 Expired 'too old resource version: X (Y)' and the end", async () => {
    const { store } = await storeWithCrd({ watchHistoryLimit: 2 });
    for (const n of ["a", "b", "c"]) await create(store, container(n));
    const seen: string[] = [];
    let ended = "";
    const h = store.watch(CONTAINERS, { resourceVersion: "1" }, (e) => seen.push(summary(e)), (r) => (ended = r));
    const oldestKept = Number(store.resourceVersion()) - 1;
    expect(seen).toEqual([`ERROR 410 too old resource version: 1 (${oldestKept - 1})`]);
    expect(ended).toBe("expired");
    expect(h.stopped).toBe(true);
  });

  test("label selector transitions: leaving the selection is DELETED, entering it ADDED", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("x"));
    const seen: string[] = [];
    store.watch(CONTAINERS, { labelSelector: "app=web", resourceVersion: store.resourceVersion() }, (e) => seen.push(e.type));
    await merge(store, "x", { metadata: { labels: { app: "web" } } });
    await merge(store, "x", { metadata: { annotations: { a: "1" } } });
    await merge(store, "x", { metadata: { labels: { app: "db" } } });
    expect(seen).toEqual(["ADDED", "MODIFIED", "DELETED"]);
  });

  test("bookmarks: only when allowed, on the virtual clock, carrying the last resourceVersion", async () => {
    const { store, clock } = await storeWithCrd({ bookmarkIntervalMs: 60_000 });
    await create(store, container("x"));
    const withBookmarks: WatchEvent[] = [];
    const without: WatchEvent[] = [];
    const h = store.watch(CONTAINERS, { resourceVersion: store.resourceVersion(), allowWatchBookmarks: true }, (e) => withBookmarks.push(e));
    store.watch(CONTAINERS, { resourceVersion: store.resourceVersion() }, (e) => without.push(e));
    clock.advance(59_999);
    expect(withBookmarks).toEqual([]);
    clock.advance(1);
    expect(withBookmarks).toEqual([
      { type: "BOOKMARK", object: { apiVersion: "containers.rancherdesktop.io/v1alpha1", kind: "Container", metadata: { resourceVersion: store.resourceVersion() } } },
    ]);
    h.stop();
    clock.advance(120_000);
    expect(withBookmarks.length).toBe(1);
    expect(without).toEqual([]);
  });

  test("stop(): no event after it", async () => {
    const { store } = await storeWithCrd();
    const seen: string[] = [];
    const h = store.watch(CONTAINERS, { resourceVersion: store.resourceVersion() }, (e) => seen.push(e.type));
    h.stop();
    await create(store, container("x"));
    expect(seen).toEqual([]);
  });

  test("invalid options: one ERROR and the end", async () => {
    const { store } = await storeWithCrd();
    const seen: string[] = [];
    store.watch(CONTAINERS, { resourceVersion: "abc" }, (e) => seen.push(summary(e)));
    expect(seen).toEqual(['ERROR 500 resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax']);
  });

  test("from a resourceVersion the store has not reached: nothing until a change passes it (as v1.20.2 answers)", async () => {
    const { store } = await storeWithCrd();
    const future = Number(store.resourceVersion()) + 2;
    const seen: string[] = [];
    store.watch(CONTAINERS, { namespace: NS, resourceVersion: String(future) }, (e) => seen.push(summary(e)));
    await create(store, container("a"));
    await create(store, container("b"));
    expect(seen).toEqual([]);
    const c = okObject(await create(store, container("c")));
    expect(seen).toEqual([`ADDED c@${String(metaOf(c).resourceVersion)}`]);
  });
});
