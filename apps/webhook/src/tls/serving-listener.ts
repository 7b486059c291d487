/**
 * The HTTPS listener, with certificate replacement that drops no request. Bun's `server.reload()`
 * swaps handlers but not TLS (checked on bun 1.4.5: new connections keep the old certificate), so a
 * replacement binds a second listener on the same port (SO_REUSEPORT) with the new certificate, then
 * stops the old one gracefully: it accepts nothing new and finishes what it is serving.
 */
import type { Server } from "bun";
import type { ServingMaterial } from "./cert-material.ts";

export interface ServingListenerOptions {
  hostname: string;
  /** 0 picks a free port; replacements reuse the port actually bound. */
  port: number;
  material: ServingMaterial;
  fetch: (request: Request) => Response | Promise<Response>;
  /** Bun's hard cap on a request body (bytes); larger bodies are refused before the handler runs. */
  maxRequestBodySizeBytes: number;
}

export interface ServingListener {
  readonly hostname: string;
  readonly port: number;
  /** Serves `material` from now on. Requests already accepted finish on the old listener. */
  replaceCertificate(material: ServingMaterial): Promise<void>;
  /** Stops accepting; waits up to `graceMs` for in-flight requests, then closes what is left. Idempotent. */
  stop(graceMs: number): Promise<void>;
  /** Requests being served, by the current and any draining listener. */
  pendingRequests(): number;
}

type BunServer = Server<undefined>;

/**
 * Binds the listener. Throws when the port is taken: SO_REUSEPORT would otherwise let a second
 * webhook (e.g. a stale one) share the port silently, so a plain bind probes it first.
 */
export function startServingListener(options: ServingListenerOptions): ServingListener {
  if (options.port !== 0) assertPortFree(options.hostname, options.port);
  const bind = (port: number, material: ServingMaterial): BunServer =>
    Bun.serve({
      hostname: options.hostname,
      port,
      reusePort: true,
      maxRequestBodySize: options.maxRequestBodySizeBytes,
      tls: { cert: material.certPem, key: material.keyPem },
      fetch: options.fetch,
    });
  let current: BunServer | undefined = bind(options.port, options.material);
  const port = current.port ?? options.port;
  /** Old listeners finishing their requests, each with the promise of its graceful stop. */
  const draining = new Map<BunServer, Promise<void>>();
  let serial = Promise.resolve();

  const drain = (server: BunServer): void => {
    draining.set(server, server.stop(false).finally(() => draining.delete(server)));
  };

  return {
    hostname: options.hostname,
    port,
    replaceCertificate(material) {
      const step = serial.then(() => {
        if (current === undefined) return;
        const previous = current;
        current = bind(port, material); // the new listener accepts before the old one stops
        drain(previous);
      });
      serial = step.catch(() => undefined);
      return step;
    },
    async stop(graceMs) {
      await serial;
      if (current !== undefined) drain(current);
      current = undefined;
      const finished = Promise.all(draining.values()).then(() => true);
      const inTime = await Promise.race([finished, Bun.sleep(graceMs).then(() => false)]);
      if (!inTime) await Promise.all([...draining.keys()].map((server) => server.stop(true)));
    },
    pendingRequests() {
      let count = current?.pendingRequests ?? 0;
      for (const server of draining.keys()) count += server.pendingRequests;
      return count;
    },
  };
}

function assertPortFree(hostname: string, port: number): void {
  const probe = Bun.listen({ hostname, port, socket: { data() {} } });
  probe.stop(true);
}
