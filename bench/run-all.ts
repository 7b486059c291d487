/**
 * Runs every bench part, one after another, each in its own process (`bun bench/<part>/<part>-bench.ts`,
 * which also runs alone), and writes bench/results/summary.md from the parts' JSON: the machine, the
 * run's duration, and each part's tables. A part that fails or overruns its time limit is reported as
 * such (and run-all exits 1); a part that lacks its real backends reports itself as not measured.
 *
 * Run: bun bench/run-all.ts   (the real-service parts read CA_REAL_DOCKER_HOST and CA_REAL_KUBECONFIG)
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describeMachine, machineLine } from "./report/machine.ts";
import { markdownTable } from "./report/markdown-table.ts";
import { RESULTS_DIR, resultsPath, type PartResult } from "./report/results-file.ts";

const PARTS = ["pipeline", "scale", "webhook", "sim", "sync", "overhead"] as const;
/** No part may take longer; the whole run must stay under ten minutes. */
const PART_TIME_LIMIT_MS = 240_000;
const BENCH_DIR = fileURLToPath(new URL("./", import.meta.url));

interface PartRun {
  part: string;
  exitCode: number | null;
  timedOut: boolean;
  wallMs: number;
  result: PartResult | null;
}

async function runPart(part: string, startedAtMs: number): Promise<PartRun> {
  const t0 = performance.now();
  const child = Bun.spawn([process.execPath, join(BENCH_DIR, part, `${part}-bench.ts`)], { stdin: "ignore", stdout: "inherit", stderr: "inherit", env: process.env });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    process.kill(child.pid, "SIGKILL");
  }, PART_TIME_LIMIT_MS);
  const exitCode = await child.exited;
  clearTimeout(timer);
  const file = resultsPath(part);
  const parsed = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as PartResult) : null;
  // Only this run's result counts: an older file is what a failed part left behind.
  const result = parsed !== null && Date.parse(parsed.measuredAt) >= startedAtMs ? parsed : null;
  return { part, exitCode, timedOut, wallMs: performance.now() - t0, result };
}

function statusOf(run: PartRun): string {
  if (run.timedOut) return `killed after ${PART_TIME_LIMIT_MS / 1000} s`;
  if (run.exitCode !== 0) return `failed (exit ${run.exitCode})`;
  return run.result?.status ?? "no result written";
}

const startedAt = new Date();
const t0 = performance.now();
const runs: PartRun[] = [];
for (const part of PARTS) {
  console.error(`\n=== bench part: ${part} ===`);
  runs.push(await runPart(part, startedAt.getTime()));
}
const totalMs = performance.now() - t0;

const overview = markdownTable(
  ["part", "command", "status", "wall s", "load average at its end", "notes"],
  runs.map((r) => [
    r.part,
    `\`bun bench/${r.part}/${r.part}-bench.ts\``,
    statusOf(r),
    (r.wallMs / 1000).toFixed(1),
    r.result?.machine.loadAverage1m.toFixed(2) ?? "",
    r.result?.notes.join(" ") ?? "",
  ]),
  ["left", "left", "left", "right", "right", "left"],
);
const summary = [
  "# Benchmark results",
  "",
  `Run by \`bun bench/run-all.ts\` at ${startedAt.toISOString()}; all parts took ${(totalMs / 1000).toFixed(1)} s.`,
  "",
  `Machine: ${machineLine(describeMachine())}.`,
  "",
  overview,
  "",
  ...runs.flatMap((r) => (r.result === null ? [] : [r.result.markdown, ""])),
].join("\n");
writeFileSync(join(RESULTS_DIR, "summary.md"), summary);
console.log(summary);
console.error(`wrote ${join(RESULTS_DIR, "summary.md")}`);
process.exit(runs.every((r) => !r.timedOut && r.exitCode === 0) ? 0 : 1);
