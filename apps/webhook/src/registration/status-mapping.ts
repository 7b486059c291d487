/** Turns what @kubernetes/client-node throws into a value: the HTTP status (when there was one) and a message. */

export interface KubeFailure {
  /** HTTP status from the apiserver; undefined for transport errors (refused, TLS, DNS). */
  status?: number;
  detail: string;
}

export function kubeFailure(error: unknown): KubeFailure {
  const e = error as { code?: unknown; body?: unknown; message?: unknown };
  const status = typeof e.code === "number" && e.code >= 100 && e.code < 600 ? e.code : undefined;
  const message = statusMessage(e.body) ?? (typeof e.message === "string" ? e.message : String(error));
  return status === undefined ? { detail: message } : { status, detail: message };
}

function statusMessage(body: unknown): string | undefined {
  if (typeof body === "string") {
    try {
      return statusMessage(JSON.parse(body));
    } catch {
      return body.length > 0 ? body.slice(0, 500) : undefined;
    }
  }
  if (typeof body === "object" && body !== null && typeof (body as { message?: unknown }).message === "string") {
    return (body as { message: string }).message;
  }
  return undefined;
}
