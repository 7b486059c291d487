import { describe, expect, test } from "bun:test";
import { parseOptions, type Command, type FlagTable } from "./options.ts";

const command = {
  binary: "container-actions-example",
  summary: "An example command.",
  flags: {
    namespace: { kind: "string", env: "EX_NAMESPACE", default: "default", help: "namespace" },
    mode: { kind: "string", env: "EX_MODE", default: "url", choices: ["url", "service"], help: "mode" },
    kubeconfig: { kind: "string", env: "KUBECONFIG", valueName: "PATH", help: "kubeconfig file" },
    concurrency: { kind: "integer", env: "EX_CONCURRENCY", default: "4", min: 1, max: 1000, help: "keys at once" },
    "resync-period": { kind: "duration", env: "EX_RESYNC_PERIOD", default: "5m", min: 1, help: "resync" },
    "leader-elect": { kind: "boolean", env: "EX_LEADER_ELECT", help: "elect a leader" },
    identity: { kind: "list", env: "EX_IDENTITIES", help: "identities" },
  },
} as const satisfies Command<FlagTable>;

const ok = (argv: string[], env: Record<string, string> = {}) => {
  const got = parseOptions(command, argv, env);
  if (got.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(got)}`);
  return got.values;
};
const problems = (argv: string[], env: Record<string, string> = {}) => {
  const got = parseOptions(command, argv, env);
  if (got.kind !== "invalid") throw new Error(`expected invalid, got ${JSON.stringify(got)}`);
  return got.problems;
};

describe("parseOptions", () => {
  test("defaults, typed: strings, integers, durations in ms, booleans, lists", () => {
    expect(ok([])).toEqual({
      namespace: "default",
      mode: "url",
      kubeconfig: undefined,
      concurrency: 4,
      "resync-period": 300_000,
      "leader-elect": false,
      identity: [],
    });
  });

  test("a flag wins over its variable, which wins over the default; an empty variable is unset", () => {
    expect(ok([], { EX_NAMESPACE: "env-ns" }).namespace).toBe("env-ns");
    expect(ok(["--namespace", "flag-ns"], { EX_NAMESPACE: "env-ns" }).namespace).toBe("flag-ns");
    expect(ok(["--namespace=flag-ns"]).namespace).toBe("flag-ns");
    expect(ok([], { EX_NAMESPACE: "" }).namespace).toBe("default");
    expect(ok([], { EX_RESYNC_PERIOD: "1m30s" })["resync-period"]).toBe(90_000);
  });

  test("booleans: bare flag, --flag=true|false, and the variable", () => {
    expect(ok(["--leader-elect"])["leader-elect"]).toBe(true);
    expect(ok(["--leader-elect=false"], { EX_LEADER_ELECT: "true" })["leader-elect"]).toBe(false);
    expect(ok([], { EX_LEADER_ELECT: "yes" })["leader-elect"]).toBe(true);
    expect(problems(["--leader-elect=maybe"])).toEqual(['--leader-elect "maybe": expected true or false']);
  });

  test("lists: the flag repeats, the variable is comma-separated", () => {
    expect(ok(["--identity", "a", "--identity", "b"]).identity).toEqual(["a", "b"]);
    expect(ok([], { EX_IDENTITIES: "a, b,," }).identity).toEqual(["a", "b"]);
  });

  test("bad values name their source and what was expected; every problem is reported", () => {
    expect(problems(["--concurrency", "0", "--resync-period", "15"], { EX_MODE: "carrier-pigeon" })).toEqual([
      'EX_MODE "carrier-pigeon": expected one of url, service',
      '--concurrency "0": expected an integer from 1 to 1000',
      '--resync-period "15": expected a duration such as 500ms, 30s, 1m30s, 2h',
    ]);
    expect(problems(["--resync-period", "0"])).toEqual(['--resync-period "0": expected a duration of at least 1ms']);
  });

  test("unknown flags, missing values and positionals are problems, not exceptions", () => {
    expect(problems(["--nope"])[0]).toContain("--nope");
    expect(problems(["--namespace"])[0]).toContain("--namespace");
    expect(problems(["stray"])[0]).toContain("stray");
    const withPositionals = parseOptions({ ...command, positionals: true }, ["serve", "--concurrency", "2"]);
    expect(withPositionals).toMatchObject({ kind: "ok", positionals: ["serve"], values: { concurrency: 2 } });
  });

  test("a short alias reads like its long flag and shows in --help", () => {
    const short = { ...command, flags: { ...command.flags, namespace: { ...command.flags.namespace, short: "n" } } } as const;
    expect(parseOptions(short, ["-n", "apps"])).toMatchObject({ kind: "ok", values: { namespace: "apps" } });
    expect(parseOptions(short, ["-h"])).toMatchObject({ kind: "help" });
    const help = parseOptions(short, ["--help"]);
    expect(help.kind === "help" && help.text).toContain("-n, --namespace VALUE");
  });

  test("--help names the binary and lists every flag with its variable and default", () => {
    const got = parseOptions(command, ["--namespace", "x", "--help"]);
    expect(got.kind).toBe("help");
    if (got.kind !== "help") return;
    expect(got.text.split("\n")[0]).toBe("Usage: container-actions-example [flags]");
    expect(got.text).not.toContain("bun ");
    for (const name of Object.keys(command.flags)) expect(got.text).toContain(`--${name}`);
    expect(got.text).toContain("--kubeconfig PATH");
    expect(got.text).toContain("env EX_RESYNC_PERIOD   default 5m");
    expect(got.text).toContain("env EX_IDENTITIES (comma-separated)");
    expect(got.text).toContain("Durations: a number with a unit, or several in a row: 500ms, 30s, 1m30s, 2h.");
  });
});
