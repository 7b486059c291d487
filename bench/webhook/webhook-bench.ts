/**
 * AdmissionReview throughput and latency over HTTPS on loopback, in one run:
 *   (a) ours:    the webhook's Elysia app (the real admission route, metrics and logger) on the real
 *                serving listener, exactly as main.ts serves it;
 *   (b) ceiling: a bare Bun.serve HTTPS handler that reads the body and returns a fixed allow.
 * Same certificate, same request body (an UPDATE setting a valid action: allowed, not logged), same
 * client, same concurrency. Each server runs in its own process (`--serve`), the client in this one:
 * bun fetch with `tls: { ca }` and keep-alive, CONCURRENCY loops each with one request in flight,
 * a warm-up, then a fixed measuring window. (wrk is not installed on this machine kind.)
 *
 * Run: bun bench/webhook/webhook-bench.ts [--window 2s] [--warmup 1s] [--rounds 3] [--concurrency 32]
 * Prints a Markdown table and writes bench/results/webhook.json.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchOptions } from "../harness/bench-options.ts";
import {
  ADMISSION_PATH,
  admissionApp,
  createLogger,
  createWebhookMetrics,
  generateCa,
  issueServingCert,
  MAX_BODY_BYTES_DEFAULT,
  setActionReview,
  startServingListener,
} from "@container-actions/webhook";
import { markdownTable } from "../report/markdown-table.ts";
import { num, ratio } from "../report/number-format.ts";
import { distribution } from "../report/percentiles.ts";
import { writeResults } from "../report/results-file.ts";

const SELF = fileURLToPath(import.meta.url);
const BODY = JSON.stringify(setActionReview("restart", "bench-uid"));
const FIXED_ALLOW = JSON.stringify({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: "bench-uid", allowed: true } });

const values = benchOptions({
  binary: "bun bench/webhook/webhook-bench.ts",
  summary: "Admission requests per second and latency: our webhook against a fixed-answer server.",
  flags: {
    serve: { kind: "string", valueName: "VARIANT", help: "internal: serve one variant and print its port" },
    "cert-dir": { kind: "string", valueName: "DIR", help: "internal: the serving certificate of --serve" },
    window: { kind: "duration", default: "2s", min: 1, help: "length of one measured window" },
    rounds: { kind: "integer", default: "3", min: 1, help: "measured windows per variant" },
    warmup: { kind: "duration", default: "1s", min: 0, help: "unmeasured load before the windows" },
    concurrency: { kind: "integer", default: "32", min: 1, help: "requests in flight" },
  },
});


/** Child process: serve one variant on a free port, print it, run until killed. */
async function serve(variant: string, certDir: string): Promise<void> {
  const [certPem, keyPem] = await Promise.all([readFile(join(certDir, "tls.crt"), "utf8"), readFile(join(certDir, "tls.key"), "utf8")]);
  let port: number;
  if (variant === "ours") {
    const app = admissionApp({
      admission: { engineIdentities: [] },
      metrics: createWebhookMetrics(),
      logger: createLogger("info"),
      maxBodyBytes: MAX_BODY_BYTES_DEFAULT,
    });
    port = startServingListener({ hostname: "127.0.0.1", port: 0, material: { certPem, keyPem, caPem: "" }, fetch: app.fetch, maxRequestBodySizeBytes: 2 * MAX_BODY_BYTES_DEFAULT }).port;
  } else {
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      tls: { cert: certPem, key: keyPem },
      async fetch(request) {
        await request.arrayBuffer();
        return new Response(FIXED_ALLOW, { headers: { "content-type": "application/json" } });
      },
    });
    port = server.port ?? 0;
  }
  console.log(`READY ${port}`);
}

const VARIANTS = ["ours", "ceiling"] as const;
type Variant = (typeof VARIANTS)[number];

interface Window {
  variant: Variant;
  round: number;
  requests: number;
  errors: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

interface Options {
  windowMs: number;
  warmupMs: number;
  rounds: number;
  concurrency: number;
}

async function main(): Promise<void> {
  const o: Options = {
    windowMs: values.window,
    warmupMs: values.warmup,
    rounds: values.rounds,
    concurrency: values.concurrency,
  };
  const wallStartMs = performance.now();
  const dir = await mkdtemp(join(tmpdir(), "webhook-bench-"));
  const servers: Array<{ variant: Variant; child: Bun.Subprocess<"ignore", "pipe", "inherit">; once: () => Promise<boolean> }> = [];
  try {
    const ca = await generateCa({ nowMs: Date.now(), validityDays: 2, commonName: "bench-ca" });
    const leaf = await issueServingCert({ nowMs: Date.now(), validityDays: 1, commonName: "bench", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"], ca });
    await writeFile(join(dir, "tls.crt"), leaf.certPem);
    await writeFile(join(dir, "tls.key"), leaf.keyPem);
    for (const variant of VARIANTS) servers.push(await startServer(variant, dir, ca.certPem));
    for (const server of servers) await drive(server.once, o.warmupMs, o.concurrency);
    const windows: Window[] = [];
    for (let round = 0; round < o.rounds; round++) {
      // Alternate which server goes first, so neither always follows the other's window.
      const order = round % 2 === 0 ? servers : [...servers].reverse();
      for (const server of order) windows.push({ variant: server.variant, round, ...(await measureWindow(server.once, o)) });
    }
    await report(windows, o, performance.now() - wallStartMs);
  } finally {
    for (const server of servers) {
      server.child.kill();
      await server.child.exited;
    }
    await rm(dir, { recursive: true, force: true });
  }
}

/** Spawns one variant's server process and returns a one-request probe against it. */
async function startServer(variant: Variant, certDir: string, caPem: string) {
  const child = Bun.spawn(["bun", SELF, "--serve", variant, "--cert-dir", certDir], { stdin: "ignore", stdout: "pipe", stderr: "inherit" });
  const port = await readyPort(child.stdout);
  const url = `https://127.0.0.1:${port}${variant === "ours" ? ADMISSION_PATH : "/"}`;
  const once = async (): Promise<boolean> => {
    const response = await fetch(url, { method: "POST", body: BODY, headers: { "content-type": "application/json" }, tls: { ca: caPem } });
    const text = await response.text();
    return response.status === 200 && text.includes('"allowed":true');
  };
  if (!(await once())) throw new Error(`${variant}: the first request did not get an allow`);
  return { variant, child, once };
}

/** `concurrency` loops, each with one request in flight, for `ms`; the latency of every successful request. */
async function drive(once: () => Promise<boolean>, ms: number, concurrency: number): Promise<{ latencies: number[]; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const ok = await once().catch(() => false);
        if (ok) latencies.push(performance.now() - t);
        else errors++;
      }
    }),
  );
  return { latencies, errors };
}

