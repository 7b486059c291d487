import { readFileSync } from "node:fs";
import { join } from "node:path";
import Docker from "dockerode";
import type { DockerEndpoint } from "../config.ts";

/**
 * A dockerode client for the configured endpoint. No API `version` is pinned: dockerode then uses
 * unversioned paths, which every daemon serves at its own version (pinning above the daemon's gives 400).
 */
export function createDockerode(endpoint: DockerEndpoint): Docker {
  if (endpoint.kind === "unix") return new Docker({ socketPath: endpoint.socketPath });
  if (endpoint.tls === null) return new Docker({ host: endpoint.host, port: endpoint.port, protocol: "http" });
  const dir = endpoint.tls.certPath;
  return new Docker({
    host: endpoint.host,
    port: endpoint.port,
    protocol: "https",
    ca: readFileSync(join(dir, "ca.pem")),
    cert: readFileSync(join(dir, "cert.pem")),
    key: readFileSync(join(dir, "key.pem")),
  });
}

/** How the endpoint is shown in logs. */
export function describeEndpoint(endpoint: DockerEndpoint): string {
  return endpoint.kind === "unix" ? `unix://${endpoint.socketPath}` : `tcp://${endpoint.host}:${endpoint.port}${endpoint.tls ? " (TLS)" : ""}`;
}
