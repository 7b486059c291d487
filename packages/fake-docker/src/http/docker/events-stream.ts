/**
 * `GET /events` on the wire: the model's subscription as a stream of newline-delimited JSON, open until
 * `until` passes on the virtual clock or the client goes away.
 *
 * Differs from dockerd: Bun.serve sends the response head only with the first body chunk, and dockerd
 * commits it at once (clients such as dockerode's `getEvents()` wait for it). So a stream that opens with
 * nothing to replay starts with one blank line, which JSON stream decoders skip as whitespace.
 */
import { eventToJson, type EventsQuery, type SimulatedDocker } from "../../engine/index.ts";
import { dockerHeaders, toResponse } from "./docker-http-answers.ts";

/** Subscribes to the model's events and streams them; an invalid query gets dockerd's error answer. */
export async function eventsResponse(docker: SimulatedDocker, query: EventsQuery, abort: AbortSignal): Promise<Response> {
  const encoder = new TextEncoder();
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let closed = false;
  const early: Uint8Array[] = []; // replayed before the stream exists
  const close = () => {
    if (closed) return;
    closed = true;
    controller?.close();
  };
  const answer = await docker.events(
    query,
    (event) => {
      const chunk = encoder.encode(`${eventToJson(event)}\n`);
      if (controller === undefined) early.push(chunk);
      else if (!closed) controller.enqueue(chunk);
    },
    close,
  );
  if (answer.kind !== "subscribed") return toResponse(answer);
  const { subscription } = answer;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      for (const chunk of early) c.enqueue(chunk);
      if (early.length === 0 && !closed) c.enqueue(encoder.encode("\n"));
      if (closed) c.close();
    },
    cancel() {
      closed = true;
      subscription.close();
    },
  });
  abort.addEventListener("abort", () => {
    subscription.close();
    close();
  });
  return new Response(stream, { status: 200, headers: dockerHeaders({ "Content-Type": "application/json" }) });
}
