/**
 * Turning the model's answers into HTTP responses with dockerd's headers: `Api-Version`, `Server`,
 * `Docker-Experimental`, `OSType`; JSON bodies end with a newline as Go's encoder writes them; a
 * transport failure drops the connection without any answer.
 */
import { DOCKER_API_VERSION, DOCKER_ENGINE_VERSION, type DockerResponse } from "../../engine/index.ts";

/** The headers dockerd puts on every answer. */
export function dockerHeaders(extra: Record<string, string> = {}): Headers {
  return new Headers({
    "Api-Version": DOCKER_API_VERSION,
    "Docker-Experimental": "false",
    "OSType": "linux",
    "Server": `Docker/${DOCKER_ENGINE_VERSION} (linux)`,
    ...extra,
  });
}

/** An error answer: `{"message": ...}` as JSON, or plain text for clients older than API 1.23. */
export function errorResponse(statusCode: number, message: string, json = true): Response {
  return json
    ? new Response(`${JSON.stringify({ message })}\n`, { status: statusCode, headers: dockerHeaders({ "Content-Type": "application/json" }) })
    : new Response(`${message}\n`, { status: statusCode, headers: dockerHeaders({ "Content-Type": "text/plain; charset=utf-8" }) });
}

/** A response whose connection closes before any byte of an answer: what a client of a dead daemon sees. */
export function droppedConnection(): Response {
  return new Response(new ReadableStream({ start: (controller) => controller.error() }));
}

/** The HTTP form of a model answer. */
export function toResponse(answer: DockerResponse, jsonErrors = true): Response {
  if (answer.kind === "unreachable") return droppedConnection();
  const { statusCode, body } = answer;
  if (body === undefined) return new Response(null, { status: statusCode, headers: dockerHeaders() });
  if (statusCode >= 400 && typeof body === "object" && body !== null && "message" in body) {
    return errorResponse(statusCode, String((body as { message: unknown }).message), jsonErrors);
  }
  return new Response(`${JSON.stringify(body)}\n`, { status: statusCode, headers: dockerHeaders({ "Content-Type": "application/json" }) });
}
