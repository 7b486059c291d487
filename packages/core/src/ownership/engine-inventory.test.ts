import { describe, expect, test } from "bun:test";
import type { MirrorSource } from "../mirror/ports.ts";
import { EngineInventory } from "./engine-inventory.ts";

const OWN = "a1".repeat(32);
const OTHER_ENGINE = "b2".repeat(32);

describe("EngineInventory", () => {
  test.each(["demo-worker", "a1a1a1a1a1a1", OWN.toUpperCase(), `${OWN}0`, ""])("%j: foreign at once, even before any list", (name) => {
    expect(new EngineInventory().judge(name).kind).toBe("foreign");
  });

  test("a full ID before the first list: unknown yet, so a fresh process keeps its own requests", () => {
    expect(new EngineInventory().judge(OWN)).toEqual({ kind: "unknown-yet" });
  });

  test("after a list: listed IDs are own, any other full ID (another engine's) is foreign", () => {
    const inventory = new EngineInventory();
    inventory.noteListed([OWN]);
    expect(inventory.judge(OWN)).toEqual({ kind: "own" });
    expect(inventory.judge(OTHER_ENGINE)).toEqual({ kind: "foreign", why: `${OTHER_ENGINE} is not a container of this controller's engine` });
  });

  test("a deleted mirror is forgotten: memory stays bounded", () => {
    const inventory = new EngineInventory();
    inventory.noteListed([OWN]);
    inventory.forget(OWN);
    // Until Docker answers again the name is unknown-yet: the deletion may be told after a re-creation.
    expect(inventory.judge(OWN).kind).toBe("unknown-yet");
    inventory.noteListed([]);
    expect(inventory.size()).toBe(0);
    expect(inventory.judge(OWN).kind).toBe("foreign");
  });

  test("a deletion told after the container was described again: a describe that finds it decides", async () => {
    const inventory = new EngineInventory();
    inventory.noteListed([OWN, OTHER_ENGINE]);
    inventory.forget(OWN);
    inventory.forget(OTHER_ENGINE);
    const source: MirrorSource = {
      list: async () => ({ kind: "listed", ids: [] }),
      describe: async (id) =>
        id === OWN ? { kind: "found", inspect: { Id: OWN, Name: "/x", Path: "p", Image: "i", State: { Status: "running", Running: true, Paused: false, Restarting: false } } } : { kind: "gone" },
      remove: async () => ({ kind: "removed" }),
    };
    const tracked = inventory.tracking(source);
    await tracked.describe(OWN);
    await tracked.describe(OTHER_ENGINE);
    expect(inventory.judge(OWN).kind).toBe("own");
    expect(inventory.judge(OTHER_ENGINE).kind).toBe("unknown-yet");
    await tracked.list();
    inventory.noteListed([OWN]);
    expect(inventory.judge(OTHER_ENGINE).kind).toBe("foreign");
    expect(inventory.size()).toBe(1);
  });

  test("tracking source: a describe that found the container makes it own; a describe that resolved to another ID does not", async () => {
    const inventory = new EngineInventory();
    inventory.noteListed([]);
    const answers: Record<string, string> = { [OWN]: OWN, [OTHER_ENGINE]: "c3".repeat(32) };
    const source: MirrorSource = {
      list: async () => ({ kind: "listed", ids: [] }),
      describe: async (id) => ({ kind: "found", inspect: { Id: answers[id] ?? id, Name: "/x", Path: "p", Image: "i", State: { Status: "running", Running: true, Paused: false, Restarting: false } } }),
      remove: async () => ({ kind: "removed" }),
    };
    const tracked = inventory.tracking(source);
    await tracked.describe(OWN);
    await tracked.describe(OTHER_ENGINE);
    expect(inventory.judge(OWN).kind).toBe("own");
    expect(inventory.judge(OTHER_ENGINE).kind).toBe("foreign");
  });
});
