/**
 * The plugin's command line, on the project's one flag convention (@container-actions/cli-options:
 * util.parseArgs, Go durations such as `30s`, `1m30s`, `500ms`), with kubectl's short flags.
 */
import { helpText, parseOptions, type Command as CliCommand, type FlagTable } from "@container-actions/cli-options";
import { ACTION_NAMES, type ActionName } from "@container-actions/core";

const PLUGIN = {
  binary: "kubectl container",
  summary: `Requests an action on a Docker container's Container mirror and reports its outcome.
NAME|ID is a Docker container name, a full ID or a unique ID prefix (resolved to its Container mirror).
Exit codes: 0 Succeeded (or written, without --wait), 1 Failed (or not found, superseded, removed
unrun, API unreachable), 2 denied or usage, 3 timeout.`,
  usage: ["start|stop|pause|unpause|restart NAME|ID [--wait] [--timeout 30s] [--request-id ID] [-n NS] [-o json]", "ls [-n NS] [-o json]"],
  positionals: true,
  flags: {
    wait: { kind: "boolean", short: "w", help: "wait for the outcome of this request (status.lastAction with its request id)" },
    timeout: { kind: "duration", default: "30s", help: "how long --wait waits" },
    "request-id": { kind: "string", valueName: "ID", defaultText: "a fresh UUID", help: "the request id to send; repeat a timed-out one to wait again" },
    namespace: { kind: "string", short: "n", valueName: "NS", defaultText: 'the context\'s, else "default"', help: "the namespace of the Container mirrors" },
    output: { kind: "string", short: "o", valueName: "FORMAT", choices: ["text", "json"], default: "text", help: "the output format" },
    // No env binding: $KUBECONFIG may list several files, which client-node's loadFromDefault merges as kubectl does.
    kubeconfig: { kind: "string", valueName: "PATH", defaultText: "$KUBECONFIG, else ~/.kube/config", help: "the kubeconfig file" },
    context: { kind: "string", valueName: "NAME", help: "the kubeconfig context to use" },
  },
} as const satisfies CliCommand<FlagTable>;

export const USAGE = helpText(PLUGIN);

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

/** Parses the arguments after `kubectl container`. Never throws: bad input is a usage-error value. */
export function parseCommandLine(argv: readonly string[]): Command {
  const parsed = parseOptions(PLUGIN, argv);
  if (parsed.kind === "help") return { kind: "help" };
  if (parsed.kind === "invalid") return { kind: "usage-error", message: parsed.problems.join("\n") };
  const { values, positionals } = parsed;
  const common: CommonFlags = {
    output: values.output as CommonFlags["output"],
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
  // The id is the server's to judge (the webhook denies a malformed one), as for any other client.
  const requestId = values["request-id"];
  return { kind: "action", action: verb as ActionName, target: rest[0] as string, wait: values.wait, timeoutMs: values.timeout, ...(requestId !== undefined ? { requestId } : {}), ...common };
}
