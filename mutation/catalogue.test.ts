/** The catalogue stays applicable: a refactor that rewrites a mutant's code fails here, in every test run. */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CATALOGUE } from "./catalogue.ts";
import { applyMutant, type Mutant } from "./mutant.ts";
import { verdictOf } from "./suite.ts";

const ROOT = join(import.meta.dir, "..");

describe("mutation catalogue", () => {
  test("at least 30 mutants, each with a unique id, a description and the behaviour it breaks", () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CATALOGUE.map((m) => m.id)).size).toBe(CATALOGUE.length);
    for (const m of CATALOGUE) {
      expect(m.id).toMatch(/^[a-z-]+\.[a-z0-9-]+$/);
      expect(m.description.length).toBeGreaterThan(10);
      expect(m.breaks.length).toBeGreaterThan(10);
    }
  });

  test.each(CATALOGUE.map((m) => [m.id, m] as [string, Mutant]))("%s finds its code exactly once and changes it", (_id, mutant) => {
    const source = readFileSync(join(ROOT, mutant.file), "utf8");
    const applied = applyMutant(mutant, source);
    expect(applied.kind).toBe("applied");
    if (applied.kind === "applied") expect(applied.text).not.toBe(source);
  });

  test("a pattern found twice or not at all is refused, not guessed", () => {
    const m: Mutant = { id: "x.y", file: "f", description: "d", breaks: "b", find: "a", replace: "b" };
    expect(applyMutant(m, "a a")).toEqual({ kind: "not-found", count: 2 });
    expect(applyMutant(m, "c")).toEqual({ kind: "not-found", count: 0 });
    expect(applyMutant(m, "cac")).toEqual({ kind: "applied", text: "cbc" });
  });

  test("bun test output is read as the first failing test and the fast-check runs it needed", () => {
    const out = "(pass) a [1ms]\n(fail) races > stale cache replay [12.5ms]\nproperty \"x\" failed after 7 runs (shrunk 3 times)\n(fail) other [1ms]";
    expect(verdictOf(1, out)).toEqual({ kind: "failed", test: "races > stale cache replay", runs: 7 });
    expect(verdictOf(0, "(pass) a [1ms]\n 1 pass\n 0 fail")).toEqual({ kind: "passed" });
    expect(verdictOf(1, "error: Cannot find module")).toEqual({ kind: "failed", test: "bun test exited 1 (no failing test named)", runs: null });
  });
});
