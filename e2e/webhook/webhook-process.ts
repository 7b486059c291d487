/**
 * Starts and stops the real webhook process (`bun apps/webhook/src/main.ts`) for e2e tests, by PID.
 * Its JSON log goes to a file the tests can read on failure.
 */
import { openSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MAIN = `${REPO_ROOT}apps/webhook/src/main.ts`;

export interface WebhookProcess {
  readonly pid: number;
  readonly probeUrl: string;
  readonly logFile: string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves to the exit code. Idempotent. */
  stop(graceMs?: number): Promise<number | null>;
  exited: Promise<number>;
}

/** A port that was free a moment ago (bind to 0, read, close). */
export function freePort(): number {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}

export function startWebhook(args: string[], options: { probePort: number; logFile: string }): WebhookProcess {
  const log = openSync(options.logFile, "a");
  const proc = Bun.spawn(["bun", MAIN, "--probe-port", String(options.probePort), ...args], {
    cwd: REPO_ROOT,
    stdin: "ignore",
    stdout: log,
    stderr: log,
  });
  let stopping: Promise<number | null> | undefined;
  return {
    pid: proc.pid,
    probeUrl: `http://127.0.0.1:${options.probePort}`,
    logFile: options.logFile,
    exited: proc.exited,
    stop(graceMs = 10_000) {
      stopping ??= (async () => {
        if (proc.exitCode !== null) return proc.exitCode;
        process.kill(proc.pid, "SIGTERM");
        const code = await Promise.race([proc.exited, Bun.sleep(graceMs).then(() => null)]);
        if (code !== null) return code;
        process.kill(proc.pid, "SIGKILL");
        await proc.exited;
        return null;
      })();
      return stopping;
    },
  };
}

/** Polls /readyz until 200, or throws with the log's tail once `timeoutMs` passes or the process exits. */
export async function waitReady(webhook: WebhookProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void webhook.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      if ((await fetch(`${webhook.probeUrl}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await Bun.sleep(100);
  }
  const tail = (await Bun.file(webhook.logFile).text()).split("\n").slice(-20).join("\n");
  throw new Error(`webhook ${exited ? "exited" : "not ready"} (pid ${webhook.pid}); log tail:\n${tail}`);
}

/** Reads one sample of a counter or gauge from /metrics (0 when absent). */
export async function metricValue(webhook: WebhookProcess, sample: string): Promise<number> {
  const text = await (await fetch(`${webhook.probeUrl}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}
