/**
 * The one flag and environment convention of every process and CLI: a table of flags goes in, typed
 * values (or the problems, or the `--help` text) come out. Node's util.parseArgs reads argv; this adds
 * what every command repeated by hand: an environment variable per flag (a flag wins over its variable,
 * which wins over the default; an empty variable is unset), the one duration syntax, bounds, choices,
 * and a generated `--help` that names the installed binary.
 */
import { parseArgs } from "node:util";
import { formatDuration, parseDuration } from "./duration.ts";

export type FlagKind = "string" | "boolean" | "integer" | "duration" | "list";

export interface FlagSpec {
  kind: FlagKind;
  help: string;
  /** The environment variable read when the flag is absent. A list's variable is comma-separated. */
  env?: string;
  /** The default, as a user would type it; absent: the value is undefined (a list: empty). */
  default?: string;
  /** What --help shows as the default when it is computed by the caller (e.g. "the --namespace value"). */
  defaultText?: string;
  /** Bounds: an integer's value, a duration's milliseconds. */
  min?: number;
  max?: number;
  /** The accepted values of a string flag. */
  choices?: readonly string[];
  /** The placeholder in --help: `--port PORT`. */
  valueName?: string;
  /** A one-letter alias, where the command mirrors a tool that has one (kubectl's `-n`). */
  short?: string;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

type ValueOf<S> = S extends { kind: "boolean" }
  ? boolean
  : S extends { kind: "list" }
    ? string[]
    : S extends { kind: "integer" | "duration" }
      ? S extends { default: string }
        ? number
        : number | undefined
      : S extends { default: string }
        ? string
        : string | undefined;

/** The parsed values: booleans, strings, integers, durations in milliseconds, lists. */
export type OptionValues<T extends FlagTable> = { -readonly [K in keyof T]: ValueOf<T[K]> };

export interface Command<T extends FlagTable> {
  /** The installed binary's name, as --help prints it (e.g. container-actions-controller). */
  binary: string;
  summary: string;
  flags: T;
  /** Usage lines after the binary name; default "[flags]". Positionals are refused unless `positionals`. */
  usage?: readonly string[];
  positionals?: boolean;
}

export type ParseResult<T extends FlagTable> =
  | { kind: "ok"; values: OptionValues<T>; positionals: string[] }
  | { kind: "help"; text: string }
  | { kind: "invalid"; problems: string[] };

export type Env = Readonly<Record<string, string | undefined>>;

const TRUE = ["true", "1", "yes"];
const FALSE = ["false", "0", "no"];

export function parseOptions<T extends FlagTable>(command: Command<T>, argv: readonly string[], env: Env = {}): ParseResult<T> {
  if (argv.includes("--help") || argv.includes("-h")) return { kind: "help", text: helpText(command) };
  const problems: string[] = [];
  // parseArgs takes no value on a boolean flag; `--leader-elect=false` is still what people write.
  const booleanValues = new Map<string, string>();
  const args = argv.filter((arg) => {
    const m = /^--([^=]+)=(.*)$/.exec(arg);
    if (m === null || command.flags[m[1]!]?.kind !== "boolean") return true;
    booleanValues.set(m[1]!, m[2]!);
    return false;
  });
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: command.positionals ?? false,
      options: Object.fromEntries(
        Object.entries(command.flags).map(([name, spec]) => [
          name,
          { type: spec.kind === "boolean" ? ("boolean" as const) : ("string" as const), multiple: spec.kind === "list", ...(spec.short !== undefined ? { short: spec.short } : {}) },
        ]),
      ),
    });
  } catch (error) {
    return { kind: "invalid", problems: [`${error instanceof Error ? error.message : String(error)} (see --help)`] };
  }
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(command.flags)) {
    const fromFlag = booleanValues.get(name) ?? parsed.values[name];
    const fromEnv = spec.env !== undefined && env[spec.env] !== "" ? env[spec.env] : undefined;
    const source = fromFlag !== undefined ? `--${name}` : fromEnv !== undefined ? `${spec.env}` : `the default of --${name}`;
    const raw = fromFlag ?? fromEnv ?? spec.default;
    const problem = (what: string) => problems.push(`${source} ${JSON.stringify(String(raw))}: ${what}`);
    values[name] = convert(spec, raw, fromFlag !== undefined, problem);
  }
  if (problems.length > 0) return { kind: "invalid", problems };
  return { kind: "ok", values: values as OptionValues<T>, positionals: parsed.positionals };
}

