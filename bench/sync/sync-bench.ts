/**
 * Part 5: initial sync — the time and peak memory to mirror every container.
 *   (a) simulated: 1 000 and 10 000 simulated containers, the store and the real ContainerController's
 *       full sync, in-process; against the direct baseline (a bare list/inspect/create/status loop) in
 *       the same run. Each measurement runs in a child process of its own, so its RSS is its own.
 *   (b) real: 50 containers on a real dockerd (CA_REAL_DOCKER_HOST), the controller binary against a real
 *       kube-apiserver (CA_REAL_KUBECONFIG, else the simulator's apiserver); baseline in the same run: the
 *       same binary started with none of them. Missing dockerd: recorded as not measured.
 *
 * Run: bun bench/sync/sync-bench.ts [--sizes 1000,10000] [--real-containers 50]
 * Prints Markdown tables and writes bench/results/sync.json.
 */
import { fileURLToPath } from "node:url";
import { benchOptions } from "../harness/bench-options.ts";
import { markdownTable } from "../report/markdown-table.ts";
import { num, ratio } from "../report/number-format.ts";
import { writeResults, type PartStatus } from "../report/results-file.ts";
import type { RealSync } from "./real-sync.ts";
import { measureSimulatedSync, SYNC_MODES, type SimulatedSync, type SyncMode } from "./simulated-sync.ts";

const values = benchOptions({
  binary: "bun bench/sync/sync-bench.ts",
  summary: "Mirror sync: simulated at scale, and against a real engine and cluster.",
  flags: {
    sizes: { kind: "string", default: "1000,10000", help: "comma-separated container counts (simulated)" },
    "real-containers": { kind: "integer", default: "50", min: 1, help: "containers on the real engine" },
    child: { kind: "integer", valueName: "N", help: "internal: measure one simulated sync of N containers and print it" },
    mode: { kind: "string", choices: SYNC_MODES, help: "internal: the child's sync mode" },
  },
});
const SELF = fileURLToPath(import.meta.url);
const WARM_UP_CONTAINERS = 200;
const REPEATS = 3;

if (values.child !== undefined) {
  // Child: a small warm-up sync (JIT), then one simulated measurement, its result as the last line of stdout.
  await measureSimulatedSync(values.mode as SyncMode, WARM_UP_CONTAINERS);
  console.log(JSON.stringify(await measureSimulatedSync(values.mode as SyncMode, values.child)));
  process.exit(0);
}

