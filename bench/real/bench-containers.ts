/** Docker containers the bench creates on the real dockerd, labelled so cleanup removes exactly these. */
import { dockerFor, IMAGE } from "@container-actions/e2e";

/** dockerode's client (imported through e2e's support: bench/ has no node_modules of its own). */
export type Docker = ReturnType<typeof dockerFor>;

export const BENCH_LABEL = { key: "container-actions-bench", value: "perf" } as const;

export { dockerFor };

/** `docker run -d --init --label … local/busybox sleep 100000` × `count`; returns the full ids. */
export async function runBenchContainers(docker: Docker, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const container = await docker.createContainer({
      Image: IMAGE,
      Cmd: ["sleep", "100000"],
      Labels: { [BENCH_LABEL.key]: BENCH_LABEL.value },
      HostConfig: { Init: true },
    });
    await container.start();
    ids.push(container.id);
  }
  return ids;
}

/** Removes every container with the bench label (force: running ones are killed). */
export async function removeBenchContainers(docker: Docker): Promise<number> {
  const all = await docker.listContainers({ all: true, filters: { label: [`${BENCH_LABEL.key}=${BENCH_LABEL.value}`] } });
  await Promise.all(all.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  return all.length;
}

/** Containers on the daemon that are not the bench's (the controller mirrors those too). */
export async function foreignContainers(docker: Docker): Promise<number> {
  const all = await docker.listContainers({ all: true });
  return all.filter((c) => c.Labels?.[BENCH_LABEL.key] !== BENCH_LABEL.value).length;
}
