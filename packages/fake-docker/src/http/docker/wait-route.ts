/**
 * `POST /containers/{id}/wait` on the wire. dockerd (API >= 1.30) commits `200` and its headers as soon
 * as the wait is registered, then sends `{"Error":null,"StatusCode":N}` when the condition holds; the
 * docker CLI relies on the early header (`docker run` registers its wait before it starts the container).
 *
 * Differs from dockerd: Bun.serve sends the head only with the first body byte, so the body starts with
 * one newline (as the event stream does), which JSON decoders skip.
 */
import type { SimulatedDocker } from "../../engine/index.ts";
import { dockerHeaders, toResponse } from "./docker-http-answers.ts";

/** Registers the wait and streams its answer. */
export async function waitResponse(docker: SimulatedDocker, ref: string, condition: string | undefined, json: boolean): Promise<Response> {
  const answer = await docker.wait(ref, { condition });
  if (answer.kind !== "waiting") return toResponse(answer, json);
  const encoder = new TextEncoder();
  let gone = false; // the client hung up (`docker run -d` never reads its wait's answer)
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("\n"));
      void answer.result.then((result) => {
        if (gone) return;
        // Field order as Go encodes ContainerWaitOKBody: Error, then StatusCode.
        controller.enqueue(encoder.encode(`${JSON.stringify({ Error: result.Error, StatusCode: result.StatusCode })}\n`));
        controller.close();
      });
    },
    cancel() {
      gone = true;
    },
  });
  return new Response(stream, { status: 200, headers: dockerHeaders({ "Content-Type": "application/json" }) });
}
