import { expect, test } from "bun:test";
import { parseSeed } from "./parse-seed.ts";
import { Prng } from "./prng.ts";

test("prng: the same seed gives the same stream; another seed another", () => {
  const a = new Prng(42);
  const b = new Prng(42);
  const c = new Prng(43);
  const draw = (p: Prng) => Array.from({ length: 8 }, () => p.u32());
  const fromA = draw(a);
  expect(draw(b)).toEqual(fromA);
  expect(draw(c)).not.toEqual(fromA);
});

test("prng: below() stays in range and covers it", () => {
  const p = new Prng(7);
  const seen = new Set<number>();
  for (let i = 0; i < 1000; i++) {
    const v = p.below(6);
    expect(v >= 0 && v < 6).toBe(true);
    seen.add(v);
  }
  expect(seen.size).toBe(6);
});

test("seed: decimal or 40-hex commit", () => {
  expect(parseSeed("1234")).toBe(1234);
  expect(parseSeed("deadbeef".padEnd(40, "0"))).toBe(0xdeadbeef);
  expect(() => parseSeed("nope")).toThrow("neither");
});
