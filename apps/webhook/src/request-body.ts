/**
 * Reads a request body as JSON with a size cap, reporting every problem as a value. The cap is checked
 * on Content-Length first and again while streaming, so an oversized body is never buffered whole.
 */

export type BodyRead =
  | { kind: "json"; value: unknown }
  | { kind: "too-large"; limitBytes: number }
  | { kind: "empty" }
  | { kind: "not-json"; detail: string };

export async function readJsonBody(request: Request, limitBytes: number): Promise<BodyRead> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limitBytes) return { kind: "too-large", limitBytes };
  if (request.body === null) return { kind: "empty" };
  // Fast path: a declared length within the cap (what the apiserver sends) is read in one piece.
  const text = Number.isFinite(declared) ? await request.text() : await readCapped(request.body, limitBytes);
  if (text === undefined || Buffer.byteLength(text) > limitBytes) return { kind: "too-large", limitBytes };
  if (text.length === 0) return { kind: "empty" };
  try {
    return { kind: "json", value: JSON.parse(text) };
  } catch (error) {
    return { kind: "not-json", detail: error instanceof Error ? error.message : String(error) };
  }
}

/** The body as text, or undefined once it passes `limitBytes` (the rest is not read). */
async function readCapped(body: ReadableStream<Uint8Array>, limitBytes: number): Promise<string | undefined> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
