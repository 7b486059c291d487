import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { boundaryViolations, importSpecifiers, type SourceFile, type Workspace } from "./import-boundaries.ts";

const ROOT = join(import.meta.dir, "../..");
const SKIP = new Set(["node_modules", ".git", ".cache", "dist"]);
const SOURCE = /\.(ts|tsx|mts)$/;
const THIS_FILE = "scripts/boundaries/import-boundaries.test.ts";

function walk(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((entry) => {
    if (SKIP.has(entry)) return [];
    const path = dir === "." ? entry : `${dir}/${entry}`;
    if (statSync(join(ROOT, path)).isDirectory()) return walk(path);
    return SOURCE.test(entry) ? [path] : [];
  });
}

function repositoryWorkspaces(): Workspace[] {
  const globs: string[] = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).workspaces;
  const dirs = globs.flatMap((g) =>
    g.endsWith("/*") ? readdirSync(join(ROOT, g.slice(0, -2))).map((d) => `${g.slice(0, -2)}/${d}`) : [g],
  );
  return dirs.map((dir) => {
    const pkg = JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8"));
    const kind = dir.startsWith("packages/") ? "package" : dir.startsWith("apps/") ? "app" : "driver";
    const subpaths = new Set(Object.keys(pkg.exports ?? {}).filter((key) => key !== "."));
    return { dir, name: pkg.name, kind, deps: new Set(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })), subpaths };
  });
}

const ws = (dir: string, name: string, kind: Workspace["kind"], deps: string[] = []): Workspace => ({
  dir,
  name,
  kind,
  deps: new Set(deps),
});
const FIXTURE = [
  ws("packages/core", "@container-actions/core", "package"),
  { ...ws("packages/client", "@container-actions/client", "package"), subpaths: new Set(["./testing"]) },
  ws("packages/sim-world", "@container-actions/sim-world", "package", ["@container-actions/core"]),
  ws("apps/webhook", "@container-actions/webhook", "app", ["@container-actions/core"]),
  ws("apps/simulator", "@container-actions/simulator", "app", ["@container-actions/sim-world"]),
  ws("bench", "@container-actions/bench", "driver", ["@container-actions/webhook"]),
];
const check = (path: string, text: string) => boundaryViolations([{ path, text }], FIXTURE).map((v) => v.reason);

describe("workspace boundaries", () => {
  test("no file in the repository imports another workspace's files by path, a package's internals, or an app it may not", () => {
    const workspaces = repositoryWorkspaces();
    // This file is left out: its examples below are violations on purpose.
    const files: SourceFile[] = walk(".")
      .filter((path) => path !== THIS_FILE)
      .map((path) => ({ path, text: readFileSync(join(ROOT, path), "utf8") }));
    expect(files.length).toBeGreaterThan(300);
    expect(boundaryViolations(files, workspaces)).toEqual([]);
  });

  test("a relative path into another workspace is a violation, inside the same one is not", () => {
    expect(check("bench/sim/x.ts", `import { World } from "../../packages/sim-world/src/world/world.ts";`)).toEqual([
      `reaches into packages/sim-world by path; import "@container-actions/sim-world"`,
    ]);
    expect(check("e2e/kube/x.ts", `const m = await import("../../apps/webhook/src/index.ts");`)).toHaveLength(1);
    expect(check("packages/sim-world/src/world/x.ts", `import { y } from "../faults/index.ts";`)).toEqual([]);
  });

  test("a subpath of a package name is a violation unless its exports map declares it", () => {
    expect(check("apps/webhook/src/x.ts", `import { a } from "@container-actions/core/src/action/index.ts";`)).toEqual([
      `imports inside @container-actions/core; import its index "@container-actions/core"`,
    ]);
    expect(check("packages/client/src/x.ts", `import { f } from "@container-actions/client/testing";`)).toEqual([]);
    expect(check("packages/client/src/x.ts", `import { f } from "@container-actions/client/src/testing/index.ts";`)).toHaveLength(1);
  });

  test("a package or another app importing an app is a violation; a driver importing an app's index is not", () => {
    expect(check("packages/sim-world/src/x.ts", `import { a } from "@container-actions/webhook";`)).toContain(
      "a package imports the app @container-actions/webhook",
    );
    expect(check("apps/simulator/src/x.ts", `export { a } from "@container-actions/webhook";`)).toContain(
      "a app imports the app @container-actions/webhook",
    );
    expect(check("bench/webhook/x.ts", `import { a } from "@container-actions/webhook";`)).toEqual([]);
  });

  test("a workspace name missing from the importer's package.json is a violation", () => {
    expect(check("apps/webhook/src/x.ts", `import type { W } from "@container-actions/sim-world";`)).toEqual([
      "@container-actions/sim-world is not a dependency in apps/webhook/package.json",
    ]);
  });

  test("import specifiers: static, re-export, side effect and dynamic; comment lines are prose", () => {
    const text = [
      `import a from "x1";`,
      `import type { B } from 'x2';`,
      `export * from "x3";`,
      `import "x4";`,
      `const c = await import("x5");`,
      ` * see import("not-an-import") in a comment`,
      `// from "nor-this"`,
    ].join("\n");
    expect(importSpecifiers(text)).toEqual(["x1", "x2", "x3", "x4", "x5"]);
  });
});
