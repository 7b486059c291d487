/**
 * The chaos CLI: runs named scenarios against the simulated world, shows progress and a summary, writes
 * a JSON report, and exits 1 when an invariant broke (2 when the world did not settle, 3 on a crash).
 *
 *   bun run chaos --list
 *   bun run chaos --scenario crash-storm --seed 1234 --containers 5 --duration 60s --runs 20
 *   bun run chaos --replay .cache/sim-failures/<name>.json --trace
 */
import { parseArgs } from "node:util";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { SingleBar, Presets } from "cli-progress";
import { parseSeed } from "../seed/parse-seed.ts";
import { buildScenario, NAMED_SCENARIOS, scenarioNames } from "../scenarios/named-scenarios.ts";
import type { Scenario } from "../scenarios/scenario.ts";
import { summarize, type RunSummary } from "../chaos/run-summary.ts";
import { runScenario } from "../properties/world-property.ts";

const USAGE = `usage: chaos --scenario NAME [--seed N|COMMIT] [--runs N] [--containers N] [--duration 30s] [--json FILE] [--trace]
       chaos --replay FILE [--trace]
       chaos --list`;

export async function main(argv: string[]): Promise<number> {
  const { values } = usage(() => parseArgs({
    args: argv,
    options: {
      scenario: { type: "string" },
      seed: { type: "string" },
      runs: { type: "string", default: "1" },
      containers: { type: "string", default: "3" },
      duration: { type: "string", default: "30s" },
      json: { type: "string", default: ".cache/chaos-report.json" },
      replay: { type: "string" },
      trace: { type: "boolean", default: false },
      list: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  }));
  if (values.help) return print(USAGE, 0);
  if (values.list) {
    for (const name of scenarioNames()) console.log(`${name.padEnd(20)} ${NAMED_SCENARIOS[name]?.summary}`);
    return 0;
  }
  const scenarios: Scenario[] = [];
  if (values.replay !== undefined) {
    scenarios.push(JSON.parse(readFileSync(values.replay, "utf8")) as Scenario);
  } else {
    if (values.scenario === undefined) return print(USAGE, 64);
    const scenarioName = values.scenario;
    if (!(scenarioName in NAMED_SCENARIOS)) throw new UsageError(`unknown scenario "${scenarioName}"; known: ${scenarioNames().join(", ")}`);
    const seed = usage(() => parseSeed(values.seed ?? String(Date.now() % 1_000_000)));
    const runs = positive(values.runs, "--runs");
    for (let i = 0; i < runs; i++) {
      scenarios.push(
        buildScenario(values.scenario, { seed: (seed + i) >>> 0, containers: positive(values.containers, "--containers"), durationMs: durationMs(values.duration) }),
      );
    }
    console.log(`SEED=${seed} scenario=${values.scenario} runs=${runs} containers=${values.containers} duration=${values.duration}`);
    console.log(`faults(first run)=${JSON.stringify(scenarios[0]?.faults)}`);
  }

  const bar = process.stdout.isTTY && scenarios.length > 1 ? new SingleBar({ format: "{bar} {value}/{total} runs | {violations} violations" }, Presets.shades_classic) : null;
  bar?.start(scenarios.length, 0, { violations: 0 });
  const summaries: RunSummary[] = [];
  let failures = 0;
  let unsettled = 0;
  for (const scenario of scenarios) {
    const { result, world } = await runScenario(scenario);
    const summary = summarize(result);
    summaries.push(summary);
    if (values.trace) console.log(world.timeline(result.startMs));
    if (summary.violations.length > 0) {
      failures++;
      if (summary.violations.every((v) => v.invariant === "no-wedge")) unsettled++;
      const file = `.cache/chaos-failures/seed-${scenario.seed}.json`;
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(scenario, null, 2));
      for (const v of summary.violations) console.log(`VIOLATION ${v.invariant} ${v.subject}: ${v.detail}`);
      console.log(`replay: bun run chaos --replay ${file} --trace`);
    }
    bar?.increment(1, { violations: failures });
  }
  bar?.stop();
  printTable(summaries);
  mkdirSync(dirname(values.json), { recursive: true });
  writeFileSync(values.json, JSON.stringify({ runs: summaries }, null, 2));
  console.log(`report: ${values.json}`);
  if (failures === 0) return 0;
  return unsettled === failures ? 2 : 1;
}

function printTable(summaries: RunSummary[]): void {
  const sum = (k: keyof RunSummary) => summaries.reduce((n, s) => n + (s[k] as number), 0);
  const mean = (k: keyof RunSummary) => Math.round((sum(k) / Math.max(1, summaries.length)) * 100) / 100;
  const rows: Array<[string, number]> = [
    ["requests", sum("requests")],
    ["dispatched", sum("dispatched")],
    ["succeeded", sum("succeeded")],
    ["failed", sum("failed")],
    ["superseded", sum("superseded")],
    ["lost", sum("lost")],
    ["duplicated", sum("duplicated")],
    ["wedged", sum("wedged")],
    ["untrue", sum("untrue")],
    ["slow", sum("slow")],
    ["foreign", sum("foreign")],
    ["API writes / action", mean("apiWritesPerAction")],
    ["API reads / action", mean("apiReadsPerAction")],
    ["API conflicts / action", mean("apiConflictsPerAction")],
    ["Docker calls / action", mean("dockerCallsPerAction")],
  ];
  console.log("");
  for (const [name, value] of rows) console.log(`${name.padEnd(24)} ${String(value).padStart(8)}`);
}

function positive(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got "${text}"`);
  return n;
}

function durationMs(text: string): number {
  const m = /^(\d+)(ms|s|m)?$/.exec(text);
  if (!m) throw new UsageError(`--duration must look like 500ms, 30s or 2m, got "${text}"`);
  const n = Number(m[1]);
  return m[2] === "m" ? n * 60_000 : m[2] === "ms" ? n : n * 1_000;
}

/** Runs `parse`, turning what it throws into a usage error. */
function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function print(text: string, code: number): number {
  console.log(text);
  return code;
}

/** A mistake in the command line: reported with the usage and exit 64, not as a crash (3). */
class UsageError extends Error {
  readonly code = "USAGE";
}

/** Runs main; usage mistakes (bad flags, an unknown scenario, bad numbers) exit 64 with the usage. */
export async function mainReportingUsage(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 64;
  }
}

if (import.meta.main) {
  mainReportingUsage(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(3);
    },
  );
}
