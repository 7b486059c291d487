/**
 * The pods' own output, read from the node's dockerd (`kubectl logs` needs kubelet client
 * credentials on the apiserver, which this node does not wire). The kubelet removes the containers of
 * a deleted pod, so the suite snapshots before every deletion and keeps every container's log.
 */
import { mustDocker, NAMESPACE, type Node } from "./node.ts";

export class PodLogs {
  private readonly byContainer = new Map<string, { pod: string; log: string }>();

  constructor(private readonly node: Node) {}

  /** Reads the output of every app container of the namespace's pods that dockerd still has. */
  async snapshot(): Promise<void> {
    const out = await mustDocker(this.node, [
      "ps", "-a",
      "--filter", `label=io.kubernetes.pod.namespace=${NAMESPACE}`,
      "--filter", "label=io.kubernetes.docker.type=container",
      "--format", '{{.ID}} {{.Label "io.kubernetes.pod.name"}}',
    ]);
    for (const line of out.split("\n").filter((l) => l !== "")) {
      const [id, pod] = line.split(" ") as [string, string];
      const r = await this.node.docker(["logs", id]);
      if (r.exitCode === 0) this.byContainer.set(id, { pod, log: r.output });
    }
  }

  get pods(): string[] {
    return [...new Set([...this.byContainer.values()].map((c) => c.pod))];
  }

  /** Lines of any pod's log that match `pattern`, prefixed with the pod's name. */
  grep(pattern: RegExp): string[] {
    return [...this.byContainer.values()].flatMap(({ pod, log }) => log.split("\n").filter((l) => pattern.test(l)).map((l) => `${pod}: ${l}`));
  }
}
