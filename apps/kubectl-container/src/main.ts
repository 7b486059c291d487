/**
 * kubectl-container: a kubectl plugin (an executable named kubectl-container on PATH) that requests
 * Docker container actions through their Container mirrors. Wiring only: parse, load the kubeconfig,
 * run, exit with the command's code.
 */
import { kubeContainerApi } from "@container-actions/client";
import { parseCommandLine, USAGE } from "./command-line.ts";
import { loadKubeContext } from "./kube-context.ts";
import { ExitCode, runAction, runList, type Io } from "./run-command.ts";

const io: Io = { out: (line) => console.log(line), err: (line) => console.error(line) };

async function main(argv: string[]): Promise<number> {
  const cmd = parseCommandLine(argv);
  if (cmd.kind === "help") return (io.out(USAGE), ExitCode.succeeded);
  if (cmd.kind === "usage-error") return (io.err(`error: ${cmd.message}\n\n${USAGE}`), ExitCode.deniedOrUsage);
  const context = loadKubeContext(cmd);
  if (context.kind === "invalid") return (io.err(`error: ${context.message}`), ExitCode.deniedOrUsage);
  const api = kubeContainerApi(context.kc);
  return cmd.kind === "ls" ? runList(api, context.namespace, cmd.output, io) : runAction(api, context.namespace, cmd, io);
}

process.exit(await main(process.argv.slice(2)));
