/**
 * Serving the simulated engine to real clients (dockerode, the docker CLI) over a unix socket and/or
 * TCP on 127.0.0.1, with Bun.serve. The caller runs the model's clock along wall time
 * (`followWallClock`), so a stop's grace period takes real seconds here too.
 */
import type { SimulatedDocker } from "../../engine/index.ts";
import { listenWithAttach } from "./hijack-front.ts";
import { handleDockerRequest } from "./docker-routes.ts";

export interface ServeDockerApiOptions {
  docker: SimulatedDocker;
  /** A unix socket path to listen on (like /var/run/docker.sock); kept under 107 bytes. */
  socketPath?: string;
  /** A TCP port on 127.0.0.1 (0 picks a free one). */
  port?: number;
}

/** A running wire face. `url` is a DOCKER_HOST value (`unix://…` or `tcp://127.0.0.1:…`). */
export interface DockerApiServer {
  socketPath?: string;
  port?: number;
  url: string;
  /** Stops listening and closes open connections, event streams included. */
  stop(): Promise<void>;
}

/**
 * Starts the wire face; with neither option it listens on a free TCP port. Build the model's clock at
 * `Date.now()` and run `followWallClock` on it, so `since`/`until` and `docker ps` ages read right.
 *
 * Connections arrive at a Bun.listen front (hijack-front.ts), which serves hijacked attaches itself
 * and pipes everything else to a Bun.serve on a private loopback port.
 *
 * Does not model: routes beyond _ping, version, info, events, the container lifecycle, wait, logs and
 * attach (no images, networks, volumes, exec); TLS; the response head before the first byte of an
 * event stream (a blank line stands in, see events-stream.ts); create's networking warnings.
 */
export function serveDockerApi(options: ServeDockerApiOptions): DockerApiServer {
  const { docker } = options;
  const fetch = (request: Request) => handleDockerRequest(docker, request);
  // No idle timeout: a stop may wait out a 10 s grace period, and an event stream may stay quiet for long.
  const http = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch, idleTimeout: 0 });
  const fronts: Array<{ stop(closeActive?: boolean): void }> = [];
  let socketPath: string | undefined;
  let port: number | undefined;
  if (options.socketPath !== undefined) {
    fronts.push(listenWithAttach(docker, { unix: options.socketPath }, http.port as number));
    socketPath = options.socketPath;
  }
  if (options.port !== undefined || options.socketPath === undefined) {
    const front = listenWithAttach(docker, { port: options.port ?? 0 }, http.port as number);
    fronts.push(front);
    port = front.port;
  }
  const url = socketPath !== undefined ? `unix://${socketPath}` : `tcp://127.0.0.1:${port}`;
  return {
    socketPath,
    port,
    url,
    async stop() {
      for (const front of fronts) front.stop(true);
      await http.stop(true);
    },
  };
}
