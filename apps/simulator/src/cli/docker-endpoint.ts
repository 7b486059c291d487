/**
 * Talking to a Docker engine by its DOCKER_HOST (unix socket, or tcp with the docker CLI's TLS
 * variables) with fetch: is one reachable, does it hold an image, and `docker run -d` for the demo
 * containers. Works the same against a real dockerd and the simulated engine's wire face.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The image the demo containers run: tools/docker-engine/start.sh imports it; the simulated engine has it. */
export const DEMO_IMAGE = "local/busybox:latest";

/**
 * The demo containers: two with an init process (a stop takes a moment), one whose `sleep` is PID 1
 * and ignores SIGTERM, so its stop waits out a 3 s grace period — long enough to watch it in progress.
 */
export const DEMO_CONTAINERS: ReadonlyArray<{ name: string; init: boolean; stopTimeoutS?: number }> = [
  { name: "demo-web", init: true },
  { name: "demo-db", init: false, stopTimeoutS: 3 },
  { name: "demo-worker", init: true },
];

/** Where the docker CLI would connect for `host` (a DOCKER_HOST value). */
export interface DockerTarget {
  host: string;
  base: string;
  init: { unix?: string; tls?: { ca: string; cert: string; key: string } };
}

export function dockerTarget(host: string, env: Record<string, string | undefined> = process.env): DockerTarget {
  if (host.startsWith("unix://")) return { host, base: "http://docker", init: { unix: host.slice("unix://".length) } };
  const tcp = /^tcp:\/\/([^:/]+)(?::(\d+))?\/?$/.exec(host);
  if (tcp === null) throw Object.assign(new Error(`unsupported DOCKER_HOST "${host}": use unix:///path or tcp://host:port`), { code: "BAD_DOCKER_HOST" });
  const tls = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== "" && env.DOCKER_TLS_VERIFY !== "0";
  const port = tcp[2] ?? (tls ? "2376" : "2375");
  if (!tls) return { host, base: `http://${tcp[1]}:${port}`, init: {} };
  const dir = env.DOCKER_CERT_PATH ?? join(env.HOME ?? "/root", ".docker");
  const read = (f: string) => readFileSync(join(dir, f), "utf8");
  return { host, base: `https://${tcp[1]}:${port}`, init: { tls: { ca: read("ca.pem"), cert: read("cert.pem"), key: read("key.pem") } } };
}

/** One Engine API call (unversioned paths: the daemon's own version). */
async function call(target: DockerTarget, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${target.base}${path}`, {
    method,
    signal: AbortSignal.timeout(15_000),
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
    ...target.init,
  } as RequestInit);
  const text = await response.text();
  let json: unknown = text;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    // Plain text (e.g. _ping's "OK").
  }
  return { status: response.status, json };
}

/** True when the engine at `host` answers `GET /_ping` with 200 within a few seconds. */
export async function engineAnswers(host: string): Promise<boolean> {
  try {
    return (await call(dockerTarget(host), "GET", "/_ping")).status === 200;
  } catch {
    return false;
  }
}

export async function hasImage(host: string, image: string): Promise<boolean> {
  return (await call(dockerTarget(host), "GET", `/images/${image}/json`)).status === 200;
}

export type RunResult = { name: string; kind: "started" | "reused"; id: string } | { name: string; kind: "failed"; why: string };

/** `docker run -d --name NAME [--init] [--stop-timeout S] IMAGE sleep 100000`; an existing container of that name is started and reused. */
export async function runDemoContainer(host: string, demo: (typeof DEMO_CONTAINERS)[number]): Promise<RunResult> {
  const target = dockerTarget(host);
  const body = {
    Image: DEMO_IMAGE,
    Cmd: ["sleep", "100000"],
    Labels: { "io.rancherdesktop.container-actions/demo": "true" },
    HostConfig: { Init: demo.init },
    ...(demo.stopTimeoutS !== undefined ? { StopTimeout: demo.stopTimeoutS } : {}),
  };
  const created = await call(target, "POST", `/containers/create?name=${encodeURIComponent(demo.name)}`, body);
  let kind: "started" | "reused" = "started";
  let id: string;
  if (created.status === 201) id = (created.json as { Id: string }).Id;
  else if (created.status === 409) {
    kind = "reused";
    id = demo.name;
  } else return { name: demo.name, kind: "failed", why: `create: HTTP ${created.status} ${messageOf(created.json)}` };
  const started = await call(target, "POST", `/containers/${encodeURIComponent(id)}/start`);
  if (started.status !== 204 && started.status !== 304) return { name: demo.name, kind: "failed", why: `start: HTTP ${started.status} ${messageOf(started.json)}` };
  return { name: demo.name, kind, id };
}

function messageOf(json: unknown): string {
  return typeof json === "object" && json !== null && "message" in json ? String((json as { message: unknown }).message) : String(json ?? "");
}
