import { KubeConfig } from "@kubernetes/client-node";
import type { KubeconfigSource } from "../config.ts";
import type { KubeConnection } from "@container-actions/kube-adapters";

/**
 * Loads the kubeconfig the configuration names. Throws (with a stable `code`) when it cannot be loaded:
 * that is a startup error, not a runtime condition.
 */
export function loadKubeConfig(source: KubeconfigSource): KubeConfig {
  const kc = new KubeConfig();
  try {
    switch (source.kind) {
      case "file":
      case "home":
        kc.loadFromFile(source.path);
        break;
      case "env":
        // loadFromDefault reads KUBECONFIG, including a ':'-separated list, merged as kubectl does.
        kc.loadFromDefault();
        break;
      case "in-cluster":
        kc.loadFromCluster();
        break;
    }
  } catch (error) {
    throw Object.assign(new Error(`cannot load kubeconfig (${describeSource(source)}): ${String(error)}`), { code: "KUBECONFIG_INVALID" });
  }
  if (kc.getCurrentCluster() === null) {
    throw Object.assign(new Error(`kubeconfig (${describeSource(source)}) has no current cluster`), { code: "KUBECONFIG_INVALID" });
  }
  return kc;
}

export function describeSource(source: KubeconfigSource): string {
  switch (source.kind) {
    case "file":
    case "home":
      return source.path;
    case "env":
      return `KUBECONFIG=${source.value}`;
    case "in-cluster":
      return "in-cluster service account";
  }
}

/** How long auth headers are reused before the kubeconfig is asked again (bound tokens rotate hourly). */
export const CONNECTION_CACHE_MS = 60_000;

/**
 * Builds the {@link KubeConnection} for the current context from client-node's own TLS and auth logic
 * (`applyToHTTPSOptions`: CA, client certificate, token, exec and auth-provider plugins), cached briefly.
 */
export function kubeConnectionSource(kc: KubeConfig, nowMs: () => number = Date.now): () => Promise<KubeConnection> {
  let cached: { connection: KubeConnection; atMs: number } | undefined;
  return async () => {
    if (cached !== undefined && nowMs() - cached.atMs < CONNECTION_CACHE_MS) return cached.connection;
    const cluster = kc.getCurrentCluster();
    if (cluster === null) throw new Error("kubeconfig has no current cluster");
    const opts: {
      ca?: Buffer;
      cert?: Buffer;
      key?: Buffer;
      rejectUnauthorized?: boolean;
      servername?: string;
      headers?: Record<string, string | string[] | number>;
      auth?: string;
    } = { headers: {} };
    await kc.applyToHTTPSOptions(opts as never);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k] = Array.isArray(v) ? v.join(", ") : String(v);
    if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString("base64")}`;
    const connection: KubeConnection = {
      server: cluster.server,
      tls: {
        ...(opts.ca ? { ca: opts.ca } : {}),
        ...(opts.cert ? { cert: opts.cert } : {}),
        ...(opts.key ? { key: opts.key } : {}),
        ...(cluster.skipTLSVerify ? { rejectUnauthorized: false } : {}),
        ...(opts.servername ? { serverName: opts.servername } : {}),
      },
      headers,
    };
    cached = { connection, atMs: nowMs() };
    return connection;
  };
}
