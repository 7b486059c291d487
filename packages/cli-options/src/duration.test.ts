import { describe, expect, test } from "bun:test";
import { formatDuration, parseDuration } from "./duration.ts";

describe("parseDuration (Go/kubectl syntax)", () => {
  test.each([
    ["500ms", 500],
    ["30s", 30_000],
    ["1m30s", 90_000],
    ["2h", 7_200_000],
    ["1.5h", 5_400_000],
    ["1h2m3s4ms", 3_723_004],
    ["0", 0],
    ["0s", 0],
  ])("%s is %d ms", (text, ms) => {
    expect(parseDuration(text)).toEqual({ kind: "ok", ms });
  });

  test.each(["", "15", "10 s", "-1s", "1d", "1us", "s", "1m30", "ms5"])("%p is refused with the expected syntax", (text) => {
    const got = parseDuration(text);
    expect(got.kind).toBe("invalid");
    if (got.kind === "invalid") expect(got.error).toContain("1m30s");
  });

  test("formatDuration prints what parseDuration reads back", () => {
    for (const ms of [0, 1, 500, 1_000, 90_000, 3_723_004, 7_200_000]) {
      expect(parseDuration(formatDuration(ms))).toEqual({ kind: "ok", ms });
    }
    expect(formatDuration(90_000)).toBe("1m30s");
  });
});
