import { expect, test } from "bun:test";
import { evalJsonPath, humanDuration, toTable } from "./printer-table.ts";
import { FastClusterStore } from "../../cluster/index.ts";
import { CONTAINERS, storeWithCrd } from "../../cluster/store-fixtures.ts";

test("human durations as the apiserver prints an Age", () => {
  const s = 1000;
  expect([0, 5 * s, 119 * s, 125 * s, 10 * 60 * s, 3 * 3600 * s + 60 * s, 30 * 3600 * s, 50 * 3600 * s, 10 * 86400 * s, 800 * 86400 * s].map(humanDuration)).toEqual([
    "0s",
    "5s",
    "119s",
    "2m5s",
    "10m",
    "3h1m",
    "30h",
    "2d2h",
    "10d",
    "2y70d",
  ]);
  expect(humanDuration(-5 * s)).toBe("<invalid>");
});

test("json paths", () => {
  const o = { status: { lastAction: { action: "start" }, ports: [{ name: "80/tcp" }] } };
  expect(evalJsonPath(o, ".status.lastAction.action")).toBe("start");
  expect(evalJsonPath(o, "{.status.ports[0].name}")).toBe("80/tcp");
  expect(evalJsonPath(o, ".status.missing.x")).toBeUndefined();
});

test("a Table of Containers: the CRD's columns, null for missing cells, metadata in each row", async () => {
  const { store } = await storeWithCrd({}, (o) => new FastClusterStore(o));
  const info = store.resource(CONTAINERS);
  if (info === undefined) throw new Error("no containers");
  const obj = { metadata: { name: "c1", creationTimestamp: "2026-01-01T00:00:00Z" }, status: { status: "running", lastAction: { action: "start", state: "Succeeded" } } };
  const table = toTable(info, [obj, { metadata: { name: "c2", creationTimestamp: "2026-01-01T00:00:00Z" } }], "7", Date.UTC(2026, 0, 1, 0, 0, 42));
  expect(table.kind).toBe("Table");
  expect((table.columnDefinitions as Array<{ name: string }>).map((c) => c.name)).toEqual(["Name", "Status", "Last action", "Last result", "Age"]);
  expect((table.rows as Array<{ cells: unknown[] }>).map((r) => r.cells)).toEqual([
    ["c1", "running", "start", "Succeeded", "42s"],
    ["c2", null, null, null, "42s"],
  ]);
  expect((table.rows as Array<{ object: unknown }>)[0]?.object).toEqual({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata });
});
