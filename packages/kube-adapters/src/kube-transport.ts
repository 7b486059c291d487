/**
 * One HTTP request to the Kubernetes API, and its answer as a value. Every read and write of the
 * controller (except the informer's list and watch, which go through client-node) passes here, so this
 * is where requests are counted.
 */

/** The API verb, as Kubernetes names it (for metrics and logs). */
export type KubeVerb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete";

/** Who made a request: the label that tells the action protocol's writes from the rest. */
export type KubeCaller = "action" | "mirror" | "informer" | "events" | "leader" | "setup";

export interface KubeRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Absolute API path, e.g. `/apis/<group>/<version>/namespaces/<ns>/containers/<name>/status`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Defaults to application/json when a body is sent. */
  contentType?: string;
  verb: KubeVerb;
  /** Plural resource, with `/subresource` when one is addressed: `containers/status`. */
  resource: string;
  caller: KubeCaller;
}

export type KubeAnswer =
  /** The server answered, with any HTTP status. `body` is parsed JSON when the answer was JSON. */
  | { kind: "answered"; status: number; body: unknown }
  /** No HTTP answer: connection refused or reset, TLS failure, timeout. */
  | { kind: "failed"; detail: string };

/** Sends requests to the API server. Never throws for a network or HTTP failure: those are answers. */
export interface KubeTransport {
  send(request: KubeRequest): Promise<KubeAnswer>;
}

/** Told about every request once it has an answer, with the metrics code label (`200`, `409`, `error`). */
export type KubeRequestObserver = (request: Pick<KubeRequest, "verb" | "resource" | "caller">, code: string) => void;

/** What a request needs from the kubeconfig: the server, TLS material and auth headers. */
export interface KubeConnection {
  server: string;
  tls: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer; rejectUnauthorized?: boolean; serverName?: string };
  headers: Record<string, string>;
}

export interface FetchKubeTransportOptions {
  /** Called per request; may cache (tokens rotate, so it is not read once at startup). */
  connection: () => Promise<KubeConnection>;
  /** Per-request deadline. */
  timeoutMs: number;
  observe?: KubeRequestObserver;
  /** Injected for tests; Bun's fetch by default. */
  fetch?: typeof fetch;
}

/**
 * {@link KubeTransport} over Bun's fetch with the kubeconfig's TLS options (custom CA, client
 * certificates, skipTLSVerify), which Bun's fetch honours through its `tls` option.
 */
export class FetchKubeTransport implements KubeTransport {
  constructor(private readonly options: FetchKubeTransportOptions) {}

  async send(request: KubeRequest): Promise<KubeAnswer> {
    const answer = await this.exchange(request);
    this.options.observe?.(request, answer.kind === "answered" ? String(answer.status) : "error");
    return answer;
  }

  private async exchange(request: KubeRequest): Promise<KubeAnswer> {
    try {
      const connection = await this.options.connection();
      const url = new URL(connection.server.replace(/\/+$/, "") + request.path);
      for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, v);
      const headers: Record<string, string> = { ...connection.headers, Accept: "application/json" };
      let body: string | undefined;
      if (request.body !== undefined) {
        body = JSON.stringify(request.body);
        headers["Content-Type"] = request.contentType ?? "application/json";
      }
      const doFetch = this.options.fetch ?? fetch;
      const response = await doFetch(url, {
        method: request.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
        tls: connection.tls,
      } as RequestInit);
      const text = await response.text();
      return { kind: "answered", status: response.status, body: parseAnswerBody(text) };
    } catch (error) {
      return { kind: "failed", detail: describeFailure(error) };
    }
  }
}

/** How a transport reads an answer's body: "" → undefined, JSON when it parses, the text otherwise. */
export function parseAnswerBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && !error.message.includes(code) ? `${code}: ${error.message}` : `${error.name}: ${error.message}`;
  }
  return String(error);
}
