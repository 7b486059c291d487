/**
 * The repository stands alone: no tracked file cites the team's notes folder outside it; what the code
 * cites lives in docs/design/. (The folder's name is spelled in pieces here so that this file does not
 * cite it either.)
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "../..");
const NOTES = ["share", "d"].join("");
const OUTSIDE = new RegExp(`(^|[^\\w.-])${NOTES}/(design|seed)/|/work/${NOTES}`);

test("no tracked file refers to notes outside the repository", () => {
  const files = Bun.spawnSync(["git", "ls-files", "-z"], { cwd: ROOT }).stdout.toString().split("\0").filter((f) => f !== "");
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
  expect(OUTSIDE.test(`(recipe: ${NOTES}/design/real-apiserver.md)`)).toBe(true);
  expect(OUTSIDE.test(`see /work/${NOTES}/seed/x.md`)).toBe(true);
  expect(OUTSIDE.test("docs/design/real-apiserver.md, 2 cores shared by server and client")).toBe(false);
});
