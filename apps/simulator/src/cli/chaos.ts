/**
 * The chaos CLI: runs named scenarios against the simulated world, shows progress and a summary, writes
 * a JSON report, and exits 1 when an invariant broke (2 when the only violations are wedges: the world
 * did not settle), 3 on a crash, 64 on a usage mistake.
 *
 *   container-actions-sim chaos --list                    (from a checkout: bun run chaos --list)
 *   container-actions-sim chaos --scenario crash-storm --seed 1234 --containers 5 --duration 1m --runs 20 [--workers 2]
 *   container-actions-sim chaos --all --runs 1000          the nightly sweep: every named scenario
 *   container-actions-sim chaos --replay .cache/sim-failures/<name>.json --trace
 *   container-actions-sim chaos --scenario swarm --naive no-stale-fence   what the invariants say of a naive controller
 *
 * The seed is `--seed`, else SIM_SEED (decimal or a commit), else the clock; run i of a scenario uses seed + i.
 */
import { formatDuration, helpText, parseOptions, type Command, type FlagTable } from "@container-actions/cli-options";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { SingleBar, Presets } from "cli-progress";
import { parseSeed } from "@container-actions/sim-kernel";
import { buildScenario, NAMED_SCENARIOS, scenarioNames } from "@container-actions/sim-world";
import type { Scenario } from "@container-actions/sim-world";
import type { RunSummary } from "../chaos/run-summary.ts";
import { runScenarios } from "../chaos/scenario-pool.ts";
import { FLAWS, type Flaw } from "@container-actions/sim-world";

const CHAOS_COMMAND = {
  binary: "container-actions-sim chaos",
  summary: "Runs named chaos scenarios against the simulated world; exits 1 when an invariant broke, 2 when the only violations are wedges (the world did not settle), 3 on a crash, 64 on a usage mistake.",
  usage: [
    "(--scenario NAME | --all) [--seed N|COMMIT] [--runs N] [--workers N] [--containers N] [--duration 30s] [--json FILE] [--trace] [--naive FLAW]",
    "--replay FILE [--trace] [--naive FLAW]",
    "--list",
  ],
  flags: {
    scenario: { kind: "string", valueName: "NAME", help: "the named scenario to run (--list shows them)" },
    all: { kind: "boolean", help: "run every named scenario (the sweep)" },
    naive: { kind: "string", valueName: "FLAW", choices: FLAWS, help: "run a deliberately flawed reconciler instead of the real one" },
    seed: { kind: "string", env: "SIM_SEED", valueName: "N|COMMIT", defaultText: "from the time", help: "seed of the first run (a number or a 40-hex commit); run i uses seed + i" },
    runs: { kind: "integer", default: "1", min: 1, help: "how many runs" },
    workers: { kind: "integer", default: "1", min: 1, help: "worker threads; the report is the serial one whatever the number" },
    containers: { kind: "integer", default: "3", min: 1, help: "containers per run" },
    duration: { kind: "duration", default: "30s", min: 1, help: "virtual time of each run" },
    json: { kind: "string", default: ".cache/chaos-report.json", valueName: "FILE", help: "where the JSON report goes" },
    replay: { kind: "string", valueName: "FILE", help: "replay a saved failing scenario" },
    trace: { kind: "boolean", help: "print each run's timeline" },
    list: { kind: "boolean", help: "list the named scenarios" },
  },
} as const satisfies Command<FlagTable>;
const USAGE = helpText(CHAOS_COMMAND);

