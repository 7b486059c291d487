import { describe, expect, test } from "bun:test";
import { ReconnectBackoff } from "./reconnect-backoff.ts";

describe("reconnect backoff", () => {
  test("doubles from the base to the cap, and starts over after a reset", () => {
    const b = new ReconnectBackoff({ baseMs: 100, maxMs: 1000 });
    expect([1, 2, 3, 4, 5, 6].map(() => b.nextDelayMs())).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(b.attempts()).toBe(6);
    b.reset();
    expect(b.nextDelayMs()).toBe(100);
  });
});