function convert(spec: FlagSpec, raw: string | boolean | (string | boolean)[] | undefined, fromFlag: boolean, problem: (what: string) => void): unknown {
  if (spec.kind === "list") {
    if (raw === undefined) return [];
    const items = Array.isArray(raw) ? raw.map(String) : fromFlag ? [String(raw)] : String(raw).split(",");
    return items.map((s) => s.trim()).filter((s) => s !== "");
  }
  if (raw === undefined) return spec.kind === "boolean" ? false : undefined;
  const text = String(Array.isArray(raw) ? raw[raw.length - 1] : raw);
  switch (spec.kind) {
    case "boolean": {
      const lower = text.toLowerCase();
      if (TRUE.includes(lower)) return true;
      if (FALSE.includes(lower)) return false;
      return problem("expected true or false");
    }
    case "integer": {
      const n = Number(text);
      if (!/^\d+$/.test(text) || !inBounds(n, spec)) return problem(`expected an integer${boundsText(spec, String)}`);
      return n;
    }
    case "duration": {
      const d = parseDuration(text);
      if (d.kind === "invalid") return problem("expected a duration such as 500ms, 30s, 1m30s, 2h");
      if (!inBounds(d.ms, spec)) return problem(`expected a duration${boundsText(spec, formatDuration)}`);
      return d.ms;
    }
    case "string":
      if (spec.choices !== undefined && !spec.choices.includes(text)) return problem(`expected one of ${spec.choices.join(", ")}`);
      return text;
  }
}

function inBounds(n: number, spec: FlagSpec): boolean {
  return (spec.min === undefined || n >= spec.min) && (spec.max === undefined || n <= spec.max);
}

function boundsText(spec: FlagSpec, show: (n: number) => string): string {
  if (spec.min !== undefined && spec.max !== undefined) return ` from ${show(spec.min)} to ${show(spec.max)}`;
  if (spec.min !== undefined) return ` of at least ${show(spec.min)}`;
  if (spec.max !== undefined) return ` of at most ${show(spec.max)}`;
  return "";
}

const PLACEHOLDER: Record<FlagKind, string> = { string: "VALUE", boolean: "", integer: "N", duration: "DURATION", list: "VALUE" };

/** The `--help` text: usage with the binary's name, the summary, then every flag, its variable and default. */
export function helpText<T extends FlagTable>(command: Command<T>): string {
  const usage = command.usage ?? ["[flags]"];
  const lines = usage.map((u, i) => `${i === 0 ? "Usage:" : "      "} ${command.binary} ${u}`);
  lines.push("", command.summary, "", "Flags (a flag wins over its environment variable, which wins over the default):");
  for (const [name, spec] of Object.entries(command.flags)) {
    const placeholder = spec.valueName ?? PLACEHOLDER[spec.kind];
    const alias = spec.short !== undefined ? `-${spec.short}, ` : "";
    lines.push(`  ${alias}--${name}${placeholder === "" ? "" : ` ${placeholder}`}${spec.kind === "list" ? " (repeatable)" : ""}`);
    lines.push(`      ${spec.help}${spec.choices !== undefined ? ` (${spec.choices.join(", ")})` : ""}`);
    const facts = [
      ...(spec.env !== undefined ? [`env ${spec.env}${spec.kind === "list" ? " (comma-separated)" : ""}`] : []),
      ...(spec.defaultText !== undefined || spec.default !== undefined ? [`default ${spec.defaultText ?? spec.default}`] : []),
    ];
    if (facts.length > 0) lines.push(`      ${facts.join("   ")}`);
  }
  lines.push("  --help, -h", "      print this text and exit");
  if (Object.values(command.flags).some((s) => s.kind === "duration")) lines.push("", "Durations: a number with a unit, or several in a row: 500ms, 30s, 1m30s, 2h.");
  return `${lines.join("\n")}\n`;
}
