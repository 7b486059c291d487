/**
 * Runs one parsed command against a Container API and prints what kubectl users expect; returns the
 * exit code (0 Succeeded, 1 Failed, 2 denied or usage, 3 timeout).
 */
import { requestAction, type ActionResult, type Container, type ContainerApi } from "@container-actions/client";
import type { Command } from "./command-line.ts";

export const ExitCode = { succeeded: 0, failed: 1, deniedOrUsage: 2, timeout: 3 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

type ActionCommand = Extract<Command, { kind: "action" }>;

export async function runAction(api: ContainerApi, namespace: string, cmd: ActionCommand, io: Io): Promise<ExitCode> {
  const result = await requestAction(api, { namespace, container: cmd.target, action: cmd.action }, {
    wait: cmd.wait,
    timeoutMs: cmd.timeoutMs,
    ...(cmd.requestId !== undefined ? { requestId: cmd.requestId } : {}),
  });
  if (cmd.output === "json") io.out(JSON.stringify(result, null, 2));
  else describeResult(result, cmd, io);
  return exitCodeOf(result);
}

export function exitCodeOf(result: ActionResult): ExitCode {
  switch (result.kind) {
    case "succeeded":
    case "requested":
      return ExitCode.succeeded;
    case "denied":
      return ExitCode.deniedOrUsage;
    case "timeout":
      return ExitCode.timeout;
    case "failed":
    case "not-found":
    case "superseded":
    case "dropped":
    case "aborted":
    case "unavailable":
      return ExitCode.failed;
  }
}

function describeResult(result: ActionResult, cmd: ActionCommand, io: Io): void {
  const what = `${cmd.action} ${cmd.target}`;
  const request = `(request ${result.requestId})`;
  switch (result.kind) {
    case "succeeded":
      return io.out(`${what}: Succeeded ${request}`);
    case "requested":
      return io.out(`${what}: requested ${request}`);
    case "failed":
      return io.err(`error: ${what}: Failed: ${result.error}`);
    case "denied":
      return io.err(`error: ${result.message}`);
    case "not-found":
      return io.err(`error: ${result.message}`);
    case "superseded":
      return io.err(`error: ${what} was replaced before it ran by ${result.by === null ? "another request" : `${result.by.action}${result.by.requestId ? ` (request ${result.by.requestId})` : ""}`} ${request}`);
    case "dropped":
      return io.err(`error: ${what} was removed without running; see \`kubectl describe container\` for the controller's Warning ${request}`);
    case "timeout":
      return io.err(`error: timed out after ${result.timeoutMs} ms waiting for ${what}; it is still pending ${request}`);
    case "aborted":
      return io.err(`error: ${what}: wait interrupted; it is still pending ${request}`);
    case "unavailable":
      return io.err(`error: ${what}: the API server is unavailable (${result.detail})${result.written ? "; the request was written" : ""}`);
  }
}

/** `kubectl container ls`: the mirrors of the namespace, as `docker ps -a` lists containers. */
export async function runList(api: ContainerApi, namespace: string, output: "text" | "json", io: Io): Promise<ExitCode> {
  const listed = await api.list(namespace);
  if (listed.kind !== "ok") {
    io.err(`error: ${listed.kind === "unavailable" ? listed.detail : listed.message}`);
    return ExitCode.failed;
  }
  const items = [...listed.value.items].sort((a, b) => (a.status?.name ?? "").localeCompare(b.status?.name ?? ""));
  if (output === "json") {
    io.out(JSON.stringify(items, null, 2));
    return ExitCode.succeeded;
  }
  const rows = [["CONTAINER ID", "IMAGE", "STATUS", "LAST ACTION", "NAMES"], ...items.map(rowOf)];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  for (const r of rows) io.out(r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]! + 3))).join("").trimEnd());
  return ExitCode.succeeded;
}

function rowOf(c: Container): string[] {
  const s = c.status;
  const last = s?.lastAction;
  const pending = c.metadata.annotations?.["containers.rancherdesktop.io/action"];
  const lastText = pending !== undefined ? `${pending}: pending` : last === undefined ? "-" : `${last.action}: ${last.state}`;
  return [c.metadata.name.slice(0, 12), s?.imageName ?? (s?.image ?? "").replace(/^sha256:/, "").slice(0, 12), s?.status ?? "unknown", lastText, s?.name ?? ""];
}
