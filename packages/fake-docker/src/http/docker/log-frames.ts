/**
 * Docker's multiplexed stream (stdcopy): each write framed by 8 bytes, the stream number (1 stdout,
 * 2 stderr), three zero bytes and the payload's length as a big-endian uint32. Logs and attach of a
 * container without a TTY use it.
 */
import type { LogEntry } from "../../engine/index.ts";

/** `2006-01-02T15:04:05.000000000Z`: Docker's fixed-width RFC 3339 (jsonmessage.RFC3339NanoFixed). */
export function fixedNanoTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, -1)}000000Z`;
}

/** One entry as a frame, its text prefixed by its time when `timestamps`. */
export function logFrame(entry: LogEntry, timestamps: boolean): Uint8Array {
  const payload = new TextEncoder().encode(timestamps ? `${fixedNanoTime(entry.timeMs)} ${entry.text}` : entry.text);
  const frame = new Uint8Array(8 + payload.length);
  frame[0] = entry.stream;
  new DataView(frame.buffer).setUint32(4, payload.length);
  frame.set(payload, 8);
  return frame;
}
