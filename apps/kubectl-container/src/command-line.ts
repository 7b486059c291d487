/**
 * The plugin's command line, parsed with node's util.parseArgs, and Go/kubectl-style durations
 * (`30s`, `1m30s`, `500ms`). Kept in this one file so it can move to a shared flag helper later.
 */
import { parseArgs } from "node:util";
import { ACTION_NAMES, type ActionName } from "@container-actions/core";

export const USAGE = `usage:
  kubectl container start|stop|pause|unpause|restart NAME|ID [--wait] [--timeout 30s] [--request-id ID] [-n NS] [-o json]
  kubectl container ls [-n NS] [-o json]

NAME|ID is a Docker container name, a full ID or a unique ID prefix (resolved to its Container mirror).

flags:
  -w, --wait            wait for the outcome of this request (status.lastAction with its request id)
      --timeout D       how long --wait waits, as a Go duration: 30s, 1m30s, 500ms (default 30s)
      --request-id ID   the request id to send (default: a fresh UUID); repeat a timed-out one to wait again
  -n, --namespace NS    the namespace of the Container mirrors (default: the context's, else "default")
  -o, --output FORMAT   json, or the default text
      --kubeconfig PATH the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
      --context NAME    the kubeconfig context to use
  -h, --help            this text

exit codes: 0 Succeeded (or written, without --wait), 1 Failed (or not found, superseded, removed
unrun, API unreachable), 2 denied or usage, 3 timeout`;

export interface CommonFlags {
  namespace?: string;
  output: "text" | "json";
  kubeconfig?: string;
  context?: string;
}

export type Command =
  | ({ kind: "action"; action: ActionName; target: string; wait: boolean; timeoutMs: number; requestId?: string } & CommonFlags)
  | ({ kind: "ls" } & CommonFlags)
  | { kind: "help" }
  | { kind: "usage-error"; message: string };

const DEFAULT_TIMEOUT_MS = 30_000;

/** Parses the arguments after `kubectl container`. Never throws: bad input is a usage-error value. */
export function parseCommandLine(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        wait: { type: "boolean", short: "w", default: false },
        timeout: { type: "string" },
        "request-id": { type: "string" },
        namespace: { type: "string", short: "n" },
        output: { type: "string", short: "o" },
        kubeconfig: { type: "string" },
        context: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    return { kind: "usage-error", message: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  const output = values.output ?? "text";
  if (output !== "text" && output !== "json") return { kind: "usage-error", message: `--output must be json (or omitted), got "${output}"` };
  const common: CommonFlags = {
    output,
    ...(values.namespace !== undefined ? { namespace: values.namespace } : {}),
    ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}),
    ...(values.context !== undefined ? { context: values.context } : {}),
  };
  const [verb, ...rest] = positionals;
  if (verb === undefined) return { kind: "usage-error", message: "a command is required: start, stop, pause, unpause, restart or ls" };
  if (verb === "ls" || verb === "list") {
    if (rest.length > 0) return { kind: "usage-error", message: `ls takes no arguments, got "${rest.join(" ")}"` };
    return { kind: "ls", ...common };
  }
  if (!(ACTION_NAMES as readonly string[]).includes(verb)) return { kind: "usage-error", message: `unknown command "${verb}": use start, stop, pause, unpause, restart or ls` };
  if (rest.length !== 1) return { kind: "usage-error", message: `${verb} takes exactly one NAME|ID, got ${rest.length}` };
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (values.timeout !== undefined) {
    const ms = parseDurationMs(values.timeout);
    if (ms === null) return { kind: "usage-error", message: `invalid --timeout "${values.timeout}": use a duration like 30s, 1m30s or 500ms` };
    timeoutMs = ms;
  }
  // The id is the server's to judge (the webhook denies a malformed one), as for any other client.
  const requestId = values["request-id"];
  return { kind: "action", action: verb as ActionName, target: rest[0] as string, wait: values.wait, timeoutMs, ...(requestId !== undefined ? { requestId } : {}), ...common };
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * A Go `time.ParseDuration` string in milliseconds: one or more decimal numbers each with a unit
 * (ns, us, ms, s, m, h), e.g. `1h2m3.5s`; "0" alone is zero. Null for anything else, and for negative
 * durations (a timeout cannot be negative).
 */
export function parseDurationMs(text: string): number | null {
  if (text === "0") return 0;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let totalMs = 0;
  let at = 0;
  while (at < text.length) {
    part.lastIndex = at;
    const m = part.exec(text);
    if (m === null) return null;
    totalMs += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    at = part.lastIndex;
  }
  return at === 0 ? null : Math.round(totalMs);
}
