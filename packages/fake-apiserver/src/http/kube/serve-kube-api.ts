/**
 * The fake kube-apiserver on the wire: HTTPS on loopback with a generated CA and serving cert,
 * client-certificate authentication (user from the CN, groups from the O entries), a kubeconfig for
 * kubectl and client-node, admission webhooks called over HTTPS, and the store's virtual clock made to
 * follow wall time while it serves.
 */
import http from "node:http";
import tls from "node:tls";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { mkdirSync } from "node:fs";
import type { Socket } from "node:net";
import { type ClusterStore, type KubeApi, type UserInfo } from "../../cluster/index.ts";
import { followWallClock } from "@container-actions/sim-kernel";
import { httpsWebhookCaller } from "./https-webhook-caller.ts";
import { handleKubeRequest, type WireResponse } from "./kube-handler.ts";
import { type TlsMaterial, generateTlsMaterial, kubeconfigYaml } from "./tls-material.ts";

export interface ServeKubeApiOptions {
  store: ClusterStore;
  /** What requests go through, asked per request (default the store): the control API's fault hook. */
  api?: () => KubeApi;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where to write the kubeconfig (default: a file in a fresh temp folder). */
  kubeconfigPath?: string;
  /** Where to write the certificates (default: next to the kubeconfig). */
  certDir?: string;
  /** The identity in the client certificate (default admin, group system:masters). */
  client?: { user: string; groups: string[] };
  /** Whether to call admission webhooks over HTTPS (default true). */
  webhooks?: boolean;
  /** Default watch timeout when the client gives none (default 1800 s). */
  defaultWatchTimeoutS?: number;
}

export interface KubeApiServer {
  /** https://127.0.0.1:<port> */
  url: string;
  kubeconfigPath: string;
  tls: TlsMaterial;
  /** Closes the listener and every open connection (watches included); stops following wall time. */
  stop(): Promise<void>;
}

function userOf(socket: Socket): UserInfo {
  const peer = (socket as unknown as tls.TLSSocket).getPeerCertificate?.();
  const subject = (peer?.subject ?? {}) as unknown as Record<string, string | string[] | undefined>;
  const cn = subject.CN;
  const o = subject.O;
  const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
  return { username: Array.isArray(cn) ? (cn[0] ?? "") : (cn ?? ""), groups: [...groups, "system:authenticated"] };
}

/** Starts serving `store` over HTTPS and writes a kubeconfig for it. */
export async function serveKubeApi(options: ServeKubeApiOptions): Promise<KubeApiServer> {
  const { store } = options;
  const host = options.host ?? "127.0.0.1";
  const kubeconfigPath = options.kubeconfigPath ?? join(mkdtempSync(join(tmpdir(), "sim-kube-")), "kubeconfig");
  mkdirSync(dirname(kubeconfigPath), { recursive: true });
  const certDir = options.certDir ?? join(dirname(kubeconfigPath), "pki");
  const material = generateTlsMaterial(certDir, options.client ?? { user: "admin", groups: ["system:masters"] });
  const sockets = new Set<Socket>();

  let serverAddress = `${host}:0`;
  const httpServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
      const wire: WireResponse = {
        head: (status, h) => {
          res.writeHead(status, h);
          // A watch may stay silent for minutes: send the headers now, as the apiserver does.
          res.flushHeaders();
        },
        write: (chunk) => {
          res.write(chunk);
        },
        end: (chunk) => {
          if (chunk !== undefined) res.end(chunk);
          else res.end();
        },
        onClose: (cb) => {
          res.on("close", cb);
        },
      };
      const request = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers,
        body: Buffer.concat(chunks).toString("utf8"),
        user: userOf(req.socket),
      };
      const deps = {
        store,
        serverAddress,
        ...(options.api !== undefined ? { api: options.api } : {}),
        ...(options.defaultWatchTimeoutS !== undefined ? { defaultWatchTimeoutS: options.defaultWatchTimeoutS } : {}),
      };
      handleKubeRequest(deps, request, wire).catch(
        (e: unknown) => {
          const detail = e instanceof Error ? e.message : String(e);
          if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
          res.end(
            JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `Internal error occurred: ${detail}`, reason: "InternalError", code: 500 }),
          );
        },
      );
    });
  });
  httpServer.keepAliveTimeout = 60_000;

  const tlsServer = tls.createServer(
    {
      key: material.serverKey,
      cert: material.serverCert,
      ca: material.caCert,
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ["http/1.1"],
    },
    (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      httpServer.emit("connection", socket);
    },
  );
  await new Promise<void>((resolve, reject) => {
    tlsServer.once("error", reject);
    tlsServer.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (tlsServer.address() as { port: number }).port;
  serverAddress = `${host}:${port}`;
  const url = `https://${host}:${port}`;
  writeFileSync(kubeconfigPath, kubeconfigYaml(url, material), { mode: 0o600 });

  const stopFollowing = followWallClock(store.clock);
  if (options.webhooks !== false) store.setCallWebhook(httpsWebhookCaller());

  return {
    url,
    kubeconfigPath,
    tls: material,
    stop: async () => {
      stopFollowing();
      if (options.webhooks !== false) store.setCallWebhook(undefined);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
      httpServer.close();
    },
  };
}
