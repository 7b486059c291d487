import { describe, expect, test } from "bun:test";
import { parseCommandLine, parseDurationMs } from "./command-line.ts";

describe("parseDurationMs: Go durations", () => {
  test.each([
    ["30s", 30_000],
    ["1m30s", 90_000],
    ["500ms", 500],
    ["1h", 3_600_000],
    ["1.5s", 1_500],
    ["2m0.5s", 120_500],
    ["0", 0],
    ["100us", 0],
  ])("%s → %d ms", (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  test.each(["", "30", "s", "-1s", "1x", "1s ", " 1s", "1.s2", "1d", "1sm"])("%j is invalid", (text) => {
    expect(parseDurationMs(text)).toBeNull();
  });
});

describe("parseCommandLine", () => {
  test("an action with every flag", () => {
    expect(parseCommandLine(["restart", "web", "--wait", "--timeout", "1m30s", "-n", "apps", "-o", "json", "--kubeconfig", "/k", "--context", "c"])).toEqual({
      kind: "action", action: "restart", target: "web", wait: true, timeoutMs: 90_000, namespace: "apps", output: "json", kubeconfig: "/k", context: "c",
    });
  });
  test("defaults: no wait, 30 s, text", () => {
    expect(parseCommandLine(["stop", "abc123"])).toEqual({ kind: "action", action: "stop", target: "abc123", wait: false, timeoutMs: 30_000, output: "text" });
  });
  test("--request-id is passed as given (the server judges it)", () => {
    expect(parseCommandLine(["stop", "web", "--request-id", "not valid!"])).toMatchObject({ kind: "action", requestId: "not valid!" });
  });
  test("ls", () => expect(parseCommandLine(["ls", "-n", "x"])).toEqual({ kind: "ls", namespace: "x", output: "text" }));
  test.each([
    [[], "a command is required"],
    [["bogus", "web"], 'unknown command "bogus"'],
    [["stop"], "exactly one NAME|ID"],
    [["stop", "a", "b"], "exactly one NAME|ID"],
    [["stop", "a", "--timeout", "soon"], 'invalid --timeout "soon"'],
    [["stop", "a", "-o", "yaml"], "--output must be json"],
    [["stop", "a", "--frobnicate"], "Unknown option"],
    [["ls", "a"], "ls takes no arguments"],
  ])("%j is a usage error naming the problem", (argv, message) => {
    const parsed = parseCommandLine(argv as string[]);
    expect(parsed.kind).toBe("usage-error");
    if (parsed.kind === "usage-error") expect(parsed.message).toContain(message);
  });
  test("help", () => expect(parseCommandLine(["-h"])).toEqual({ kind: "help" }));
});
