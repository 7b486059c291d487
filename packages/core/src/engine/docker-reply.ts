/**
 * Maps Docker Engine API answers to {@link EngineReply} kinds: the one place that knows status codes.
 * The table is measured on dockerd 20.10 (docs/design/docker-engine.md) and pinned by tests.
 */
import type { EngineReply } from "./container-engine.ts";

/** What an HTTP answer from the engine carried: the status code and the body's `message`, if any. */
export interface DockerAnswer {
  statusCode: number;
  message?: string;
}

export function classifyDockerAnswer(answer: DockerAnswer): EngineReply {
  const { statusCode } = answer;
  const message = answer.message ?? "";
  if (statusCode >= 200 && statusCode < 300) return { kind: "done" };
  // Docker answers 304 to start on a running and stop on a stopped container: the target state holds.
  if (statusCode === 304) return { kind: "already" };
  if (statusCode === 404) return { kind: "gone", message };
  return { kind: "refused", message: message || `engine answered HTTP ${statusCode}` };
}

/** The text recorded in lastAction.error for an engine answer, worded as the docker CLI shows it. */
export function daemonErrorText(message: string): string {
  return `Error response from daemon: ${message}`;
}
