import { describe, expect, test } from "bun:test";
import type { Container } from "@container-actions/core";
import { FakeContainerApi } from "./testing/fake-container-api.ts";
import { watchContainers } from "./watch-containers.ts";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("watchContainers", () => {
  test("first list, then every change; a dropped watch re-lists and catches up", async () => {
    const api = new FakeContainerApi();
    api.add("a1".repeat(32), "web");
    const seen: string[][] = [];
    const w = watchContainers(api, "default", (list: Container[]) => seen.push(list.map((c) => c.status?.name ?? "")), { relistDelayMs: 1 });
    await tick();
    api.add("a2".repeat(32), "db");
    await tick();
    api.dropWatches();
    api.remove("a1".repeat(32)); // missed by the dropped watch
    await tick();
    await tick();
    expect(seen[0]).toEqual(["web"]);
    expect(seen[1]).toEqual(["web", "db"]);
    expect(w.current().map((c) => c.status?.name)).toEqual(["db"]);
    w.stop();
    api.add("a3".repeat(32), "cache");
    await tick();
    expect(w.current().map((c) => c.status?.name)).toEqual(["db"]);
  });
});