async function inChild(mode: SyncMode, containers: number): Promise<SimulatedSync> {
  const child = Bun.spawn([process.execPath, SELF, "--child", String(containers), "--mode", mode], { stdout: "pipe", stderr: "inherit" });
  const [text, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  if (code !== 0) throw new Error(`sync child (${mode}, ${containers}) exited with ${code}`);
  return JSON.parse(text.trim().split("\n").at(-1) ?? "") as SimulatedSync;
}

const wallStartMs = performance.now();
const sizes = values.sizes.split(",").map(Number);
const simulated: SimulatedSync[] = [];
for (const containers of sizes) {
  // Alternate the modes over a few repetitions and keep each mode's median-time run: this machine is shared.
  const runs: SimulatedSync[] = [];
  for (let r = 0; r < REPEATS; r++) for (const mode of SYNC_MODES) runs.push(await inChild(mode, containers));
  for (const mode of SYNC_MODES) {
    const ofMode = runs.filter((x) => x.mode === mode).sort((a, b) => a.cpuMs - b.cpuMs);
    simulated.push(ofMode[Math.floor(ofMode.length / 2)] as SimulatedSync);
  }
  console.error(`sync: simulated ${containers}: done`);
}

const notes: string[] = [];
let real: RealSync | null = null;
const realContainers = values["real-containers"];
// Imported here, not at the top: the children measuring the simulated sync must not carry the real
// backends' clients (client-node, dockerode: about 80 MiB of RSS they never use).
const { openBackends } = await import("../real/real-backends.ts");
const { measureRealSync } = await import("./real-sync.ts");
const opened = await openBackends();
if (opened.kind === "missing") {
  notes.push(`5b not measured: ${opened.why}`);
  console.error(`sync: 5b not measured — ${opened.why}`);
} else {
  try {
    real = await measureRealSync(opened.backends, realContainers);
  } finally {
    await opened.backends.cluster.stop();
  }
  console.error("sync: real: done");
}

const of = (mode: SyncMode, n: number) => simulated.find((s) => s.mode === mode && s.containers === n) as SimulatedSync;
const first = sizes[0] as number;
const simTable = markdownTable(
  ["containers", "controller / direct, CPU time", "controller / direct, wall time", "CPU time vs smallest N, controller · direct", "CPU ms · wall ms, controller (secondary)", "RSS before, MiB", "peak RSS MiB, controller · direct", "peak − before, controller / direct", "mirrors with status", "store writes, controller · direct"],
  sizes.map((n) => {
    const [c, d] = [of("controller", n), of("direct", n)];
    const [c0, d0] = [of("controller", first), of("direct", first)];
    return [
      n,
      ratio(c.cpuMs, d.cpuMs),
      ratio(c.ms, d.ms),
      `${ratio(c.cpuMs, c0.cpuMs, 1)} · ${ratio(d.cpuMs, d0.cpuMs, 1)}`,
      `${num(c.cpuMs, 0)} · ${num(c.ms, 0)}`,
      `${num(c.rssBeforeMb, 0)} · ${num(d.rssBeforeMb, 0)}`,
      `${num(c.peakRssMb, 0)} · ${num(d.peakRssMb, 0)}`,
      ratio(c.peakRssMb - c.rssBeforeMb, d.peakRssMb - d.rssBeforeMb),
      `${c.mirrored} · ${d.mirrored}`,
      `${c.writes} · ${d.writes}`,
    ];
  }),
);
const realTable =
  real === null
    ? notes.join(" ")
    : markdownTable(
        ["containers", "spawn → ready ms", "spawn → all mirrored ms", "vs the 0-container start", "peak RSS (VmHWM) MiB", "peak RSS vs the 0-container start"],
        [real.empty, real.full].map((s) => [
          s.containers,
          num(s.readyMs, 0),
          num(s.mirroredMs, 0),
          ratio(s.mirroredMs, (real as RealSync).empty.mirroredMs),
          num(s.peakRssMb, 0),
          ratio(s.peakRssMb, (real as RealSync).empty.peakRssMb),
        ]),
      );
const markdown = [
  "### 5. Initial sync",
  "",
  "#### 5a. Simulated Docker + store + the real ContainerController full sync (in-process, virtual clock, no faults)",
  "",
  "Direct = the least work that yields the same mirrors (list, inspect, create, status write, one after another). Each",
  `measurement ran in a child process of its own after a ${WARM_UP_CONTAINERS}-container warm-up sync; RSS sampled every few ms and between slices of`,
  `the sync. ${REPEATS} repetitions per cell, modes alternating; each cell is the repetition with the median CPU time.`,
  "",
  simTable,
  "",
  `#### 5b. Real dockerd, ${realContainers} containers, the controller binary${real === null ? "" : ` against ${real.apiserver}`}`,
  "",
  realTable,
  ...(real !== null && real.foreignContainers > 0 ? ["", `The daemon also held ${real.foreignContainers} containers that are not the bench's; the controller mirrored those too.`] : []),
].join("\n");
console.log(markdown);
const status: PartStatus = real === null ? "partial" : "measured";
const file = writeResults({ part: "sync", title: "Initial sync", status, wallMs: performance.now() - wallStartMs, command: "bun bench/sync/sync-bench.ts", notes, markdown, data: { sizes, simulated, realContainers, real } });
console.error(`wrote ${file}`);
