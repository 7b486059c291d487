/**
 * The workspace boundary rule, as a checker over source text: every workspace (packages/*, apps/*, e2e,
 * bench) is reached from outside only through its package name and its index, never by a path into it.
 * Packages are reusable parts, so a package never imports an app; an app never imports another app.
 * e2e/ and bench/ drive and measure the apps, so they may import an app's public index by name.
 * A subpath is a public surface only when the package's `exports` map declares it (`@x/client/testing`).
 */
import { dirname, join, normalize, relative } from "node:path";

export interface Workspace {
  /** Folder relative to the repository root, e.g. "packages/core". */
  dir: string;
  /** The package name, e.g. "@container-actions/core". */
  name: string;
  kind: "package" | "app" | "driver";
  /** Names listed in dependencies and devDependencies. */
  deps: ReadonlySet<string>;
  /** Subpaths the package.json `exports` map declares besides its index, e.g. "./testing". */
  subpaths?: ReadonlySet<string>;
}

export interface SourceFile {
  /** Path relative to the repository root. */
  path: string;
  text: string;
}

export interface Violation {
  path: string;
  specifier: string;
  reason: string;
}

const SCOPE = "@container-actions/";

// Static imports and re-exports (`from "x"`), side-effect imports (`import "x"`) and dynamic imports
// (`import("x")`). Line comments are skipped so prose that quotes an import does not count.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"'\n]+)["']/g;

export function importSpecifiers(text: string): string[] {
  const code = text
    .split("\n")
    .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
    .join("\n");
  return [...code.matchAll(SPECIFIER)].map((m) => m[1]!);
}

function ownerOf(path: string, workspaces: readonly Workspace[]): Workspace | undefined {
  return workspaces.find((w) => path === w.dir || path.startsWith(`${w.dir}/`));
}

export function boundaryViolations(files: readonly SourceFile[], workspaces: readonly Workspace[]): Violation[] {
  const byName = new Map(workspaces.map((w) => [w.name, w]));
  const out: Violation[] = [];
  for (const file of files) {
    const owner = ownerOf(file.path, workspaces);
    for (const specifier of importSpecifiers(file.text)) {
      const add = (reason: string) => out.push({ path: file.path, specifier, reason });
      if (specifier.startsWith(".")) {
        const target = normalize(join(dirname(file.path), specifier));
        if (relative(".", target).startsWith("..")) {
          add("reaches outside the repository");
          continue;
        }
        const targetOwner = ownerOf(target, workspaces);
        if (targetOwner && targetOwner !== owner) add(`reaches into ${targetOwner.dir} by path; import "${targetOwner.name}"`);
        continue;
      }
      if (!specifier.startsWith(SCOPE)) continue;
      const [scope, base, ...rest] = specifier.split("/");
      const name = `${scope}/${base}`;
      const target = byName.get(name);
      const declared = target?.subpaths?.has(`./${rest.join("/")}`) ?? false;
      if (rest.length > 0 && !declared) add(`imports inside ${name}; import its index "${name}"`);
      if (!target) {
        add(`no workspace is named ${name}`);
        continue;
      }
      if (!owner || target === owner) continue;
      if (target.kind === "app" && owner.kind !== "driver") add(`a ${owner.kind} imports the app ${name}`);
      if (!owner.deps.has(name)) add(`${name} is not a dependency in ${owner.dir}/package.json`);
    }
  }
  return out;
}
