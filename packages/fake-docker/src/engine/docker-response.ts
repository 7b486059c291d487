/**
 * What one call to the simulated engine answers: an HTTP answer with Docker's status code and JSON body,
 * or a transport failure when the engine cannot be reached (no HTTP answer at all).
 */

/** An HTTP answer: `body` is the JSON document dockerd sends, or undefined for an empty body (204, 304). */
export interface DockerHttpAnswer {
  kind: "http";
  statusCode: number;
  body: unknown;
}

/** No HTTP answer at all: the socket refused or dropped the connection. */
export interface DockerTransportFailure {
  kind: "unreachable";
  detail: string;
}

/** The answer to one engine call. */
export type DockerResponse = DockerHttpAnswer | DockerTransportFailure;

/** A JSON answer. */
export function jsonAnswer(statusCode: number, body: unknown): DockerHttpAnswer {
  return { kind: "http", statusCode, body };
}

/** An answer with an empty body (204 No Content, 304 Not Modified). */
export function emptyAnswer(statusCode: 204 | 304): DockerHttpAnswer {
  return { kind: "http", statusCode, body: undefined };
}

/** An error answer with Docker's `{"message": ...}` body. */
export function errorAnswer(statusCode: number, message: string): DockerHttpAnswer {
  return { kind: "http", statusCode, body: { message } };
}

/** The `message` of an error body, if the answer has one. */
export function messageOf(response: DockerResponse): string | undefined {
  if (response.kind !== "http") return undefined;
  const body = response.body as { message?: unknown } | undefined;
  return typeof body?.message === "string" ? body.message : undefined;
}
