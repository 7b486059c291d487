/**
 * `sim serve`: only the simulated world on the wire — the fake kube-apiserver (Container CRD installed)
 * and the simulated Docker engine on a unix socket — plus the control API, until Ctrl-C. Point your own
 * controller, kubectl or docker CLI at it.
 *
 *   bun apps/simulator/src/cli/serve.ts [--state-dir .cache/sim] [--kube-port 0] [--control-port 0]
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { Elysia } from "elysia";
import { controlRoutes, startSimulatedCluster, startSimulatedEngine } from "../control/index.ts";

const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

const USAGE = `usage: sim serve [--state-dir DIR] [--kube-port N] [--control-port N]

Serves a fresh simulated cluster (HTTPS, kubeconfig in DIR) and a simulated Docker engine (DIR/docker.sock),
with the control API on 127.0.0.1 (docker faults, process exits). Ports 0 (the default) pick free ones.`;

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        "state-dir": { type: "string", default: `${REPO_ROOT}.cache/sim` },
        "kube-port": { type: "string", default: "0" },
        "control-port": { type: "string", default: "0" },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 64;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const kubePort = Number(values["kube-port"]);
  const controlPort = Number(values["control-port"]);
  for (const [flag, n] of [["--kube-port", kubePort], ["--control-port", controlPort]] as const) {
    if (!Number.isInteger(n) || n < 0 || n > 65_535) {
      console.error(`${flag} must be a port number\n\n${USAGE}`);
      return 64;
    }
  }
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
