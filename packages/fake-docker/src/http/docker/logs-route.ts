/**
 * `GET /containers/{id}/logs` on the wire: the container's writes as a multiplexed stream (no TTY is
 * modelled), past ones at once and, with `follow`, later ones until the container stops. dockerd 20.10
 * sends no Content-Type here.
 */
import type { LogsRequest, SimulatedDocker } from "../../engine/index.ts";
import { dockerHeaders, toResponse } from "./docker-http-answers.ts";
import { logFrame } from "./log-frames.ts";

/** Reads the logs and streams them as frames. */
export async function logsResponse(docker: SimulatedDocker, ref: string, request: LogsRequest, timestamps: boolean, abort: AbortSignal, json: boolean): Promise<Response> {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let closed = false;
  const early: Uint8Array[] = [];
  let endedEarly = false;
  const send = (chunk: Uint8Array) => {
    if (controller === undefined) early.push(chunk);
    else if (!closed) controller.enqueue(chunk);
  };
  const end = () => {
    if (controller === undefined) endedEarly = true;
    else if (!closed) {
      closed = true;
      controller.close();
    }
  };
  const answer = await docker.logs(ref, request, (entry) => send(logFrame(entry, timestamps)), end);
  if (answer.kind !== "logs") return toResponse(answer, json);
  const follow = answer.follow;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      for (const entry of answer.past) c.enqueue(logFrame(entry, timestamps));
      for (const chunk of early) c.enqueue(chunk);
      if (follow === undefined || endedEarly) {
        closed = true;
        c.close();
      }
    },
    cancel() {
      closed = true;
      follow?.close();
    },
  });
  abort.addEventListener("abort", () => follow?.close());
  return new Response(stream, { status: 200, headers: dockerHeaders() });
}
