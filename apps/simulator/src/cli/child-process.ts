/**
 * The stack's child processes (the controller, the webhook): spawned with their output in a log file,
 * waited on over HTTP, and stopped by PID — SIGTERM, a grace period, then SIGKILL. A state file
 * records the PIDs, so a later start can stop what a killed run left behind.
 */
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import type { Subprocess } from "bun";
import type { ProcessView } from "../control/index.ts";

export class ChildProcess {
  private constructor(
    readonly name: string,
    readonly logPath: string,
    readonly url: string | undefined,
    private readonly proc: Subprocess<"ignore", number, number>,
  ) {}

  /** Starts `argv` with stdout and stderr written to `logPath` (truncated first). */
  static start(name: string, argv: string[], options: { logPath: string; cwd: string; env: Record<string, string | undefined>; url?: string }): ChildProcess {
    const log = openSync(options.logPath, "w");
    try {
      const proc = Bun.spawn(argv, { cwd: options.cwd, env: options.env, stdin: "ignore", stdout: log, stderr: log });
      return new ChildProcess(name, options.logPath, options.url, proc);
    } finally {
      closeSync(log);
    }
  }

  get pid(): number {
    return this.proc.pid;
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  get exited(): Promise<number> {
    return this.proc.exited;
  }

  view(): ProcessView {
    return { name: this.name, pid: this.pid, running: this.running, exitCode: this.proc.exitCode, log: this.logPath, ...(this.url ? { url: this.url } : {}) };
  }

  /** The last `lines` lines of the log. */
  tail(lines = 20): string {
    try {
      return readFileSync(this.logPath, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  }

  /** Polls `url` until it answers 200; fails when the process exits or `timeoutMs` passes. */
  async waitOk(url: string, timeoutMs: number): Promise<{ ok: true } | { ok: false; why: string }> {
    const deadline = Date.now() + timeoutMs;
    let last = "no answer yet";
    while (Date.now() < deadline) {
      if (!this.running) return { ok: false, why: `${this.name} exited with code ${this.proc.exitCode ?? this.proc.signalCode}` };
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        if (response.status === 200) return { ok: true };
        last = `HTTP ${response.status}: ${(await response.text()).trim().replace(/\n/g, "; ")}`;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await Bun.sleep(200);
    }
    return { ok: false, why: `${url} not ready after ${timeoutMs} ms (${last})` };
  }

  /** SIGTERM by PID, then SIGKILL after `graceMs`; resolves to the exit code (null when killed). Idempotent. */
  async stop(graceMs: number): Promise<number | null> {
    if (this.running) signal(this.pid, "SIGTERM");
    const code = await Promise.race([this.proc.exited, Bun.sleep(graceMs).then(() => undefined)]);
    if (code !== undefined) return this.proc.signalCode === null ? code : null;
    signal(this.pid, "SIGKILL");
    await this.proc.exited;
    return null;
  }

  /** SIGKILL by PID, at once. */
  kill(): void {
    if (this.running) signal(this.pid, "SIGKILL");
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** The command line of a live process, or undefined when there is none with that PID. */
export function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return undefined;
  }
}

/** What a running stack records in its state folder. */
export interface StackRecord {
  pid: number;
  children: Record<string, number>;
}

export function readStackRecord(path: string): StackRecord | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as StackRecord;
  } catch {
    return undefined;
  }
}

/**
 * Stops, by PID, the children a previous run left behind: only processes whose command line still
 * names `marker` (the state folder), so a recycled PID is never touched. Returns the PIDs stopped.
 */
export async function stopLeftovers(record: StackRecord, marker: string, graceMs: number): Promise<number[]> {
  const stopped: number[] = [];
  for (const pid of Object.values(record.children)) {
    if (!commandLineOf(pid)?.includes(marker)) continue;
    signal(pid, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (commandLineOf(pid) !== undefined && Date.now() < deadline) await Bun.sleep(100);
    if (commandLineOf(pid) !== undefined) signal(pid, "SIGKILL");
    stopped.push(pid);
  }
  return stopped;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): number {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}

/** Whether `port` on 127.0.0.1 can be bound now. */
export function portIsFree(port: number): boolean {
  try {
    Bun.listen({ hostname: "127.0.0.1", port, socket: { data() {} } }).stop(true);
    return true;
  } catch {
    return false;
  }
}
