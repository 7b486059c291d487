import { describe, expect, test } from "bun:test";
import { pickContainer } from "./resolve-container.ts";
import { FakeContainerApi } from "./testing/fake-container-api.ts";

describe("pickContainer: Docker's lookup order", () => {
  const api = new FakeContainerApi();
  const a = api.add("a1".repeat(32), "web");
  const b = api.add("a2".repeat(32), "db");
  // A container whose NAME looks like the other's ID prefix: the exact name wins, as in Docker.
  const c = api.add("f0".repeat(32), "a2a2");
  const items = [a, b, c];

  test("exact name first, with or without the leading slash", () => {
    expect(pickContainer(items, "web", "default")).toMatchObject({ kind: "found", container: { metadata: { name: a.metadata.name } } });
    expect(pickContainer(items, "/db", "default")).toMatchObject({ kind: "found", container: { metadata: { name: b.metadata.name } } });
    expect(pickContainer(items, "a2a2", "default")).toMatchObject({ kind: "found", container: { metadata: { name: c.metadata.name } } });
  });
  test("then a unique ID prefix; a shared prefix is ambiguous", () => {
    expect(pickContainer(items, "a2a2a", "default")).toMatchObject({ kind: "found", container: { metadata: { name: b.metadata.name } } });
    expect(pickContainer(items, "a", "default")).toMatchObject({ kind: "ambiguous", candidates: [a.metadata.name, b.metadata.name] });
  });
  test("nothing matches: not found, with Docker's wording", () => {
    expect(pickContainer(items, "zzz", "default")).toMatchObject({ kind: "not-found", message: expect.stringContaining("No such container: zzz") });
    expect(pickContainer(items, "", "default").kind).toBe("not-found");
  });
});
