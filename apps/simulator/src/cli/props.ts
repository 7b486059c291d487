/**
 * The property suites on several processes: `bun test` once per shard (`SIM_SHARD=k/N`), side by side,
 * all from one seed, so every property's runs are spread over them (sim-kernel's property-shard.ts) and
 * a CI budget takes 1/N of the wall time on N cores. Prints each shard's output as it ends, then one
 * line per shard and the totals; exits 1 when any shard failed.
 *
 *   container-actions-sim props --workers 2 [--seed N|COMMIT] [--runs 200] [PATH …]
 *   (from a checkout: bun run sim props --workers 2)
 *
 * A failure prints the shard's own seed in its replay commands: a plain `bun test` with that SIM_SEED
 * replays it (no SIM_SHARD needed).
 */
import { helpText, parseOptions, type Command, type FlagTable } from "@container-actions/cli-options";
import { availableParallelism } from "node:os";
import { parseSeed } from "@container-actions/sim-kernel";

const PROPS_COMMAND = {
  binary: "container-actions-sim props",
  summary: "Runs the property suites with every property's runs spread over worker processes (SIM_SHARD); exits 1 when one failed.",
  usage: ["[--workers N] [--seed N|COMMIT] [--runs N] [PATH …]"],
  positionals: true,
  flags: {
    workers: { kind: "integer", default: String(availableParallelism()), defaultText: "the number of CPUs", min: 1, help: "processes, each running 1/N of every property's runs" },
    seed: { kind: "string", env: "SIM_SEED", valueName: "N|COMMIT", defaultText: "from the time", help: "the one seed every shard's own seed derives from" },
    runs: { kind: "integer", env: "SIM_RUNS", default: "25", min: 1, help: "SIM_RUNS: runs per world property in all shards together" },
  },
} as const satisfies Command<FlagTable>;

/** What `bun test` runs when no path is given: the world properties and the store differential. */
export const DEFAULT_PATHS = ["packages/sim-world/src/properties", "packages/fake-apiserver/src/cluster/fast-store.prop.test.ts"];

interface ShardResult {
  shard: string;
  code: number;
  wallMs: number;
  pass: number;
  fail: number;
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseOptions(PROPS_COMMAND, argv);
  if (parsed.kind === "help") {
    console.log(helpText(PROPS_COMMAND));
    return 0;
  }
  if (parsed.kind === "invalid") {
    console.error(`${parsed.problems.join("\n")}\n\n${helpText(PROPS_COMMAND)}`);
    return 64;
  }
  const { workers, runs } = parsed.values;
  const seedText = parsed.values.seed ?? String((Math.random() * 2 ** 31) | 0);
  try {
    parseSeed(seedText); // refused here, once, rather than by every shard
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 64;
  }
  const paths = parsed.positionals.length > 0 ? parsed.positionals : DEFAULT_PATHS;
  console.log(`SIM_SEED=${seedText} SIM_RUNS=${runs}, ${workers} shard${workers === 1 ? "" : "s"}: ${paths.join(" ")}`);
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: workers }, (_, k) => runShard(`${k}/${workers}`, seedText, runs, paths)));
  for (const r of results) console.log(`SHARD ${r.shard.padEnd(6)} ${r.code === 0 ? "ok    " : "FAILED"} ${String(r.pass).padStart(4)} pass ${String(r.fail).padStart(3)} fail ${(r.wallMs / 1000).toFixed(1).padStart(7)} s`);
  const wallS = (performance.now() - t0) / 1000;
  console.log(`all shards: ${results.reduce((n, r) => n + r.pass, 0)} pass, ${results.reduce((n, r) => n + r.fail, 0)} fail, ${wallS.toFixed(1)} s wall`);
  return results.every((r) => r.code === 0) ? 0 : 1;
}

async function runShard(shard: string, seed: string, runs: number, paths: string[]): Promise<ShardResult> {
  const t0 = performance.now();
  const child = Bun.spawn([process.execPath, "test", ...paths], {
    env: { ...process.env, SIM_SEED: seed, SIM_SHARD: shard, SIM_RUNS: String(runs) },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  // bun test reports on stderr; one block per shard keeps the outputs apart.
  console.log(`----- shard ${shard} (exit ${code}) -----\n${out}${err}`);
  const count = (word: string) => Number(new RegExp(`^\\s*(\\d+) ${word}$`, "m").exec(err)?.[1] ?? 0);
  return { shard, code, wallMs: performance.now() - t0, pass: count("pass"), fail: count("fail") };
}

if (import.meta.main) process.exit(await main(process.argv.slice(2)));
