/**
 * The wire face's listener: a Bun.listen front that reads each request head on a connection, serves a
 * hijacked attach itself (attach-route.ts) and pipes every other request, head and body, to Bun.serve on
 * a private loopback port, whose answers flow back unchanged. Clients reuse keep-alive connections
 * (dockerode's agent does), so the front follows request boundaries: `Content-Length` bodies are
 * counted; after a chunked body it just pipes the rest of the connection.
 */
import type { Socket } from "bun";
import type { SimulatedDocker } from "../../engine/index.ts";
import { attachRequest, serveAttach } from "./attach-route.ts";
import { SocketOutbox } from "./socket-outbox.ts";

const HEAD_END = Buffer.from("\r\n\r\n");

/** The connection to Bun.serve that carries one client connection's ordinary requests. */
interface Upstream {
  out: SocketOutbox;
  socket: Socket<unknown> | undefined;
  /** Set when the front drops it for an attach: its close must not end the client connection. */
  dropped: boolean;
}

/** One client connection: where it is in its byte stream, and what serves it. */
interface FrontConnection {
  /** Reading a head, passing a body of `bodyLeft` bytes, piping everything (after a chunked body), or serving an attach. */
  mode: "head" | "body" | "pipe" | "attach";
  pending: Buffer;
  bodyLeft: number;
  toClient: SocketOutbox;
  upstream: Upstream | undefined;
  onClose: (() => void) | undefined;
}

/** How a request's body ends: after `Content-Length` bytes, or chunked (the front then stops following). */
function bodyFraming(head: string): { kind: "length"; bytes: number } | { kind: "chunked" } {
  const lines = head.split("\r\n").slice(1);
  if (lines.some((l) => /^transfer-encoding\s*:.*chunked/i.test(l))) return { kind: "chunked" };
  const length = lines.map((l) => /^content-length\s*:\s*(\d+)\s*$/i.exec(l)?.[1]).find((v) => v !== undefined);
  return { kind: "length", bytes: length === undefined ? 0 : Number(length) };
}

/** Listens on `listen`; ordinary requests go to the Bun.serve on 127.0.0.1:`upstreamPort`. */
export function listenWithAttach(
  docker: SimulatedDocker,
  listen: { unix: string } | { port: number },
  upstreamPort: number,
): { port: number | undefined; stop(closeActive?: boolean): void } {
  const upstreamOf = (client: Socket<FrontConnection>): Upstream => {
    const state = client.data;
    if (state.upstream !== undefined) return state.upstream;
    const upstream: Upstream = { out: new SocketOutbox(), socket: undefined, dropped: false };
    state.upstream = upstream;
    void Bun.connect({
      hostname: "127.0.0.1",
      port: upstreamPort,
      socket: {
        open: (up) => {
          upstream.socket = up;
          upstream.out.attach(up);
        },
        data: (_up, chunk) => {
          if (!upstream.dropped) state.toClient.write(chunk);
        },
        drain: () => upstream.out.drain(),
        close: () => {
          if (!upstream.dropped) state.toClient.end();
        },
        error: () => {
          if (!upstream.dropped) client.end();
        },
      },
    }).catch(() => {
      client.end();
    });
    return upstream;
  };

  /** Moves through the bytes received so far, request by request. */
  const advance = (client: Socket<FrontConnection>) => {
    const state = client.data;
    for (;;) {
      if (state.mode === "body") {
        const n = Math.min(state.bodyLeft, state.pending.length);
        if (n > 0) upstreamOf(client).out.write(state.pending.subarray(0, n));
        state.pending = state.pending.subarray(n);
        state.bodyLeft -= n;
        if (state.bodyLeft > 0) return;
        state.mode = "head";
      }
      if (state.mode !== "head") return;
      const end = state.pending.indexOf(HEAD_END);
      if (end < 0) return;
      const head = state.pending.subarray(0, end).toString("latin1");
      const attach = attachRequest(head);
      if (attach !== undefined) {
        state.mode = "attach"; // what follows is stdin, which is not read
        state.pending = Buffer.alloc(0);
        if (state.upstream !== undefined) {
          state.upstream.dropped = true;
          state.upstream.socket?.end();
        }
        void serveAttach(docker, state.toClient, attach.ref, attach.params).then((close) => (state.onClose = close));
        return;
      }
      const upstream = upstreamOf(client);
      upstream.out.write(state.pending.subarray(0, end + HEAD_END.length));
      state.pending = state.pending.subarray(end + HEAD_END.length);
      const framing = bodyFraming(head);
      if (framing.kind === "chunked") {
        state.mode = "pipe";
        upstream.out.write(state.pending);
        state.pending = Buffer.alloc(0);
        return;
      }
      state.mode = "body";
      state.bodyLeft = framing.bytes;
    }
  };

  const handlers = {
    open(client: Socket<FrontConnection>) {
      const toClient = new SocketOutbox();
      toClient.attach(client as Socket<unknown>);
      client.data = { mode: "head", pending: Buffer.alloc(0), bodyLeft: 0, toClient, upstream: undefined, onClose: undefined };
    },
    data(client: Socket<FrontConnection>, chunk: Buffer) {
      const state = client.data;
      if (state.mode === "attach") return;
      if (state.mode === "pipe") return void upstreamOf(client).out.write(chunk);
      state.pending = Buffer.concat([state.pending, chunk]);
      advance(client);
    },
    // The docker CLI half-closes an attach it has no stdin for and still reads the output: keep sending.
    end(client: Socket<FrontConnection>) {
      const state = client.data;
      if (state.mode === "attach") return;
      if (state.upstream !== undefined) state.upstream.out.end();
      else client.end();
    },
    drain(client: Socket<FrontConnection>) {
      client.data.toClient.drain();
    },
    close(client: Socket<FrontConnection>) {
      client.data.onClose?.();
      client.data.upstream?.socket?.end();
    },
    error(client: Socket<FrontConnection>) {
      client.end();
    },
  };
  if ("unix" in listen) {
    const listener = Bun.listen<FrontConnection>({ unix: listen.unix, socket: handlers, allowHalfOpen: true });
    return { port: undefined, stop: (closeActive) => listener.stop(closeActive) };
  }
  const listener = Bun.listen<FrontConnection>({ hostname: "127.0.0.1", port: listen.port, socket: handlers, allowHalfOpen: true });
  return { port: listener.port, stop: (closeActive) => listener.stop(closeActive) };
}