/** One run to make: the scenario, and the name it was built from ("replay" for a file). */
interface Planned {
  name: string;
  scenario: Scenario;
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseOptions(CHAOS_COMMAND, argv);
  if (parsed.kind === "help") return print(USAGE, 0);
  if (parsed.kind === "invalid") throw new UsageError(parsed.problems.join("\n"));
  const values = parsed.values;
  if (values.list) {
    for (const name of scenarioNames()) console.log(`${name.padEnd(20)} ${NAMED_SCENARIOS[name]?.summary}`);
    return 0;
  }
  const naive = values.naive as Flaw | undefined;
  const planned: Planned[] = [];
  if (values.replay !== undefined) {
    const file = values.replay;
    planned.push({ name: "replay", scenario: usage(() => JSON.parse(readFileSync(file, "utf8")) as Scenario) });
  } else {
    if (values.scenario === undefined && !values.all) return print(USAGE, 64);
    if (values.scenario !== undefined && values.all) throw new UsageError("--scenario and --all exclude each other");
    const names = values.all ? scenarioNames() : [values.scenario as string];
    const unknown = names.find((n) => !(n in NAMED_SCENARIOS));
    if (unknown !== undefined) throw new UsageError(`unknown scenario "${unknown}"; known: ${scenarioNames().join(", ")}`);
    const seed = usage(() => parseSeed(values.seed ?? String(Date.now() % 1_000_000)));
    const knobs = { containers: values.containers, durationMs: values.duration };
    for (const name of names) {
      for (let i = 0; i < values.runs; i++) planned.push({ name, scenario: buildScenario(name, { seed: (seed + i) >>> 0, ...knobs }) });
    }
    console.log(`SEED=${seed} scenario=${names.join(",")} runs=${values.runs} containers=${values.containers} duration=${formatDuration(values.duration)}${values.naive ? ` naive=${values.naive}` : ""}`);
    console.log(`faults(first run)=${JSON.stringify(planned[0]?.scenario.faults)}`);
  }
  const scenarios = planned.map((p) => p.scenario);
  const bar = process.stdout.isTTY && scenarios.length > 1 ? new SingleBar({ format: "{bar} {value}/{total} runs | {violations} violations" }, Presets.shades_classic) : null;
  bar?.start(scenarios.length, 0, { violations: 0 });
  const summaries: RunSummary[] = [];
  let failures = 0;
  let unsettled = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  // Outcomes arrive in scenario order whatever the number of workers: the output is the serial one.
  await runScenarios(scenarios, { workers: values.workers, trace: values.trace, ...(naive ? { naive } : {}) }, ({ summary, timeline }, index) => {
    const scenario = scenarios[index] as Scenario;
    summaries.push(summary);
    if (timeline !== undefined) console.log(timeline);
    if (summary.violations.length > 0) {
      failures++;
      if (summary.violations.every((v) => v.invariant === "no-wedge")) unsettled++;
      const file = `.cache/chaos-failures/${planned[index]?.name}-seed-${scenario.seed}.json`;
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(scenario, null, 2));
      for (const v of summary.violations) console.log(`VIOLATION ${v.invariant} ${v.subject}: ${v.detail}`);
      console.log(`replay: bun run chaos --replay ${file} --trace${naive ? ` --naive ${naive}` : ""}`);
    }
    bar?.increment(1, { violations: failures });
  });
  bar?.stop();
  printTable(summaries);
  printRate(scenarios.length, values.workers, performance.now() - t0, process.cpuUsage(cpu0));
  if (values.all) printPerScenario(planned, summaries);
  mkdirSync(dirname(values.json), { recursive: true });
  writeFileSync(values.json, JSON.stringify({ runs: summaries.map((s, i) => ({ scenario: planned[i]?.name, ...s })) }, null, 2));
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

/** One line per named scenario of a sweep: its runs and how many broke an invariant. */
function printPerScenario(planned: Planned[], summaries: RunSummary[]): void {
  console.log("");
  for (const name of [...new Set(planned.map((p) => p.name))]) {
    const mine = summaries.filter((_, i) => planned[i]?.name === name);
    const broken = mine.filter((s) => s.violations.length > 0).length;
    console.log(`SCENARIO ${name.padEnd(20)} ${String(mine.length).padStart(6)} runs ${String(broken).padStart(6)} with violations`);
  }
}

/** Runs per second, and per worker thread (the process's CPU time counts every thread). */
function printRate(runs: number, workers: number, wallMs: number, cpu: NodeJS.CpuUsage): void {
  const perSecond = (runs / wallMs) * 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(`${"runs/s".padEnd(24)} ${perSecond.toFixed(1).padStart(8)}  (${workers} worker${workers === 1 ? "" : "s"}: ${(perSecond / workers).toFixed(1)} runs/s per worker, ${(runs / cpuSeconds).toFixed(1)} runs per CPU-second)`);
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
