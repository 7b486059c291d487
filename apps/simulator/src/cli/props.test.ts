import { afterEach, expect, spyOn, test } from "bun:test";
import { resolve } from "node:path";
import { main } from "./props.ts";

const SHARDED_FILE = resolve(import.meta.dir, "../../../../packages/sim-kernel/src/seed/property-shard.test.ts");
const printed: string[] = [];
const log = spyOn(console, "log").mockImplementation((...args: unknown[]) => void printed.push(args.join(" ")));
afterEach(() => {
  printed.length = 0;
});

test("props runs a suite once per shard, each with its own seed from the one SIM_SEED, and sums them up", async () => {
  expect(await main(["--workers", "2", "--seed", "5", "--runs", "10", SHARDED_FILE])).toBe(0);
  const text = printed.join("\n");
  expect(text).toContain("SIM_SEED=5 SIM_RUNS=10, 2 shards");
  expect(text).toContain("fast-check seed 5 (SIM_SEED=5, shard SIM_SHARD=0/2)");
  expect(text).toContain("(SIM_SEED=5, shard SIM_SHARD=1/2)");
  expect(text).toMatch(/SHARD 0\/2 +ok +3 pass +0 fail/);
  expect(text).toMatch(/SHARD 1\/2 +ok +3 pass +0 fail/);
  expect(text).toContain("all shards: 6 pass, 0 fail");
}, 60_000);

test("a malformed seed is a usage error (64) before any shard starts", async () => {
  const error = spyOn(console, "error").mockImplementation(() => {});
  expect(await main(["--seed", "main"])).toBe(64);
  expect(String(error.mock.calls[0]?.[0])).toMatch(/neither a decimal number nor a 40-hex commit/);
  expect(printed).toEqual([]);
  error.mockRestore();
  log.mockClear();
});