async function measureWindow(once: () => Promise<boolean>, o: Options): Promise<Omit<Window, "variant" | "round">> {
  const started = performance.now();
  const { latencies, errors } = await drive(once, o.windowMs, o.concurrency);
  const seconds = (performance.now() - started) / 1000;
  const d = distribution(latencies);
  return { requests: latencies.length, errors, seconds, requestsPerSecond: latencies.length / seconds, p50Ms: d.p50, p99Ms: d.p99 };
}

async function readyPort(stream: ReadableStream<Uint8Array>): Promise<number> {
  const reader = stream.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`server exited before READY: ${text}`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const match = /READY (\d+)/.exec(text);
  if (match?.[1] === undefined) throw new Error(`unexpected server output: ${text}`);
  return Number(match[1]);
}

async function report(windows: Window[], o: Options, wallMs: number): Promise<void> {
  const rounds = [...new Set(windows.map((w) => w.round))];
  const of = (variant: Variant, round: number) => windows.find((w) => w.variant === variant && w.round === round) as Window;
  const perRound = rounds.map((round) => {
    const [ours, ceiling] = [of("ours", round), of("ceiling", round)];
    return { round, ours, ceiling, throughput: ours.requestsPerSecond / ceiling.requestsPerSecond, p50: ours.p50Ms / ceiling.p50Ms, p99: ours.p99Ms / ceiling.p99Ms };
  });
  const median = (xs: number[]) => distribution(xs).p50;
  const summary = { throughput: median(perRound.map((r) => r.throughput)), p50: median(perRound.map((r) => r.p50)), p99: median(perRound.map((r) => r.p99)) };
  const table = markdownTable(
    ["round", "ours req/s", "ceiling req/s", "throughput ours/ceiling", "p50 ms ours · ceiling", "p50 ours/ceiling", "p99 ms ours · ceiling", "p99 ours/ceiling", "errors ours · ceiling"],
    perRound.map((r) => [
      r.round + 1,
      num(r.ours.requestsPerSecond, 0),
      num(r.ceiling.requestsPerSecond, 0),
      num(r.throughput, 2),
      `${num(r.ours.p50Ms, 3)} · ${num(r.ceiling.p50Ms, 3)}`,
      num(r.p50, 2),
      `${num(r.ours.p99Ms, 3)} · ${num(r.ceiling.p99Ms, 3)}`,
      num(r.p99, 2),
      `${r.ours.errors} · ${r.ceiling.errors}`,
    ]),
  );
  const markdown = [
    "### 3. Admission webhook over HTTPS (loopback)",
    "",
    `Ours (the webhook's Elysia app, admission route, metrics, logger, on its serving listener) vs the ceiling (a bare Bun.serve HTTPS`,
    `handler returning a fixed allow), same certificate, body (${Buffer.byteLength(BODY)} B, an UPDATE setting a valid action), client (bun fetch,`,
    `keep-alive) and concurrency (${o.concurrency} in flight); ${o.rounds} rounds of alternating ${o.windowMs / 1000} s windows after a ${o.warmupMs / 1000} s warm-up of each.`,
    "",
    table,
    "",
    `Median over rounds, ours/ceiling: throughput ${ratio(summary.throughput, 1)}, p50 latency ${ratio(summary.p50, 1)}, p99 latency ${ratio(summary.p99, 1)}.`,
  ].join("\n");
  console.log(markdown);
  const file = writeResults({
    part: "webhook",
    title: "Admission webhook vs a bare HTTPS handler",
    status: "measured",
    wallMs,
    command: "bun bench/webhook/webhook-bench.ts",
    notes: [],
    markdown,
    data: { client: "bun fetch, keep-alive, tls.ca", concurrency: o.concurrency, warmupSeconds: o.warmupMs / 1000, windowSeconds: o.windowMs / 1000, rounds: o.rounds, bodyBytes: Buffer.byteLength(BODY), windows, ratio: summary },
  });
  console.error(`wrote ${file}`);
}

if (values.serve !== undefined) await serve(values.serve, values["cert-dir"] ?? "");
else await main();
