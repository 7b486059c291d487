/**
 * Writing to a Bun socket without losing bytes: `write` may take only part of a buffer when the peer is
 * slow, so the rest waits here until the socket drains; `end` closes once everything is out.
 */
import type { Socket } from "bun";

export class SocketOutbox {
  private readonly queue: Uint8Array[] = [];
  private socket: Socket<unknown> | undefined;
  private ending = false;

  /** The socket to write to; writes before it is known wait. */
  attach(socket: Socket<unknown>): void {
    this.socket = socket;
    this.drain();
  }

  write(bytes: Uint8Array | string): void {
    this.queue.push(typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes);
    if (this.queue.length === 1) this.drain();
  }

  end(): void {
    this.ending = true;
    this.drain();
  }

  /** Writes what the socket takes now; call it from the socket's `drain` handler. */
  drain(): void {
    const socket = this.socket;
    if (socket === undefined) return;
    while (this.queue.length > 0) {
      const head = this.queue[0] as Uint8Array;
      const written = socket.write(head);
      if (written < head.length) {
        this.queue[0] = head.subarray(Math.max(0, written));
        return;
      }
      this.queue.shift();
    }
    if (this.ending) socket.end();
  }
}
