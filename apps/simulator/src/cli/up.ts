/**
 * `npm start` (README quick start, command 1): the whole system on embedded defaults — a cluster, a
 * Docker engine, the webhook and controller processes, the web console and the control API — until
 * Ctrl-C or SIGTERM, which stops everything by PID and exits 0.
 *
 *   bun apps/simulator/src/cli/up.ts [--port 8080] [--docker auto|simulated|real] [--kubeconfig PATH]
 */
import { parseArgs } from "node:util";
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DockerChoice, startStack, type Stack, type StackOptions } from "./stack.ts";

const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

const USAGE = `usage: up [flags]

Starts, wired together: the fake kube-apiserver (or the cluster of --kubeconfig), a Docker engine (a
real one when DOCKER_HOST or /var/run/docker.sock answers, else the simulated one), the admission
webhook and the controller (logs in the state folder), three demo containers, the web console and the
control API. Ctrl-C stops everything.

  --port N              console port on 127.0.0.1 (default 8080)
  --control-port N      control API port on 127.0.0.1 (default 0: any free port, printed)
  --kube-port N         the simulated apiserver's port (default 0: any free port)
  --docker MODE         auto (default), simulated, or real
  --kubeconfig PATH     run against this cluster instead of the simulated apiserver (installs the CRD if missing)
  --namespace NS        namespace of the Container mirrors (default "default")
  --state-dir DIR       kubeconfig, sockets, certificates and logs (default .cache/up)
  --no-seed             do not start the demo containers
  --skip-webhook        do not start the admission webhook
  --help                this text`;

/** The stack's options that come from the command line. */
export type UpOptions = Omit<StackOptions, "repoRoot" | "say">;

/** Parses the flags; a string is a usage error to print. */
export function parseUpArgs(argv: string[]): UpOptions | "help" | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: "string", default: "8080" },
        "control-port": { type: "string", default: "0" },
        "kube-port": { type: "string", default: "0" },
        docker: { type: "string", default: "auto" },
        kubeconfig: { type: "string" },
        namespace: { type: "string", default: "default" },
        "state-dir": { type: "string", default: `${REPO_ROOT}.cache/up` },
        "no-seed": { type: "boolean", default: false },
        "skip-webhook": { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    return (error as Error).message;
  }
  if (values.help) return "help";
  const ports: number[] = [];
  for (const flag of ["port", "control-port", "kube-port"] as const) {
    const n = Number(values[flag]);
    if (!Number.isInteger(n) || n < 0 || n > 65_535 || (flag === "port" && n === 0)) return `--${flag} must be a port number, got "${values[flag]}"`;
    ports.push(n);
  }
  if (!(values.docker in DockerChoice)) return `--docker must be auto, simulated or real, got "${values.docker}"`;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(values.namespace)) return `--namespace must be a DNS label, got "${values.namespace}"`;
  return {
    stateDir: resolve(values["state-dir"]),
    consolePort: ports[0] as number,
    controlPort: ports[1] as number,
    kubePort: ports[2] as number,
    docker: values.docker as DockerChoice,
    ...(values.kubeconfig !== undefined ? { kubeconfig: resolve(values.kubeconfig) } : {}),
    namespace: values.namespace,
    seed: !values["no-seed"],
    webhook: !values["skip-webhook"],
  };
}

export async function main(argv: string[]): Promise<number> {
  const options = parseUpArgs(argv);
  if (options === "help") return print(USAGE, 0);
  if (typeof options === "string") return print(`${options}\n\n${USAGE}`, 64);
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
