import { describe, expect, test } from "bun:test";
import type { WatchEvent } from "./watch-hub.ts";
import { CONTAINERS, container, create, metaOf, storeWithCrd } from "./store-fixtures.ts";

const summary = (e: WatchEvent) =>
  e.type === "ERROR" ? `ERROR ${e.object.code} ${e.object.message}` : `${e.type} ${String(metaOf(e.object).name ?? "")}@${String(metaOf(e.object).resourceVersion)}${JSON.stringify(metaOf(e.object).annotations ?? "")}`;

// Semantics and texts: KEP-3157 and apimachinery's validateWatchOptions (meta/internalversion/validation).
describe("watch-list (sendInitialEvents)", () => {
  test("true: the current objects, then the bookmark that ends them at the store's resourceVersion, then live changes", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("a"));
    const rv = store.resourceVersion();
    const seen: string[] = [];
    store.watch(CONTAINERS, { sendInitialEvents: true, resourceVersionMatch: "NotOlderThan", allowWatchBookmarks: true, resourceVersion: "0" }, (e) => seen.push(summary(e)));
    await create(store, container("b"));
    expect(seen).toEqual([`ADDED a@${rv}""`, `BOOKMARK @${rv}{"k8s.io/initial-events-end":"true"}`, `ADDED b@${Number(rv) + 1}""`]);
  });

  test("true without bookmarks: the objects and no closing bookmark; false: no initial objects at all", async () => {
    const { store } = await storeWithCrd();
    await create(store, container("a"));
    const plain: string[] = [];
    store.watch(CONTAINERS, { sendInitialEvents: true, resourceVersionMatch: "NotOlderThan" }, (e) => plain.push(e.type));
    const none: string[] = [];
    store.watch(CONTAINERS, { sendInitialEvents: false, resourceVersionMatch: "NotOlderThan" }, (e) => none.push(e.type));
    expect([plain, none]).toEqual([["ADDED"], []]);
  });

  test("refused options are one ERROR 422 on ListOptions, with every violation", async () => {
    const { store } = await storeWithCrd();
    const answer = (options: object) => {
      const seen: string[] = [];
      store.watch(CONTAINERS, options, (e) => seen.push(summary(e)));
      return seen;
    };
    expect(answer({ sendInitialEvents: true })).toEqual(['ERROR 422 ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan']);
    expect(answer({ resourceVersionMatch: "NotOlderThan" })).toEqual(['ERROR 422 ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided']);
    expect(answer({ sendInitialEvents: true, resourceVersionMatch: "Exact" })).toEqual([
      'ERROR 422 ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"]',
    ]);
  });
});
