import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { resolve } from "node:path";
import { runningTestFile, fastCheckSeed, replayCommands, seedFromEnv } from "./fast-check-seed.ts";
import { shardFromEnv, shardSeed } from "./property-shard.ts";

describe("one seed source for every property", () => {
  test("SIM_SEED is read as decimal, a printed negative seed, or a commit hash", () => {
    expect(fastCheckSeed("1234")).toBe(1234);
    expect(fastCheckSeed("-42")).toBe(-42);
    expect(fastCheckSeed("1b59196487dde2b8794c8556fd390928a2a6e005")).toBe(0x1b591964 | 0);
    expect(() => fastCheckSeed("main")).toThrow(/neither a decimal number nor a 40-hex commit/);
    expect(seedFromEnv({ SIM_SEED: "77" })).toBe(77);
  });

  test("the preload configured fast-check with this process's seed", () => {
    const seed = fc.readConfigureGlobal().seed;
    expect(typeof seed).toBe("number");
    if (process.env.SIM_SEED !== undefined) expect(seed).toBe(shardSeed(fastCheckSeed(process.env.SIM_SEED), shardFromEnv()));
    // Every property of the process draws the same values: replaying needs the seed alone.
    expect(fc.sample(fc.nat(), 5)).toEqual(fc.sample(fc.nat(), 5));
  });

  test("a failing fc.assert prints the commands that replay it: seed, path and test file", () => {
    let message = "";
    try {
      fc.assert(fc.property(fc.nat(), (n) => n < 10));
    } catch (error) {
      message = (error as Error).message;
    }
    const seed = fc.readConfigureGlobal().seed;
    expect(message).toContain("Property failed");
    expect(message).toContain(`replay the run:            SIM_SEED=${seed} bun test packages/sim-kernel/src/seed/fast-check-seed.test.ts`);
    expect(message).toMatch(new RegExp(`SIM_SEED=${seed} SIM_PATH=[0-9:]+ bun test packages/sim-kernel/src/seed/fast-check-seed.test.ts -t`));
  });

  test("a replay command names the path only when fast-check gave one", () => {
    expect(replayCommands(5, undefined, "x.test.ts")).toBe("replay the run:            SIM_SEED=5 bun test x.test.ts");
    expect(replayCommands(5, "3:1", "x.test.ts", "a name")).toContain(`SIM_SEED=5 SIM_PATH=3:1 bun test x.test.ts -t "a name"`);
    expect(runningTestFile(`${resolve(import.meta.dir, "../../../..")}/e2e/a.test.ts`)).toBe("e2e/a.test.ts");
    expect(runningTestFile("/usr/bin/something.ts")).toBeUndefined();
  });
});

test("an async property's failure prints its replay commands too", async () => {
  const failure = await fc.assert(fc.asyncProperty(fc.nat(), async (n) => n < 10)).then(() => "", (error: Error) => error.message);
  expect(failure).toContain(`SIM_SEED=${fc.readConfigureGlobal().seed} bun test packages/sim-kernel/src/seed/fast-check-seed.test.ts`);
});
