/**
 * The e2e cluster suite's hands on the node: kubectl as a user types it (admin kubeconfig) and the
 * docker CLI against the node's dockerd, the one the kubelet runs the pods on.
 */
import { kubectlFor, must, type Kubectl } from "../../webhook/kube-cli.ts";

export const NAMESPACE = "container-actions";
export const ACTION = "containers.rancherdesktop.io/action";
export const ACTION_ID = "containers.rancherdesktop.io/action-id";
export const RESOURCE = "containers.containers.rancherdesktop.io";
export const CONTROLLER = "container-actions-controller";
export const WEBHOOK = "container-actions-webhook";
/** Label on every container this suite runs itself; cleanup removes exactly these. */
export const E2E_LABEL = "container-actions-e2e=cluster";

export interface Node {
  kubectl: Kubectl;
  docker: (args: string[]) => Promise<{ exitCode: number; stdout: string; output: string }>;
  kubeconfig: string;
  dockerHost: string;
}

export function nodeFor(kubeconfig: string, dockerHost: string): Node {
  const docker = async (args: string[]) => {
    const proc = Bun.spawn(["docker", ...args], { env: { ...process.env, DOCKER_HOST: dockerHost }, stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    return { exitCode, stdout, output: stdout + stderr };
  };
  return { kubectl: kubectlFor(kubeconfig), docker, kubeconfig, dockerHost };
}

export async function mustDocker(node: Node, args: string[]): Promise<string> {
  const r = await node.docker(args);
  if (r.exitCode !== 0) throw new Error(`docker ${args.join(" ")} failed (exit ${r.exitCode}): ${r.output}`);
  return r.stdout.trim();
}

export async function getJson<T = any>(node: Node, args: string[]): Promise<T> {
  return JSON.parse((await must(node.kubectl([...args, "-o", "json"]), `kubectl get ${args.join(" ")}`)).stdout) as T;
}

/** The mirror of a Docker container (named by its full ID), or undefined while there is none. */
export async function mirror(node: Node, id: string): Promise<any | undefined> {
  const r = await node.kubectl(["-n", NAMESPACE, "get", RESOURCE, id, "-o", "json", "--ignore-not-found"]);
  return r.exitCode === 0 && r.stdout.trim() !== "" ? JSON.parse(r.stdout) : undefined;
}

/** The running pods of a Deployment (by its app.kubernetes.io/name label), oldest first. */
export async function pods(node: Node, app: string): Promise<any[]> {
  const list = await getJson<{ items: any[] }>(node, ["-n", NAMESPACE, "get", "pods", "-l", `app.kubernetes.io/name=${app}`]);
  return list.items
    .filter((p) => p.metadata.deletionTimestamp === undefined)
    .sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
}

export function isReady(pod: any): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True");
}

/** Docker's `restart` events of one container between two Unix times (seconds), as `docker events` reports them. */
export async function restartEvents(node: Node, id: string, sinceS: number, untilS: number): Promise<number> {
  const out = await mustDocker(node, ["events", "--since", String(sinceS), "--until", String(untilS), "--filter", `container=${id}`, "--filter", "event=restart", "--format", "{{.Action}}"]);
  return out === "" ? 0 : out.split("\n").length;
}
