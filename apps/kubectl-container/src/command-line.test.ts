import { describe, expect, test } from "bun:test";
import { parseCommandLine, USAGE } from "./command-line.ts";

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
    [["stop", "a", "--timeout", "soon"], '--timeout "soon": expected a duration'],
    [["stop", "a", "-o", "yaml"], '--output "yaml": expected one of text, json'],
    [["stop", "a", "--frobnicate"], "Unknown option"],
    [["ls", "a"], "ls takes no arguments"],
  ])("%j is a usage error naming the problem", (argv, message) => {
    const parsed = parseCommandLine(argv as string[]);
    expect(parsed.kind).toBe("usage-error");
    if (parsed.kind === "usage-error") expect(parsed.message).toContain(message);
  });
  test("help", () => expect(parseCommandLine(["-h"])).toEqual({ kind: "help" }));
  test("--help names the plugin as kubectl runs it, with kubectl's short flags", () => {
    expect(USAGE).toContain("Usage: kubectl container start|stop|pause|unpause|restart NAME|ID");
    expect(USAGE).toContain("-n, --namespace NS");
  });
});
