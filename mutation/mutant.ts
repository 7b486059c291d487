/**
 * What a mutant is and how it is applied: a small edit found by its code, never by a line number, so a
 * refactor that moves the code keeps the mutant and one that rewrites it fails loudly here.
 */

export interface Mutant {
  /** Stable name, `area.what-changes` (kebab-case). */
  id: string;
  /** The file, relative to the repository root. */
  file: string;
  /** The mistake, in one line, as a developer might make it. */
  description: string;
  /** What a user would notice if it shipped. */
  breaks: string;
  /** The code to change: must occur exactly once in `file`. */
  find: string;
  /** What replaces it. */
  replace: string;
  /**
   * Set while the simulator is known not to catch this mutant: why (which checker or generator is
   * missing). A known gap does not fail `--allow-known` runs; an unexplained survivor always fails, and
   * so does a noted mutant that is killed (the note is stale).
   */
  knownGap?: string;
}

export type Application = { kind: "applied"; text: string } | { kind: "not-found"; count: number };

/** The source with the mutant's edit, or how many times `find` occurred when that is not exactly once. */
export function applyMutant(mutant: Mutant, source: string): Application {
  const count = source.split(mutant.find).length - 1;
  if (count !== 1) return { kind: "not-found", count };
  const at = source.indexOf(mutant.find);
  return { kind: "applied", text: source.slice(0, at) + mutant.replace + source.slice(at + mutant.find.length) };
}
