/**
 * A scratch copy of the repository under the system temp dir, where mutants are applied: the real tree
 * is never edited. Sources are copied (tracked and untracked, as git sees them); the root node_modules
 * is linked, and each workspace's own node_modules is copied so its relative links resolve to the copy's
 * packages (the mutated ones), not the real tree's.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export class ScratchCopy {
  readonly dir: string;

  constructor(readonly root: string) {
    this.dir = mkdtempSync(join(tmpdir(), "mutate-"));
    for (const file of gitFiles(root)) {
      const from = join(root, file);
      if (!existsSync(from)) continue; // deleted in the working tree
      mkdirSync(dirname(join(this.dir, file)), { recursive: true });
      cpSync(from, join(this.dir, file), { dereference: false });
    }
    symlinkSync(join(root, "node_modules"), join(this.dir, "node_modules"));
    for (const workspaceModules of workspaceNodeModules(root)) {
      cpSync(join(root, workspaceModules), join(this.dir, workspaceModules), { recursive: true, verbatimSymlinks: true });
    }
    mkdirSync(join(this.dir, ".cache"), { recursive: true });
  }

  read(file: string): string {
    return readFileSync(join(this.dir, file), "utf8");
  }

  write(file: string, text: string): void {
    writeFileSync(join(this.dir, file), text);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function gitFiles(root: string): string[] {
  const listed = Bun.spawnSync(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root });
  if (listed.exitCode !== 0) throw new Error(`git ls-files failed in ${root}: ${listed.stderr.toString()}`);
  return listed.stdout.toString().split("\0").filter((f) => f !== "");
}

/** `<workspace>/node_modules` folders (not the root one), found from the workspaces' package.json files. */
function workspaceNodeModules(root: string): string[] {
  const found = Bun.spawnSync(["find", ".", "-mindepth", "2", "-maxdepth", "4", "-name", "node_modules", "-type", "d", "-not", "-path", "./node_modules/*", "-prune"], { cwd: root });
  return found.stdout
    .toString()
    .split("\n")
    .filter((p) => p !== "" && existsSync(join(root, dirname(p), "package.json")))
    .map((p) => p.replace(/^\.\//, ""));
}
