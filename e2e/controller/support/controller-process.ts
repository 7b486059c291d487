import type { Subprocess } from "bun";
import { REPO_ROOT } from "./env.ts";
import { waitFor } from "./wait.ts";

export interface ControllerOptions {
  kubeconfig: string;
  dockerHost: string;
  namespace: string;
  extraArgs?: string[];
}

/** One sample of Prometheus text: `name{labels}` → value. */
export type Metrics = Map<string, number>;

/**
 * The real controller binary (`bun apps/controller/src/main.ts`), spawned with Bun.spawn and stopped by
 * its PID. Collects its JSON log lines; finds its metrics address in the startup line.
 */
export class ControllerProcess {
  readonly logs: Array<Record<string, any>> = [];
  private stderr = "";
  metricsBase = "";

  private constructor(private readonly proc: Subprocess<"ignore", "pipe", "pipe">) {}

  get pid(): number {
    return this.proc.pid;
  }

  static async start(options: ControllerOptions): Promise<ControllerProcess> {
    const proc = Bun.spawn(
      [
        process.execPath,
        `${REPO_ROOT}apps/controller/src/main.ts`,
        "--kubeconfig", options.kubeconfig,
        "--docker-host", options.dockerHost,
        "--namespace", options.namespace,
        "--metrics-address", "127.0.0.1:0",
        "--resync-period", "5m",
        ...(options.extraArgs ?? []),
      ],
      { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, KUBECONFIG: "" } },
    );
    const controller = new ControllerProcess(proc);
    void controller.collect();
    const startup = await waitFor("the controller's startup log line", () => controller.logs.find((l) => l.msg === "container-actions controller starting") ?? controller.failIfExited(), 15_000, 20);
    controller.metricsBase = String(startup.metrics).replace(/\/metrics$/, "");
    return controller;
  }

  private failIfExited(): undefined {
    if (this.proc.exitCode !== null) throw new Error(`controller exited with ${this.proc.exitCode}: ${this.stderr.slice(-2000)}`);
    return undefined;
  }

  private async collect(): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = "";
    void (async () => {
      for await (const chunk of this.proc.stderr) this.stderr += decoder.decode(chunk);
    })();
    for await (const chunk of this.proc.stdout) {
      buffered += decoder.decode(chunk, { stream: true });
      let nl = buffered.indexOf("\n");
      while (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          this.logs.push(JSON.parse(line));
        } catch {
          this.logs.push({ msg: line });
        }
        nl = buffered.indexOf("\n");
      }
    }
  }

  /** Waits until /readyz answers 200 (informer synced, Docker reachable, leader). */
  async waitReady(timeoutMs = 20_000): Promise<void> {
    await waitFor("the controller to be ready (/readyz 200)", async () => ((await this.readyz()).status === 200 ? true : (this.failIfExited(), undefined)), timeoutMs);
  }

  async readyz(): Promise<{ status: number; body: string }> {
    const r = await fetch(`${this.metricsBase}/readyz`);
    return { status: r.status, body: await r.text() };
  }

  async metrics(): Promise<Metrics> {
    const text = await (await fetch(`${this.metricsBase}/metrics`)).text();
    const samples: Metrics = new Map();
    for (const line of text.split("\n")) {
      if (line === "" || line.startsWith("#")) continue;
      const space = line.lastIndexOf(" ");
      samples.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
    return samples;
  }

  /** Waits for the process to exit on its own; undefined when it is still running after `timeoutMs`. */
  async exitedWithin(timeoutMs: number): Promise<number | undefined> {
    return Promise.race([this.proc.exited, Bun.sleep(timeoutMs).then(() => undefined)]);
  }

  /** SIGTERM by PID; resolves with the exit code. */
  async stop(timeoutMs = 35_000): Promise<number> {
    if (this.proc.exitCode === null) process.kill(this.proc.pid, "SIGTERM");
    return this.exited(timeoutMs);
  }

  /** SIGKILL by PID (a crash); resolves once the process is gone. */
  async kill(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) process.kill(this.proc.pid, "SIGKILL");
    await this.exited(10_000);
  }

  private async exited(timeoutMs: number): Promise<number> {
    const timer = setTimeout(() => {
      if (this.proc.exitCode === null) process.kill(this.proc.pid, "SIGKILL");
    }, timeoutMs);
    try {
      return await this.proc.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Sums the samples of `name` whose labels include every `match` pair. */
export function sumOf(metrics: Metrics, name: string, match: Record<string, string> = {}): number {
  let total = 0;
  for (const [key, value] of metrics) {
    const brace = key.indexOf("{");
    const metric = brace < 0 ? key : key.slice(0, brace);
    if (metric !== name) continue;
    const labels = brace < 0 ? "" : key.slice(brace);
    if (Object.entries(match).every(([k, v]) => labels.includes(`${k}="${v}"`))) total += value;
  }
  return total;
}
