/**
 * The repository stands alone: no tracked file cites notes outside it (the team's `shared/` folder);
 * what the code cites lives in docs/design/.
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "../..");
const OUTSIDE = /(^|[^\w.-])shared\/(design|seed)\/|\/work\/shared/;
const THIS_FILE = "scripts/boundaries/stands-alone.test.ts";

test("no tracked file refers to notes outside the repository", () => {
  const files = Bun.spawnSync(["git", "ls-files", "-z"], { cwd: ROOT }).stdout.toString().split("\0").filter((f) => f !== "" && f !== THIS_FILE);
  expect(files.length).toBeGreaterThan(300);
  const offenders = files.filter((f) => {
    try {
      return OUTSIDE.test(readFileSync(join(ROOT, f), "utf8"));
    } catch {
      return false; // a symlink to a folder (.cache) or a file removed in the working tree
    }
  });
  expect(offenders).toEqual([]);
});

test("the pattern catches a citation and leaves ordinary words alone", () => {
  expect(OUTSIDE.test("(recipe: shared/design/real-apiserver.md)")).toBe(true);
  expect(OUTSIDE.test("see /work/shared/seed/x.md")).toBe(true);
  expect(OUTSIDE.test("docs/design/real-apiserver.md, 2 cores shared by server and client")).toBe(false);
});
