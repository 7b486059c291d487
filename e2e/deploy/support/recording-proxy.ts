/**
 * An HTTPS proxy in front of the real kube-apiserver that records every request a process makes:
 * method, path, query, the answer's status, and the Status message of a refusal. The processes under
 * test trust the proxy's own certificate; the proxy forwards their Authorization header unchanged and
 * presents no client certificate, so the apiserver authenticates and authorizes them exactly as it
 * would without it. Streams (watches) pass through as they arrive.
 * Does not model: HTTP/2, upgrades (exec, port-forward), compression (Accept-Encoding is dropped).
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { apiRequestAttributes, type ApiRequestAttributes } from "./api-request.ts";

export interface RecordedRequest {
  /** Which process sent it: the proxy serves one port per client so that each gets its own record. */
  client: string;
  method: string;
  path: string;
  query: string;
  /** The HTTP status the apiserver answered with; 0 when it did not answer. */
  status: number;
  /** `message` of a Status body, for answers >= 400. */
  message?: string;
  attributes?: ApiRequestAttributes;
}

export interface RecordingProxy {
  /** `https://127.0.0.1:<port>` for one client name. */
  urlFor(client: string): string;
  /** PEM of the certificate the proxy serves (self-signed; put it in the client's kubeconfig). */
  readonly caPem: string;
  readonly requests: RecordedRequest[];
  stop(): Promise<void>;
}

export interface Upstream {
  server: string;
  caPem: string;
}

/** Starts one listener per client name on 127.0.0.1, each forwarding to `upstream`. */
export async function startRecordingProxy(upstream: Upstream, clients: readonly string[], certDir: string): Promise<RecordingProxy> {
  const { certPem, keyPem } = selfSignedCertificate(certDir);
  const requests: RecordedRequest[] = [];
  const servers = new Map<string, ReturnType<typeof Bun.serve>>();
  for (const client of clients) {
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      tls: { cert: certPem, key: keyPem },
      fetch: (request, srv) => {
        srv.timeout(request, 0); // watches stay silent for long stretches
        return forward(client, request, upstream, requests);
      },
    });
    servers.set(client, server);
  }
  return {
    caPem: certPem,
    requests,
    urlFor(client) {
      const server = servers.get(client);
      if (server === undefined) throw new Error(`no proxy listener for ${client}`);
      return `https://127.0.0.1:${server.port}`;
    },
    async stop() {
      await Promise.all([...servers.values()].map((s) => s.stop(true)));
    },
  };
}

async function forward(client: string, request: Request, upstream: Upstream, requests: RecordedRequest[]): Promise<Response> {
  const url = new URL(request.url);
  const headers = new Headers(request.headers);
  for (const h of ["host", "accept-encoding", "connection", "content-length"]) headers.delete(h);
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
  const record: RecordedRequest = {
    client,
    method: request.method,
    path: url.pathname,
    query: url.search,
    status: 0,
    ...withAttributes(request.method, url),
  };
  requests.push(record);
  let answer: Response;
  try {
    answer = await fetch(upstream.server.replace(/\/+$/, "") + url.pathname + url.search, {
      method: request.method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal: request.signal,
      redirect: "manual",
      tls: { ca: upstream.caPem },
    } as RequestInit);
  } catch (error) {
    record.message = String(error);
    return new Response(`proxy: upstream failed: ${String(error)}`, { status: 502 });
  }
  record.status = answer.status;
  if (answer.status >= 400) {
    const text = await answer.text();
    record.message = statusMessage(text);
    return new Response(text, { status: answer.status, headers: passHeaders(answer.headers) });
  }
  return new Response(answer.body, { status: answer.status, headers: passHeaders(answer.headers) });
}

function withAttributes(method: string, url: URL): { attributes?: ApiRequestAttributes } {
  const attributes = apiRequestAttributes(method, url.pathname, url.searchParams);
  return attributes === undefined ? {} : { attributes };
}

function passHeaders(from: Headers): Headers {
  const headers = new Headers(from);
  for (const h of ["content-length", "content-encoding", "transfer-encoding", "connection"]) headers.delete(h);
  return headers;
}

function statusMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    return typeof body.message === "string" ? body.message : text.slice(0, 300);
  } catch {
    return text.slice(0, 300);
  }
}

/** A P-256 certificate for IP 127.0.0.1, valid one day, made with openssl (the tools/ scripts need it too). */
function selfSignedCertificate(dir: string): { certPem: string; keyPem: string } {
  mkdirSync(dir, { recursive: true });
  const cert = join(dir, "proxy.crt");
  const key = join(dir, "proxy.key");
  const made = Bun.spawnSync(
    ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
      "-subj", "/CN=container-actions deploy e2e proxy", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
    { stdout: "pipe", stderr: "pipe" },
  );
  if (made.exitCode !== 0) throw new Error(`openssl could not make the proxy certificate: ${made.stderr.toString()}`);
  return { certPem: readFileSync(cert, "utf8"), keyPem: readFileSync(key, "utf8") };
}
