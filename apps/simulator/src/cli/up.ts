/**
 * `npm start` (README quick start, command 1): the whole system on embedded defaults — a cluster, a
 * Docker engine, the webhook and controller processes, the web console and the control API — until
 * Ctrl-C or SIGTERM, which stops everything by PID and exits 0.
 *
 *   container-actions-sim up [--port 8080] [--docker auto|simulated|real] [--kubeconfig PATH]
 */
import { helpText, parseOptions, type Command, type FlagTable } from "@container-actions/cli-options";
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DockerChoice, startStack, type Stack, type StackOptions } from "./stack.ts";

const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** `container-actions-sim up`'s flags: the one table its --help is generated from. */
export const UP_COMMAND = {
  binary: "container-actions-sim up",
  summary: `Starts, wired together: the fake kube-apiserver (or the cluster of --kubeconfig), a Docker engine (a
real one when DOCKER_HOST or /var/run/docker.sock answers, else the simulated one), the admission
webhook and the controller (logs in the state folder), three demo containers, the web console and the
control API. Ctrl-C stops everything.`,
  flags: {
    port: { kind: "integer", default: "8080", min: 1, max: 65_535, help: "console port on 127.0.0.1" },
    "control-port": { kind: "integer", default: "0", min: 0, max: 65_535, help: "control API port on 127.0.0.1 (0: any free port, printed)" },
    "kube-port": { kind: "integer", default: "0", min: 0, max: 65_535, help: "the simulated apiserver's port (0: any free port)" },
    docker: { kind: "string", default: "auto", choices: Object.keys(DockerChoice), help: "which Docker engine" },
    kubeconfig: { kind: "string", valueName: "PATH", help: "run against this cluster instead of the simulated apiserver (installs the CRD if missing)" },
    namespace: { kind: "string", default: "default", help: "namespace of the Container mirrors" },
    "state-dir": { kind: "string", default: `${REPO_ROOT}.cache/up`, defaultText: ".cache/up", valueName: "DIR", help: "kubeconfig, sockets, certificates and logs" },
    "no-seed": { kind: "boolean", help: "do not start the demo containers" },
    "skip-webhook": { kind: "boolean", help: "do not start the admission webhook" },
  },
} as const satisfies Command<FlagTable>;

/** The stack's options that come from the command line. */
export type UpOptions = Omit<StackOptions, "repoRoot" | "say">;

/** Parses the flags; a string is a usage error to print. */
export function parseUpArgs(argv: string[]): UpOptions | "help" | string {
  const parsed = parseOptions(UP_COMMAND, argv);
  if (parsed.kind === "help") return "help";
  if (parsed.kind === "invalid") return parsed.problems.join("\n");
  const values = parsed.values;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(values.namespace)) return `--namespace must be a DNS label, got "${values.namespace}"`;
  return {
    stateDir: resolve(values["state-dir"]),
    consolePort: values.port,
    controlPort: values["control-port"],
    kubePort: values["kube-port"],
    docker: values.docker as DockerChoice,
    ...(values.kubeconfig !== undefined ? { kubeconfig: resolve(values.kubeconfig) } : {}),
    namespace: values.namespace,
    seed: !values["no-seed"],
    webhook: !values["skip-webhook"],
  };
}

export async function main(argv: string[]): Promise<number> {
  const options = parseUpArgs(argv);
  if (options === "help") return print(helpText(UP_COMMAND), 0);
  if (typeof options === "string") return print(`${options}\n\n${helpText(UP_COMMAND)}`, 64);
  const shown = (p: string) => (p.startsWith(REPO_ROOT) ? relative(process.cwd(), p) || "." : p);
  console.log(`Starting container-actions (state in ${shown(options.stateDir)})`);

  let stack: Stack | undefined;
  let stopping: Promise<number> | undefined;
  const stop = (signal: string): Promise<number> => {
    if (stopping) {
      // A second Ctrl-C: no more waiting.
      console.log(`\n${signal} again: killing the children now`);
      for (const child of stack?.children ?? []) child.kill();
      process.exit(130);
    }
    stopping = (async () => {
      console.log(`\n${signal}: stopping (children by PID, then the servers)…`);
      await stack?.stop();
      console.log("Stopped.");
      return 0;
    })();
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals) => void stop(signal).then((code) => process.exit(code));
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    stack = await startStack({ ...options, repoRoot: REPO_ROOT, say: (line) => console.log(`  ${line}`) });
  } catch (error) {
    const e = error as { code?: string; message?: string };
    console.error(`\nup failed${e.code ? ` (${e.code})` : ""}: ${e.message ?? String(error)}`);
    return 1;
  }
  if (stopping) return stopping;
  for (const child of stack.children) {
    void child.exited.then((code) => {
      if (!stopping) console.error(`! ${child.name} (pid ${child.pid}) exited with code ${code}; see ${shown(child.logPath)}`);
    });
  }
  const notes = stack.view().notes;
  console.log(
    [
      "",
      ...(notes.length > 0 ? ["Notes:", ...notes.map((n) => `  - ${n}`), ""] : []),
      `Console:  ${stack.consoleUrl}`,
      `Control:  ${stack.controlUrl}`,
      `Logs:     ${stack.children.map((c) => shown(c.logPath)).join(", ")}`,
      "",
      "Use the cluster and the engine from another shell:",
      `KUBECONFIG=${stack.kubeconfig}`,
      `DOCKER_HOST=${stack.dockerHost}`,
      `CONTROL_URL=${stack.controlUrl}`,
      "",
      "Running. Ctrl-C stops everything.",
    ].join("\n"),
  );
  return new Promise<number>(() => {
    // Runs until a signal; onSignal exits the process.
  });
}

function print(text: string, code: number): number {
  (code === 0 ? console.log : console.error)(text);
  return code;
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
