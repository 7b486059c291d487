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
 * Run: bun bench/webhook/webhook-bench.ts [--duration-seconds 5] [--concurrency 32]
 * Prints a Markdown table and writes bench/results/webhook.json.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
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
} from "../../apps/webhook/src/index.ts";

const SELF = fileURLToPath(import.meta.url);
const RESULTS = fileURLToPath(new URL("../results/webhook.json", import.meta.url));
const BODY = JSON.stringify(setActionReview("restart", "bench-uid"));
const FIXED_ALLOW = JSON.stringify({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: "bench-uid", allowed: true } });

const { values } = parseArgs({
  options: {
    serve: { type: "string" },
    "cert-dir": { type: "string" },
    "duration-seconds": { type: "string", default: "5" },
    "warmup-seconds": { type: "string", default: "1" },
    concurrency: { type: "string", default: "32" },
  },
});

if (values.serve !== undefined) await serve(values.serve, values["cert-dir"] ?? "");
else await main();

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

interface Result {
  variant: string;
  requests: number;
  errors: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

async function main(): Promise<void> {
  const durationMs = Number(values["duration-seconds"]) * 1000;
  const warmupMs = Number(values["warmup-seconds"]) * 1000;
  const concurrency = Number(values.concurrency);
  const dir = await mkdtemp(join(tmpdir(), "webhook-bench-"));
  try {
    const ca = await generateCa({ nowMs: Date.now(), validityDays: 2, commonName: "bench-ca" });
    const leaf = await issueServingCert({ nowMs: Date.now(), validityDays: 1, commonName: "bench", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"], ca });
    await writeFile(join(dir, "tls.crt"), leaf.certPem);
    await writeFile(join(dir, "tls.key"), leaf.keyPem);
    const results: Result[] = [];
    for (const variant of ["ours", "ceiling"]) {
      results.push(await measure(variant, dir, ca.certPem, { durationMs, warmupMs, concurrency }));
    }
    await report(results, { durationMs, warmupMs, concurrency });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function measure(variant: string, certDir: string, caPem: string, o: { durationMs: number; warmupMs: number; concurrency: number }): Promise<Result> {
  const child = Bun.spawn(["bun", SELF, "--serve", variant, "--cert-dir", certDir], { stdout: "pipe", stderr: "inherit" });
  try {
    const port = await readyPort(child.stdout);
    const url = `https://127.0.0.1:${port}${variant === "ours" ? ADMISSION_PATH : "/"}`;
    const once = async (): Promise<boolean> => {
      const response = await fetch(url, { method: "POST", body: BODY, headers: { "content-type": "application/json" }, tls: { ca: caPem } });
      const text = await response.text();
      return response.status === 200 && text.includes('"allowed":true');
    };
    if (!(await once())) throw new Error(`${variant}: the first request did not get an allow`);
    const run = async (ms: number, record: boolean) => {
      const latencies: number[] = [];
      let errors = 0;
      const end = performance.now() + ms;
      await Promise.all(
        Array.from({ length: o.concurrency }, async () => {
          while (performance.now() < end) {
            const t = performance.now();
            const ok = await once().catch(() => false);
            if (!record) continue;
            if (ok) latencies.push(performance.now() - t);
            else errors++;
          }
        }),
      );
      return { latencies, errors };
    };
    await run(o.warmupMs, false);
    const started = performance.now();
    const { latencies, errors } = await run(o.durationMs, true);
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN;
    return { variant, requests: latencies.length, errors, seconds, requestsPerSecond: latencies.length / seconds, p50Ms: pct(50), p99Ms: pct(99) };
  } finally {
    child.kill();
    await child.exited;
  }
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

async function report(results: Result[], o: { durationMs: number; warmupMs: number; concurrency: number }): Promise<void> {
  const [ours, ceiling] = results;
  if (ours === undefined || ceiling === undefined) throw new Error("missing results");
  const f = (n: number, d = 2) => n.toFixed(d);
  const rows = results.map((r) => `| ${r.variant} | ${f(r.requestsPerSecond, 0)} | ${f(r.p50Ms, 3)} | ${f(r.p99Ms, 3)} | ${r.requests} | ${r.errors} |`);
  const ratio = ours.requestsPerSecond / ceiling.requestsPerSecond;
  console.log(
    [
      `AdmissionReview over HTTPS on loopback: ${o.concurrency} in flight, ${o.warmupMs / 1000} s warm-up, ${o.durationMs / 1000} s measured, body ${Buffer.byteLength(BODY)} B, bun ${Bun.version}, ${cpus().length} CPUs`,
      "",
      "| server | req/s | p50 ms | p99 ms | requests | errors |",
      "|---|---:|---:|---:|---:|---:|",
      ...rows,
      "",
      `ours/ceiling: throughput ${f(ratio)}, p50 ${f(ours.p50Ms / ceiling.p50Ms)}x, p99 ${f(ours.p99Ms / ceiling.p99Ms)}x`,
    ].join("\n"),
  );
  const json = {
    benchmark: "webhook-admission-https",
    date: new Date().toISOString(),
    bun: Bun.version,
    cpus: cpus().length,
    client: "bun fetch, keep-alive, tls.ca",
    concurrency: o.concurrency,
    warmupSeconds: o.warmupMs / 1000,
    durationSeconds: o.durationMs / 1000,
    bodyBytes: Buffer.byteLength(BODY),
    results,
    ratio: { throughput: ratio, p50: ours.p50Ms / ceiling.p50Ms, p99: ours.p99Ms / ceiling.p99Ms },
  };
  await mkdir(join(RESULTS, ".."), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`wrote ${RESULTS}`);
}
