import type Docker from "dockerode";
import { assertContainerId, type DescribeReply, type DockerInspect, type ListReply, type MirrorSource, type RemoveReply } from "@container-actions/core";
import { DEFAULT_DOCKER_TIMEOUTS, timedCall, type DockerCallObserver, type DockerTimeouts } from "./docker-calls.ts";
import { describeFailureOf, dockerFailureOf, removeFailureOf } from "./status-mapping.ts";

/** {@link MirrorSource} on dockerode: list all containers, inspect one, force-remove one (full 64-hex IDs only). */
export class DockerodeMirrorSource implements MirrorSource {
  constructor(
    private readonly docker: Docker,
    private readonly observe?: DockerCallObserver,
    private readonly timeouts: DockerTimeouts = DEFAULT_DOCKER_TIMEOUTS,
  ) {}

  /** Every container id, stopped ones included. Any failure → unreachable (the sync tries again later). */
  async list(): Promise<ListReply> {
    try {
      const containers = await timedCall(this.observe, "list", "mirror", () =>
        this.docker.listContainers({ all: true, abortSignal: AbortSignal.timeout(this.timeouts.readMs) }),
      );
      return { kind: "listed", ids: containers.map((c) => c.Id) };
    } catch (error) {
      const failure = dockerFailureOf(error);
      return { kind: "unreachable", detail: failure.kind === "unreachable" ? failure.detail : `list answered HTTP ${failure.statusCode}` };
    }
  }

  async describe(id: string): Promise<DescribeReply> {
    assertContainerId(id);
    try {
      const info = await timedCall(this.observe, "inspect", "mirror", () =>
        this.docker.getContainer(id).inspect({ abortSignal: AbortSignal.timeout(this.timeouts.readMs) }),
      );
      return { kind: "found", inspect: info as unknown as DockerInspect };
    } catch (error) {
      return describeFailureOf(error);
    }
  }

  /** `DELETE /containers/{id}?force=1`: a running container is killed first. 404 → gone. */
  async remove(id: string): Promise<RemoveReply> {
    assertContainerId(id);
    try {
      await timedCall(this.observe, "remove", "mirror", () =>
        this.docker.getContainer(id).remove({ force: true, abortSignal: AbortSignal.timeout(this.timeouts.performMs) }),
      );
      return { kind: "removed" };
    } catch (error) {
      return removeFailureOf(error);
    }
  }
}
