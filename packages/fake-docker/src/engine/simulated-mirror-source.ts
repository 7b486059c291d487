/**
 * SimulatedMirrorSource: core's {@link MirrorSource} port (what the mirror sync reads from Docker) over
 * a {@link SimulatedDocker}: list all, inspect, force-remove.
 */
import type { DescribeReply, DockerInspect, ListReply, MirrorSource, RemoveReply } from "@container-actions/core";
import { messageOf } from "./docker-response.ts";
import type { SimulatedDocker } from "./simulated-docker.ts";

/**
 * The mirror sync's view of the simulated daemon. 404 is `gone`; a transport failure or any other
 * unexpected status is `unreachable` (nothing is known), except a refused removal (409), which is `refused`.
 *
 * Does not model: anything SimulatedDocker does not (see its list).
 */
export class SimulatedMirrorSource implements MirrorSource {
  /** Calls made so far, by method. */
  readonly calls = { list: 0, describe: 0, remove: 0 };

  constructor(private readonly docker: SimulatedDocker) {}

  async list(): Promise<ListReply> {
    this.calls.list++;
    const answer = await this.docker.list({ all: true });
    if (answer.kind === "unreachable") return { kind: "unreachable", detail: answer.detail };
    if (answer.statusCode !== 200) return { kind: "unreachable", detail: `engine answered HTTP ${answer.statusCode}: ${messageOf(answer) ?? ""}` };
    return { kind: "listed", ids: (answer.body as Array<{ Id: string }>).map((row) => row.Id) };
  }

  async describe(id: string): Promise<DescribeReply> {
    this.calls.describe++;
    const answer = await this.docker.inspect(id);
    if (answer.kind === "unreachable") return { kind: "unreachable", detail: answer.detail };
    if (answer.statusCode === 200) return { kind: "found", inspect: answer.body as DockerInspect };
    if (answer.statusCode === 404) return { kind: "gone" };
    return { kind: "unreachable", detail: `engine answered HTTP ${answer.statusCode}: ${messageOf(answer) ?? ""}` };
  }

  async remove(id: string): Promise<RemoveReply> {
    this.calls.remove++;
    const answer = await this.docker.remove(id, { force: true });
    if (answer.kind === "unreachable") return { kind: "unreachable", detail: answer.detail };
    if (answer.statusCode === 204) return { kind: "removed" };
    if (answer.statusCode === 404) return { kind: "gone" };
    if (answer.statusCode === 409) return { kind: "refused", message: messageOf(answer) ?? "" };
    return { kind: "unreachable", detail: `engine answered HTTP ${answer.statusCode}: ${messageOf(answer) ?? ""}` };
  }
}
