/**
 * `POST /containers/{id}/attach` with `Upgrade: tcp`, the hijacked connection the docker CLI uses for
 * `docker run` in the foreground and `docker start -a`: dockerd answers `101 UPGRADED` and then writes
 * the container's output on the bare connection as a multiplexed stream (no TTY is modelled), closing
 * it when the process stops. Bun.serve cannot hand a connection over (it upgrades only to WebSocket),
 * so {@link listenWithAttach} puts a small Bun.listen front before it: a connection whose first request
 * is such an attach is served here, and any other is piped through to Bun.serve unchanged.
 *
 * Differs from dockerd: stdin is not read (no `-i`).
 */
import type { SimulatedDocker } from "../../engine/index.ts";
import { splitVersion } from "./api-version.ts";
import { dockerHeaders } from "./docker-http-answers.ts";
import { logFrame } from "./log-frames.ts";
import { SocketOutbox } from "./socket-outbox.ts";

const ATTACH_PATH = /^\/containers\/([^/]+)\/attach$/;

function flag(params: URLSearchParams, name: string): boolean {
  const value = params.get(name);
  return value !== null && !["", "0", "no", "false", "none"].includes(value.trim().toLowerCase());
}

/** The attach a request head asks for, or undefined when it is anything else. */
export function attachRequest(head: string): { ref: string; params: URLSearchParams } | undefined {
  const [requestLine = "", ...headerLines] = head.split("\r\n");
  const [method, target = ""] = requestLine.split(" ");
  const upgrade = headerLines.some((h) => /^upgrade\s*:\s*tcp\s*$/i.test(h));
  if (method !== "POST" || !upgrade) return undefined;
  const url = new URL(target, "http://docker");
  const versioned = splitVersion(url.pathname);
  const match = versioned.kind === "ok" ? ATTACH_PATH.exec(versioned.path) : null;
  return match === null ? undefined : { ref: decodeURIComponent(match[1] ?? ""), params: url.searchParams };
}

/** Serves one hijacked attach through `out`; returns what to close when the client goes away. */
export async function serveAttach(docker: SimulatedDocker, out: SocketOutbox, ref: string, params: URLSearchParams): Promise<(() => void) | undefined> {
  const request = { stdout: flag(params, "stdout"), stderr: flag(params, "stderr"), logs: flag(params, "logs") };
  let open = false;
  const early: Uint8Array[] = [];
  let endedEarly = false;
  const answer = await docker.attach(
    ref,
    request,
    (entry) => (open ? out.write(logFrame(entry, false)) : early.push(logFrame(entry, false))),
    () => (open ? out.end() : (endedEarly = true)),
  );
  if (answer.kind !== "logs") {
    if (answer.kind === "unreachable") return void out.end();
    const body = `${JSON.stringify(answer.body)}\n`;
    const headers = [...dockerHeaders({ "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)) })];
    const reason = answer.statusCode === 404 ? "Not Found" : "Internal Server Error";
    out.write(`HTTP/1.1 ${answer.statusCode} ${reason}\r\n${headers.map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n${body}`);
    out.end();
    return undefined;
  }
  out.write("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
  open = true;
  for (const entry of answer.past) out.write(logFrame(entry, false));
  for (const frame of early) out.write(frame);
  if (endedEarly) out.end();
  return () => answer.follow?.close();
}

