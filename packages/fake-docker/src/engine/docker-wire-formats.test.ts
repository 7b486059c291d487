import { describe, expect, test } from "bun:test";
import { formatGoTime, humanDuration, parseDockerTimestamp, parseGoTime } from "./docker-time.ts";
import { exitCodeAfterSignal, inferProcessBehavior, parseSignal } from "./process-signals.ts";
import { normalizeImageRef } from "./image-table.ts";

describe("docker wire formats", () => {
  test("Go RFC 3339 times: trailing fraction zeros dropped; the zero time", () => {
    expect(formatGoTime(Date.UTC(2026, 0, 1, 12, 0, 0, 120))).toBe("2026-01-01T12:00:00.12Z");
    expect(formatGoTime(Date.UTC(2026, 0, 1))).toBe("2026-01-01T00:00:00Z");
    expect(formatGoTime(undefined)).toBe("0001-01-01T00:00:00Z");
    expect(parseGoTime("0001-01-01T00:00:00Z")).toBeUndefined();
    expect(parseGoTime("2026-11-26T12:28:25.659182294Z")).toBe(Date.UTC(2026, 10, 26, 12, 28, 25, 659));
  });

  test("human durations as docker ps prints them", () => {
    expect(humanDuration(500)).toBe("Less than a second");
    expect(humanDuration(1_000)).toBe("1 second");
    expect(humanDuration(59_000)).toBe("59 seconds");
    expect(humanDuration(61_000)).toBe("About a minute");
    expect(humanDuration(5 * 60_000)).toBe("5 minutes");
    expect(humanDuration(3_600_000)).toBe("About an hour");
    expect(humanDuration(3 * 86_400_000)).toBe("3 days");
  });

  test("event timestamps: seconds with an optional fraction, to nanoseconds", () => {
    expect(parseDockerTimestamp("1795696111.417220854")).toEqual({ kind: "ok", nanos: 1795696111417220854n });
    expect(parseDockerTimestamp("12.5")).toEqual({ kind: "ok", nanos: 12_500_000_000n });
    expect(parseDockerTimestamp("x")).toMatchObject({ kind: "invalid" });
  });

  test("signals: numbers and names with or without SIG; the default is SIGKILL", () => {
    expect(parseSignal(undefined)).toEqual({ kind: "ok", signal: 9 });
    expect(parseSignal("SIGTERM")).toEqual({ kind: "ok", signal: 15 });
    expect(parseSignal("hup")).toEqual({ kind: "ok", signal: 1 });
    expect(parseSignal("15")).toEqual({ kind: "ok", signal: 15 });
    expect(parseSignal("FOO")).toEqual({ kind: "invalid", raw: "FOO" });
  });

  test("PID 1 behaviour: init dies on TERM with 143, a trap exits with its code, sleep ignores TERM", () => {
    expect(exitCodeAfterSignal(inferProcessBehavior(true, ["/bin/sleep", "1"]), 15)).toBe(143);
    expect(exitCodeAfterSignal(inferProcessBehavior(true, ["/bin/sleep", "1"]), 28)).toBeUndefined();
    expect(exitCodeAfterSignal(inferProcessBehavior(false, ["sh", "-c", "trap 'exit 3' TERM; wait"]), 15)).toBe(3);
    expect(exitCodeAfterSignal(inferProcessBehavior(false, ["/bin/sleep", "1"]), 15)).toBeUndefined();
    expect(exitCodeAfterSignal(inferProcessBehavior(false, ["/bin/sleep", "1"]), 9)).toBe(137);
  });

  test("image references normalise as Docker shows them", () => {
    expect(normalizeImageRef("busybox")).toBe("busybox:latest");
    expect(normalizeImageRef("docker.io/library/busybox")).toBe("busybox:latest");
    expect(normalizeImageRef("localhost:5000/x")).toBe("localhost:5000/x:latest");
    expect(normalizeImageRef("local/busybox:1.36")).toBe("local/busybox:1.36");
  });
});
