/**
 * The one place that reads dockerode errors. dockerode 5.0.1 (docker-modem 5.0.7) rejects on every
 * status its call does not list as success — **including 304 on start/stop** — with an Error carrying
 * `statusCode`, `reason` and `json` (the parsed body, or an empty Buffer when there is none). Transport
 * failures (ECONNREFUSED, ENOENT, EPIPE, ECONNRESET, a timeout or abort) carry no `statusCode`.
 * Measured shapes: docs/design/docker-engine.md; pinned by status-mapping.test.ts.
 */
import { classifyDockerAnswer, type DescribeReply, type EngineReply, type InspectReply, type RemoveReply, type RestartHistoryReply } from "@container-actions/core";

/** A dockerode rejection, reduced to what matters: an HTTP answer, or none. */
export type DockerFailure = { kind: "answered"; statusCode: number; message?: string } | { kind: "unreachable"; detail: string };

export function dockerFailureOf(error: unknown): DockerFailure {
  const e = (error ?? {}) as { statusCode?: unknown; json?: unknown; message?: unknown; code?: unknown; name?: unknown };
  if (typeof e.statusCode === "number") {
    const message = daemonMessageOf(e.json);
    return message === undefined ? { kind: "answered", statusCode: e.statusCode } : { kind: "answered", statusCode: e.statusCode, message };
  }
  const code = typeof e.code === "string" ? e.code : typeof e.name === "string" ? e.name : "Error";
  const text = typeof e.message === "string" ? e.message : String(error);
  return { kind: "unreachable", detail: text.includes(code) ? text : `${code}: ${text}` };
}

/** The daemon's own `message` from a parsed error body; undefined for an empty Buffer (304) or no body. */
function daemonMessageOf(json: unknown): string | undefined {
  if (json === null || typeof json !== "object" || Buffer.isBuffer(json)) return undefined;
  const message = (json as { message?: unknown }).message;
  return typeof message === "string" ? message : undefined;
}

/** A rejected start/stop/pause/unpause/restart: 304 → already, 404 → gone, other → refused; no answer → unreachable. */
export function engineReplyOfError(error: unknown): EngineReply {
  const failure = dockerFailureOf(error);
  if (failure.kind === "unreachable") return failure;
  return classifyDockerAnswer(failure);
}

/** A rejected inspect for the action protocol: 404 → gone; any other answer or none → unreachable (retry). */
export function inspectFailureOf(error: unknown): Exclude<InspectReply, { kind: "found" }> {
  const failure = dockerFailureOf(error);
  if (failure.kind === "unreachable") return failure;
  if (failure.statusCode === 404) return { kind: "gone", message: failure.message ?? `No such container` };
  return { kind: "unreachable", detail: `inspect answered HTTP ${failure.statusCode}: ${failure.message ?? ""}`.trim() };
}

/** A failed events read: nothing is known, so the restart decision waits for the engine. */
export function restartHistoryFailureOf(error: unknown): Extract<RestartHistoryReply, { kind: "unreachable" }> {
  const failure = dockerFailureOf(error);
  if (failure.kind === "unreachable") return failure;
  return { kind: "unreachable", detail: `events answered HTTP ${failure.statusCode}: ${failure.message ?? ""}`.trim() };
}

/** A rejected inspect for the mirror sync: 404 → gone (E25), otherwise unreachable (the sync retries). */
export function describeFailureOf(error: unknown): Exclude<DescribeReply, { kind: "found" }> {
  const reply = inspectFailureOf(error);
  return reply.kind === "gone" ? { kind: "gone" } : reply;
}

/** A rejected force-remove: 404 → gone; 409 (removal already in progress) and others → refused. */
export function removeFailureOf(error: unknown): Exclude<RemoveReply, { kind: "removed" }> {
  const failure = dockerFailureOf(error);
  if (failure.kind === "unreachable") return failure;
  if (failure.statusCode === 404) return { kind: "gone" };
  return { kind: "refused", message: failure.message ?? `engine answered HTTP ${failure.statusCode}` };
}
