/**
 * The Docker Engine API routes the simulator serves (API 1.41, versioned and unversioned paths), each
 * one a call on the {@link SimulatedDocker} model: ping, version, info, the container lifecycle and
 * the event stream. Unknown routes answer 404 "page not found", as dockerd's router does.
 */
import { DockerMessages, type CreateContainerBody, type SimulatedDocker } from "../../engine/index.ts";
import { jsonErrors, splitVersion } from "./api-version.ts";
import { dockerHeaders, droppedConnection, errorResponse, toResponse } from "./docker-http-answers.ts";
import { eventsResponse } from "./events-stream.ts";
import { logsResponse } from "./logs-route.ts";
import { waitResponse } from "./wait-route.ts";

/** moby's `httputils.BoolValue`: absent, "", "0", "no", "false" and "none" are false. */
function boolParam(params: URLSearchParams, name: string): boolean {
  const value = params.get(name);
  return value !== null && !["", "0", "no", "false", "none"].includes(value.trim().toLowerCase());
}

function optionalParam(params: URLSearchParams, name: string): string | undefined {
  return params.get(name) ?? undefined;
}

type ContainerAction = "start" | "stop" | "restart" | "pause" | "unpause" | "kill";
const CONTAINER_ACTIONS: readonly string[] = ["start", "stop", "restart", "pause", "unpause", "kill"];

/** Answers one HTTP request from the model. Never throws for a client's mistake. */
export async function handleDockerRequest(docker: SimulatedDocker, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const versioned = splitVersion(url.pathname);
  if (versioned.kind === "unsupported") return errorResponse(400, versioned.message, jsonErrors(versioned.version));
  const json = jsonErrors(versioned.version);
  const { path } = versioned;
  const params = url.searchParams;
  const method = request.method;

  if (path === "/_ping" && (method === "GET" || method === "HEAD")) return ping(docker, method === "HEAD");
  if (path === "/version" && method === "GET") return toResponse(await docker.version(), json);
  if (path === "/info" && method === "GET") return toResponse(await docker.info(), json);
  if (path === "/events" && method === "GET") {
    return eventsResponse(docker, { since: optionalParam(params, "since"), until: optionalParam(params, "until"), filters: optionalParam(params, "filters") }, request.signal);
  }
  if (path === "/containers/json" && method === "GET") {
    return toResponse(await docker.list({ all: boolParam(params, "all"), filters: optionalParam(params, "filters") }), json);
  }
  if (path === "/containers/create" && method === "POST") return create(docker, request, params, json);

  const match = /^\/containers\/([^/]+)(?:\/([a-z]+))?$/.exec(path);
  if (match !== null) {
    const ref = decodeURIComponent(match[1] ?? "");
    const action = match[2];
    if (action === "json" && method === "GET") return toResponse(await docker.inspect(ref), json);
    if (action === "wait" && method === "POST") return waitResponse(docker, ref, optionalParam(params, "condition"), json);
    if (action === "logs" && method === "GET") {
      const logsRequest = {
        stdout: boolParam(params, "stdout"), stderr: boolParam(params, "stderr"), follow: boolParam(params, "follow"),
        since: optionalParam(params, "since"), until: optionalParam(params, "until"), tail: optionalParam(params, "tail"),
      };
      return logsResponse(docker, ref, logsRequest, boolParam(params, "timestamps"), request.signal, json);
    }
    if (action === undefined && method === "DELETE") return toResponse(await docker.remove(ref, { force: boolParam(params, "force") }), json);
    if (action !== undefined && CONTAINER_ACTIONS.includes(action) && method === "POST") {
      return toResponse(await containerAction(docker, action as ContainerAction, ref, params), json);
    }
  }
  return errorResponse(404, DockerMessages.pageNotFound(), json);
}

function containerAction(docker: SimulatedDocker, action: ContainerAction, ref: string, params: URLSearchParams) {
  switch (action) {
    case "start":
      return docker.start(ref);
    case "stop":
      return docker.stop(ref, { t: optionalParam(params, "t") });
    case "restart":
      return docker.restart(ref, { t: optionalParam(params, "t") });
    case "pause":
      return docker.pause(ref);
    case "unpause":
      return docker.unpause(ref);
    case "kill":
      return docker.kill(ref, { signal: optionalParam(params, "signal") });
  }
}

async function ping(docker: SimulatedDocker, head: boolean): Promise<Response> {
  const answer = await docker.ping();
  if (answer.kind === "unreachable") return droppedConnection();
  if (answer.statusCode !== 200) return toResponse(answer);
  const headers = dockerHeaders({ "Cache-Control": "no-cache, no-store, must-revalidate", "Pragma": "no-cache", "Content-Type": "text/plain; charset=utf-8" });
  return new Response(head ? null : "OK", { status: 200, headers });
}

async function create(docker: SimulatedDocker, request: Request, params: URLSearchParams, json: boolean): Promise<Response> {
  const contentType = request.headers.get("content-type") ?? "";
  const text = await request.text();
  if (text.trim() !== "" && contentType !== "" && !contentType.startsWith("application/json")) {
    return errorResponse(400, `Content-Type specified (${contentType}) must be 'application/json'`, json);
  }
  let body: unknown;
  try {
    body = text.trim() === "" ? {} : JSON.parse(text);
  } catch (err) {
    return errorResponse(500, (err as Error).message, json);
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return errorResponse(400, DockerMessages.emptyConfig(), json);
  return toResponse(await docker.create(body as CreateContainerBody, { name: optionalParam(params, "name") }), json);
}
