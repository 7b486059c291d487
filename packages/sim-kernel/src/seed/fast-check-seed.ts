/**
 * The one seed source of every fast-check property in the repository (core, simulator, CEL, the e2e
 * differentials): `SIM_SEED` (decimal, a printed negative seed, or a 40-hex commit) or, when unset, one
 * random seed per `bun test` process, configured globally before any suite loads (bunfig.toml preload).
 * `SIM_PATH` replays a printed fast-check path; use it with `-t` so only the failing property takes it.
 * Every failure names the command that replays it.
 */
import fc from "fast-check";
import { resolve } from "node:path";
import { parseSeed } from "./parse-seed.ts";
import { shardFromEnv, shardSeed } from "./property-shard.ts";

/** fast-check wants a signed 32-bit seed; seeds it prints can be negative. */
export function fastCheckSeed(text: string): number {
  return /^-\d+$/.test(text.trim()) ? Number(text) | 0 : parseSeed(text) | 0;
}

/** The seed this process uses, from the environment (random when `SIM_SEED` is unset). */
export function seedFromEnv(env: Record<string, string | undefined> = process.env): number {
  return env.SIM_SEED === undefined ? (Math.random() * 2 ** 32) | 0 : fastCheckSeed(env.SIM_SEED);
}

/** The commands that replay a failed property: the whole run from its seed, and its shrunk counterexample by path. */
export function replayCommands(seed: number, path: string | undefined, file: string | undefined, testName?: string): string {
  const where = file ?? "<test file>";
  const only = testName === undefined ? ` -t "<the failing test's name>"` : ` -t "${testName}"`;
  const lines = [`replay the run:            SIM_SEED=${seed} bun test ${where}`];
  if (path !== undefined && path !== "") lines.push(`replay the counterexample: SIM_SEED=${seed} SIM_PATH=${path} bun test ${where}${only}`);
  return lines.join("\n");
}

/** The running test file, relative to the working directory: bun test sets `Bun.main` to it. */
export function runningTestFile(main = Bun.main): string | undefined {
  if (!/\.test\.tsx?$/.test(main)) return undefined;
  // Relative to the repository root, whichever workspace folder the tests run in (turbo runs each in its own).
  const root = resolve(import.meta.dir, "../../../..");
  return main.startsWith(`${root}/`) ? main.slice(root.length + 1) : main;
}

/** fast-check's own report of a failed run, followed by the replay commands. */
function failureReport(details: fc.RunDetails<unknown>, message: string | undefined): Error {
  const seed = details.seed;
  return new Error(`${message ?? "Property failed"}\n${replayCommands(seed, details.counterexamplePath ?? undefined, runningTestFile())}`);
}

/**
 * Configures fast-check for this process: the seed (this shard's, property-shard.ts, when `SIM_SHARD` is
 * set), an optional replay path, and reporters that print replays.
 */
export function configureFastCheckSeed(env: Record<string, string | undefined> = process.env): number {
  const seed = shardSeed(seedFromEnv(env), shardFromEnv(env));
  fc.configureGlobal({
    ...fc.readConfigureGlobal(),
    seed,
    ...(env.SIM_PATH ? { path: env.SIM_PATH } : {}),
    // One reporter serves sync and async properties (fast-check refuses both kinds set at once).
    reporter(details) {
      if (details.failed) throw failureReport(details, fc.defaultReportMessage(details));
    },
  });
  return seed;
}
