/**
 * The judge of every mutant: the simulator's world properties alone, never core's unit tests (a mutant
 * that only a unit test catches is one the simulated world would not notice).
 */

/** The test paths `bun test` is given: the simulator's property suites. Change here and only here. */
export const PROPERTY_SUITES = ["packages/sim-world/src/properties"];

/**
 * Tests left out: the "teeth" tests show a property catches a deliberately naive reconciler, so they
 * do not run the code under mutation.
 */
export const TEST_NAME_FILTER = "^(?!.*teeth)";

/** What a property run came to, read from `bun test`'s output. */
export type Verdict =
  | { kind: "passed" }
  /** `test` is the first failing test; `runs` the fast-check runs it took, when the failure says. */
  | { kind: "failed"; test: string; runs: number | null };

export function verdictOf(exitCode: number, output: string): Verdict {
  const failing = /^\(fail\) (.+?)(?: \[[\d.]+m?s\])?$/m.exec(output);
  const runs = /failed after (\d+) runs?/.exec(output) ?? /Property failed after (\d+) tests?/.exec(output);
  if (exitCode === 0 && failing === null) return { kind: "passed" };
  return { kind: "failed", test: failing?.[1] ?? `bun test exited ${exitCode} (no failing test named)`, runs: runs ? Number(runs[1]) : null };
}
