/**
 * The `GET /containers/{id}/logs` query (stdout, stderr, since, until, tail, follow, timestamps),
 * checked as dockerd 20.10 checks it, then answered from the container's log.
 */
import type { ContainerLogs, LogEntry } from "./container-logs.ts";
import type { ContainerRecord } from "./container-state.ts";
import { DockerMessages } from "./docker-messages.ts";
import { errorAnswer, type DockerResponse } from "./docker-response.ts";
import { parseDockerTimestamp } from "./docker-time.ts";

/** A logs request as a client sends it (query parameters already read as booleans where they are flags). */
export interface LogsRequest {
  stdout?: boolean;
  stderr?: boolean;
  follow?: boolean;
  since?: string;
  until?: string;
  tail?: string;
}

/** The past entries and, when following a running container, a live feed; or dockerd's error answer. */
export type LogsAnswer = LogsStream | DockerResponse;

/** Past entries, and a live feed when following; `close` ends the feed. */
export interface LogsStream {
  kind: "logs";
  past: LogEntry[];
  follow: { close(): void } | undefined;
  close(): void;
}

function ms(value: string | undefined): { ms?: number; error?: string } {
  if (value === undefined || value === "" || value === "0") return {};
  const parsed = parseDockerTimestamp(value);
  return parsed.kind === "ok" ? { ms: Number(parsed.nanos / 1_000_000n) } : { error: parsed.message };
}

/** Answers a logs request for `c`; live entries go to `onEntry`, and `onEnd` runs when the container stops. */
export function readLogs(
  logs: ContainerLogs,
  c: ContainerRecord,
  request: LogsRequest,
  onEntry: (entry: LogEntry) => void,
  onEnd: () => void,
): LogsAnswer {
  if (request.stdout !== true && request.stderr !== true) return errorAnswer(400, DockerMessages.logsNoStream());
  const since = ms(request.since);
  if (since.error !== undefined) return errorAnswer(500, since.error);
  const until = ms(request.until);
  if (until.error !== undefined) return errorAnswer(500, until.error);
  // dockerd reads tail with strconv.Atoi and takes anything else ("all", garbage, negatives) as all.
  const tailN = /^\d+$/.test(request.tail ?? "") ? Number(request.tail) : undefined;
  const query = { stdout: request.stdout === true, stderr: request.stderr === true, sinceMs: since.ms, untilMs: until.ms, tail: tailN };
  const past = logs.read(c.id, query);
  const live = request.follow === true && c.flags.running && until.ms === undefined;
  const follow = live ? logs.follow(c.id, { ...query, tail: undefined }, onEntry, onEnd) : undefined;
  return { kind: "logs", past, follow, close: () => follow?.close() };
}
