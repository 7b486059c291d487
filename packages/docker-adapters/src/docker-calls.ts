/** Who asked Docker: the action protocol, the mirror sync, or the event follower. */
export type DockerCaller = "action" | "mirror" | "events";

/** Told about every Docker call once it settles, with its duration. */
export type DockerCallObserver = (call: string, caller: DockerCaller, seconds: number) => void;

/** Deadlines of Docker calls. */
export interface DockerTimeouts {
  /** inspect, list, info, remove: answers that take milliseconds. */
  readMs: number;
  /** start/stop/pause/unpause/restart: stop and restart wait the container's own stop timeout first. */
  performMs: number;
}

export const DEFAULT_DOCKER_TIMEOUTS: DockerTimeouts = { readMs: 15_000, performMs: 600_000 };

/** Runs one Docker call, reporting its duration whatever the outcome. */
export async function timedCall<T>(observe: DockerCallObserver | undefined, call: string, caller: DockerCaller, run: () => Promise<T>): Promise<T> {
  const startedMs = performance.now();
  try {
    return await run();
  } finally {
    observe?.(call, caller, (performance.now() - startedMs) / 1000);
  }
}
