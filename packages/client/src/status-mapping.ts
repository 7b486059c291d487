/**
 * client-node's errors as {@link ApiAnswer} kinds: the one place that reads HTTP status codes and the
 * server's Status message.
 */
import type { ApiAnswer } from "./container-api.ts";

/** The failure kinds of an API call, from whatever client-node threw. */
export function answerOfError(error: unknown): Exclude<ApiAnswer<never>, { kind: "ok" }> {
  const e = error as { code?: unknown; body?: unknown };
  const code = typeof e?.code === "number" ? e.code : undefined;
  if (code === undefined) return { kind: "unavailable", detail: error instanceof Error ? error.message : String(error) };
  const message = statusMessage(e.body) ?? `HTTP ${code}`;
  if (code === 404) return { kind: "not-found", message };
  if (code === 429 || code >= 500) return { kind: "unavailable", detail: `HTTP ${code}: ${message}` };
  return { kind: "refused", code, message };
}

/** The `message` of a Kubernetes Status body, given as text or as parsed JSON. */
function statusMessage(body: unknown): string | undefined {
  if (typeof body === "string") {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? (body === "" ? undefined : body);
    } catch {
      return body === "" ? undefined : body;
    }
  }
  if (body !== null && typeof body === "object" && typeof (body as { message?: unknown }).message === "string") return (body as { message: string }).message;
  return undefined;
}
