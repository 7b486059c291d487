import Docker from "dockerode";
import { E2E_LABEL } from "./env.ts";

export const IMAGE = "local/busybox:latest";

/** dockerode for a DOCKER_HOST value (unix:// or tcp://). */
export function dockerFor(dockerHost: string): Docker {
  if (dockerHost.startsWith("unix://")) return new Docker({ socketPath: dockerHost.slice("unix://".length) });
  const url = new URL(dockerHost.replace(/^tcp:/, "http:"));
  return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: "http" });
}

export interface RunOptions {
  /** docker-init as PID 1, so SIGTERM stops it at once (default true). */
  init?: boolean;
  /** Seconds Docker waits after SIGTERM before SIGKILL. */
  stopTimeout?: number;
  cmd?: string[];
  /** false: `docker create` only. */
  start?: boolean;
  name?: string;
}

/** `docker run -d --label container-actions-e2e=controller [--init] local/busybox sleep 100000`; returns the full id. */
export async function runContainer(docker: Docker, options: RunOptions = {}): Promise<string> {
  const container = await docker.createContainer({
    Image: IMAGE,
    Cmd: options.cmd ?? ["sleep", "100000"],
    Labels: { [E2E_LABEL.key]: E2E_LABEL.value },
    ...(options.name ? { name: options.name } : {}),
    ...(options.stopTimeout === undefined ? {} : { StopTimeout: options.stopTimeout }),
    HostConfig: { Init: options.init ?? true },
  });
  if (options.start ?? true) await container.start();
  return container.id;
}

/** Removes every container this suite created (by label). */
export async function removeLabelled(docker: Docker): Promise<void> {
  const all = await docker.listContainers({ all: true, filters: { label: [`${E2E_LABEL.key}=${E2E_LABEL.value}`] } });
  await Promise.all(all.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

export async function dockerState(docker: Docker, id: string): Promise<{ Status: string; Running: boolean; Paused: boolean; StartedAt: string } | undefined> {
  try {
    return (await docker.getContainer(id).inspect()).State as never;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

/** Container events of `id` between two daemon times (Unix seconds), e.g. to count restarts. */
export async function containerEvents(docker: Docker, id: string, sinceSec: number, untilSec: number): Promise<Array<{ Action: string }>> {
  const stream = (await docker.getEvents({ since: sinceSec, until: untilSec, filters: { container: [id] } } as never)) as unknown as AsyncIterable<Buffer>;
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l));
}

/** The daemon's clock in Unix seconds. */
export async function daemonNowSec(docker: Docker): Promise<number> {
  const info = (await docker.info()) as { SystemTime: string };
  return Math.floor(Date.parse(info.SystemTime) / 1000);
}

/** Resolves on the first event of `id` with `action` at or after `sinceSec` (e.g. the `kill` that begins a stop). */
export async function waitEvent(docker: Docker, id: string, action: string, sinceSec: number, timeoutMs: number): Promise<void> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const stream = (await docker.getEvents({ since: sinceSec, filters: { container: [id], event: [action] }, abortSignal: abort.signal } as never)) as unknown as AsyncIterable<Buffer> & { destroy(): void };
    for await (const _chunk of stream) {
      stream.destroy();
      return;
    }
  } catch (error) {
    if (abort.signal.aborted) throw new Error(`no ${action} event for ${id} within ${timeoutMs} ms`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  throw new Error(`event stream ended before a ${action} event for ${id}`);
}
