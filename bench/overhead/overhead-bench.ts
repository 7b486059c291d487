/**
 * Part 6: end-to-end overhead over a real dockerd — the time from writing a request annotation to seeing
 * `status.lastAction` (on a watch), minus the time of the same Docker call made directly with dockerode;
 * pause/unpause and stop/start on `--init` containers (so stop is quick), samples interleaved. The real
 * controller binary against a real kube-apiserver (CA_REAL_KUBECONFIG, else the simulator's apiserver).
 * Missing dockerd (CA_REAL_DOCKER_HOST): recorded as not measured.
 *
 * Run: bun bench/overhead/overhead-bench.ts [--samples 30]
 * Prints a Markdown table and writes bench/results/overhead.json.
 */
import { benchOptions } from "../harness/bench-options.ts";
import { ControllerProcess } from "@container-actions/e2e";
import { markdownTable } from "../report/markdown-table.ts";
import { num, ratio } from "../report/number-format.ts";
import { distribution } from "../report/percentiles.ts";
import { writeResults } from "../report/results-file.ts";
import { dockerFor, removeBenchContainers, runBenchContainers } from "../real/bench-containers.ts";
import { ContainerWatch } from "../real/container-watch.ts";
import { openBackends, type RealBackends } from "../real/real-backends.ts";
import { controllerSample, directSample, PAIRS, type SampleContext, type Samples } from "./overhead-samples.ts";

const values = benchOptions({
  binary: "bun bench/overhead/overhead-bench.ts",
  summary: "The controller's overhead per action against a real engine and cluster.",
  flags: { samples: { kind: "integer", default: "30", min: 1, help: "samples per action" } },
});
const samplesPerAction = values.samples;
const NAMESPACE = "bench-overhead";
const TIMEOUT_MS = 30_000;
const SETTLE_MS = 100;

async function measure(b: RealBackends): Promise<Samples[]> {
  const docker = dockerFor(b.dockerHost);
  const kube = b.cluster.kube;
  await kube.ensureNamespace(NAMESPACE);
  await removeBenchContainers(docker);
  await kube.purgeNamespace(NAMESPACE);
  const controller = await ControllerProcess.start({ kubeconfig: b.cluster.kubeconfig, dockerHost: b.dockerHost, namespace: NAMESPACE });
  let watch: ContainerWatch | undefined;
  try {
    await controller.waitReady();
    const ids = await runBenchContainers(docker, PAIRS.length);
    watch = await ContainerWatch.open(b.cluster.kubeconfig, NAMESPACE, kube.containersPath(NAMESPACE));
    const ctx: SampleContext = { docker, kube, watch, namespace: NAMESPACE, timeoutMs: TIMEOUT_MS, settleMs: SETTLE_MS };
    for (const id of ids) await watch.waitFor(id, (c) => c.status?.status === "running", TIMEOUT_MS);
    const out: Samples[] = PAIRS.flatMap((p) => p.actions.map((action) => ({ action, directMs: [], controllerMs: [], failed: 0 })));
    const of = (action: string) => out.find((s) => s.action === action) as Samples;
    for (let i = 0; i < samplesPerAction; i++) {
      for (const [p, pair] of PAIRS.entries()) {
        const id = ids[p] as string;
        const direct = async () => {
          for (const action of pair.actions) of(action).directMs.push(await directSample(ctx, id, action, pair.states[action] as string));
        };
        const viaController = async () => {
          for (const action of pair.actions) {
            const r = await controllerSample(ctx, id, action, `ov-${action}-${i}`, pair.states[action] as string);
            of(action).controllerMs.push(r.ms);
            if (!r.succeeded) of(action).failed++;
          }
        };
        // Interleave: even rounds direct first, odd rounds the controller first.
        if (i % 2 === 0) await direct().then(viaController);
        else await viaController().then(direct);
      }
    }
    return out;
  } finally {
    watch?.close();
    await controller.stop();
    await removeBenchContainers(docker);
    await kube.purgeNamespace(NAMESPACE);
  }
}

const wallStartMs = performance.now();
const opened = await openBackends();
const notes: string[] = [];
let samples: Samples[] | null = null;
let apiserver = "";
if (opened.kind === "missing") {
  notes.push(`6 not measured: ${opened.why}`);
  console.error(`overhead: not measured — ${opened.why}`);
} else {
  apiserver = opened.backends.apiserver;
  try {
    samples = await measure(opened.backends);
  } finally {
    await opened.backends.cluster.stop();
  }
}

const rows = (samples ?? []).map((s) => {
  const [d, c] = [distribution(s.directMs), distribution(s.controllerMs)];
  const paired = distribution(s.controllerMs.map((ms, i) => ms - (s.directMs[i] ?? Number.NaN)));
  return { s, d, c, paired };
});
const table =
  samples === null
    ? notes.join(" ")
    : markdownTable(
        ["action", "samples direct · controller", "direct p50 · p90 ms", "controller p50 · p90 ms", "overhead p50 ms (controller − direct, paired)", "overhead p90 ms", "controller / direct, p50", "controller / direct, p90", "not Succeeded"],
        rows.map(({ s, d, c, paired }) => [
          s.action,
          `${d.count} · ${c.count}`,
          `${num(d.p50, 1)} · ${num(d.p90, 1)}`,
          `${num(c.p50, 1)} · ${num(c.p90, 1)}`,
          num(paired.p50, 1),
          num(paired.p90, 1),
          ratio(c.p50, d.p50, 1),
          ratio(c.p90, d.p90, 1),
          s.failed,
        ]),
      );
const markdown = [
  "### 6. End-to-end overhead over a real dockerd",
  "",
  samples === null
    ? ""
    : `The controller binary (default settings) against ${apiserver}; containers run with \`HostConfig.Init: true\`. Direct: the dockerode call alone.\n` +
      "Controller: from just before the annotation PATCH to the watch event carrying `lastAction` with the request id. Samples interleave direct\n" +
      "and controller; each waits for the mirror to settle first.",
  "",
  table,
].join("\n");
console.log(markdown);
const file = writeResults({
  part: "overhead",
  title: "End-to-end overhead over a real dockerd",
  status: samples === null ? "not-measured" : "measured",
  wallMs: performance.now() - wallStartMs,
  command: "bun bench/overhead/overhead-bench.ts",
  notes,
  markdown,
  data: { apiserver, samplesPerAction, settleMs: SETTLE_MS, results: rows.map(({ s, d, c, paired }) => ({ ...s, direct: d, controller: c, paired })) },
});
console.error(`wrote ${file}`);
