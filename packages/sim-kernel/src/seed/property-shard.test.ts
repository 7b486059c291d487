import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { NO_SHARD, ownsWholeCheck, shardFromEnv, shardSeed, shareOfRuns } from "./property-shard.ts";

describe("a property's runs spread over shards (SIM_SHARD=k/N)", () => {
  test("SIM_SHARD is read as k/N; unset is the whole budget; nonsense is refused", () => {
    expect(shardFromEnv({})).toEqual(NO_SHARD);
    expect(shardFromEnv({ SIM_SHARD: "1/3" })).toEqual({ index: 1, count: 3 });
    for (const bad of ["3/3", "1", "a/b", "0/0"]) expect(() => shardFromEnv({ SIM_SHARD: bad })).toThrow(/expected k\/N/);
  });

  test("the shares add up to the budget, the whole checks are dealt out once each, and every shard has its own seed", () => {
    for (const [runs, count] of [[25, 2], [200, 3], [1, 4], [1000, 7]] as const) {
      const shards = Array.from({ length: count }, (_, index) => ({ index, count }));
      expect(shards.reduce((n, s) => n + shareOfRuns(runs, s), 0)).toBe(runs);
      for (let ordinal = 0; ordinal < 10; ordinal++) expect(shards.filter((s) => ownsWholeCheck(ordinal, s))).toHaveLength(1);
      expect(new Set(shards.map((s) => shardSeed(1234, s))).size).toBe(count);
    }
    expect(shardSeed(1234, { index: 0, count: 2 })).toBe(1234);
  });

  test("a shard's runs are the first runs of a plain run from its seed: the printed seed replays them", () => {
    const seed = shardSeed(42, { index: 1, count: 2 });
    const drawn = (numRuns: number) => {
      const seen: number[] = [];
      fc.check(fc.property(fc.nat(), (n) => void seen.push(n)), { seed, numRuns });
      return seen;
    };
    expect(drawn(40).slice(0, 20)).toEqual(drawn(20));
  });
});
