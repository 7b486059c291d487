/**
 * `sim serve`: only the simulated world on the wire — the fake kube-apiserver (Container CRD installed)
 * and the simulated Docker engine on a unix socket — plus the control API, until Ctrl-C. Point your own
 * controller, kubectl or docker CLI at it.
 *
 *   container-actions-sim serve [--state-dir .cache/sim] [--kube-port 0] [--control-port 0]
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { helpText, parseOptions, type Command, type FlagTable } from "@container-actions/cli-options";
import { fileURLToPath } from "node:url";
import { Elysia } from "elysia";
import { controlRoutes, startSimulatedCluster, startSimulatedEngine } from "../control/index.ts";

const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

const SERVE_COMMAND = {
  binary: "container-actions-sim serve",
  summary: `Serves a fresh simulated cluster (HTTPS, kubeconfig in the state folder) and a simulated Docker engine
(<state-dir>/docker.sock), with the control API on 127.0.0.1 (docker faults, process exits).`,
  flags: {
    "state-dir": { kind: "string", default: `${REPO_ROOT}.cache/sim`, defaultText: ".cache/sim", valueName: "DIR", help: "kubeconfig and the engine's socket" },
    "kube-port": { kind: "integer", default: "0", min: 0, max: 65_535, help: "the simulated apiserver's port (0: any free port)" },
    "control-port": { kind: "integer", default: "0", min: 0, max: 65_535, help: "control API port (0: any free port)" },
  },
} as const satisfies Command<FlagTable>;

export async function main(argv: string[]): Promise<number> {
  const parsed = parseOptions(SERVE_COMMAND, argv);
  if (parsed.kind === "help") {
    console.log(parsed.text);
    return 0;
  }
  if (parsed.kind === "invalid") {
    console.error(`${parsed.problems.join("\n")}\n\n${helpText(SERVE_COMMAND)}`);
    return 64;
  }
  const values = parsed.values;
  const kubePort = values["kube-port"];
  const controlPort = values["control-port"];
  const stateDir = resolve(values["state-dir"]);
  mkdirSync(stateDir, { recursive: true });

  const engine = startSimulatedEngine({ socketPath: join(stateDir, "docker.sock") });
  const cluster = await startSimulatedCluster({ kubeconfigPath: join(stateDir, "kubeconfig"), port: kubePort }).catch(async (error) => {
    await engine.stop();
    throw error;
  });
  const stack = () => ({
    docker: { kind: "simulated" as const, url: engine.url },
    kube: { kind: "simulated" as const, url: cluster.url, kubeconfig: cluster.kubeconfigPath },
    processes: [],
    endpoints: {},
    notes: ["sim serve: no controller, webhook or console runs here"],
  });
  const control = new Elysia().use(controlRoutes({ engine, apiserver: cluster.faults, stack })).listen({ port: controlPort, hostname: "127.0.0.1" });
  const controlUrl = `http://127.0.0.1:${control.server?.port ?? controlPort}/control`;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log(`\n${signal}: stopping`);
    await control.stop(true);
    await cluster.stop();
    await engine.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  console.log(
    [
      `Simulated kube-apiserver at ${cluster.url}; simulated Docker engine at ${engine.url}`,
      `KUBECONFIG=${cluster.kubeconfigPath}`,
      `DOCKER_HOST=${engine.url}`,
      `CONTROL_URL=${controlUrl}`,
      "Running. Ctrl-C stops.",
    ].join("\n"),
  );
  return new Promise<number>(() => {
    // Runs until a signal.
  });
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
