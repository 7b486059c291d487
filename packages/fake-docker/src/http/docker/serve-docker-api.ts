/**
 * Serving the simulated engine to real clients (dockerode, the docker CLI) over a unix socket and/or
 * TCP on 127.0.0.1, with Bun.serve. The caller runs the model's clock along wall time
 * (`followWallClock`), so a stop's grace period takes real seconds here too.
 */
import type { SimulatedDocker } from "../../engine/index.ts";
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
 * Does not model: routes beyond _ping, version, info, events and the container lifecycle (no images,
 * networks, volumes, exec, attach, logs, wait, run); TLS; the response head before the first byte of an
 * event stream (a blank line stands in, see events-stream.ts); create's networking warnings.
 */
export function serveDockerApi(options: ServeDockerApiOptions): DockerApiServer {
  const { docker } = options;
  const fetch = (request: Request) => handleDockerRequest(docker, request);
  const servers: Array<ReturnType<typeof Bun.serve>> = [];
  let socketPath: string | undefined;
  let port: number | undefined;
  if (options.socketPath !== undefined) {
    // No idle timeout: a stop may wait out a 10 s grace period, and an event stream may stay quiet for
    // long. Bun's types omit idleTimeout for unix sockets, but the runtime applies its 10 s default there.
    const unixOptions = { unix: options.socketPath, fetch, idleTimeout: 0 } as unknown as Parameters<typeof Bun.serve>[0];
    servers.push(Bun.serve(unixOptions));
    socketPath = options.socketPath;
  }
  if (options.port !== undefined || options.socketPath === undefined) {
    const server = Bun.serve({ hostname: "127.0.0.1", port: options.port ?? 0, fetch, idleTimeout: 0 });
    servers.push(server);
    port = server.port;
  }
  const url = socketPath !== undefined ? `unix://${socketPath}` : `tcp://127.0.0.1:${port}`;
  return {
    socketPath,
    port,
    url,
    async stop() {
      await Promise.all(servers.map((s) => s.stop(true)));
    },
  };
}
