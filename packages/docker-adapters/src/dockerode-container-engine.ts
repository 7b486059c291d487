import type Docker from "dockerode";
import {
  assertContainerId,
  engineStateFromInspect,
  type ActionName,
  type ContainerEngine,
  type DockerInspect,
  type EngineReply,
  type InspectReply,
  type RestartHistoryReply,
} from "@container-actions/core";
import { DEFAULT_DOCKER_TIMEOUTS, timedCall, type DockerCallObserver, type DockerTimeouts } from "./docker-calls.ts";
import { engineReplyOfError, inspectFailureOf, restartHistoryFailureOf } from "./status-mapping.ts";

/**
 * {@link ContainerEngine} on dockerode: one Docker call per method. A 304 rejection (start on running,
 * stop on stopped) becomes `already`; a call nobody answered becomes `unreachable`, never a failure
 * (the request then stays pending, E15). Every method takes the full 64-hex ID only and throws on
 * anything else (a bug): Docker would resolve a name or a prefix to some other container.
 */
export class DockerodeContainerEngine implements ContainerEngine {
  constructor(
    private readonly docker: Docker,
    private readonly observe?: DockerCallObserver,
    private readonly timeouts: DockerTimeouts = DEFAULT_DOCKER_TIMEOUTS,
    /** The daemon's clock as this process reads it; the simulated world passes its virtual clock. */
    private readonly nowMs: () => number = Date.now,
  ) {}

  async inspect(id: string): Promise<InspectReply> {
    assertContainerId(id);
    try {
      const info = await timedCall(this.observe, "inspect", "action", () =>
        this.docker.getContainer(id).inspect({ abortSignal: AbortSignal.timeout(this.timeouts.readMs) }),
      );
      return { kind: "found", state: engineStateFromInspect(info as unknown as DockerInspect) };
    } catch (error) {
      return inspectFailureOf(error);
    }
  }

  /** Asks dockerd for `restart` events of the container between `sinceMs` and now (its event replay). */
  async restartedSince(id: string, sinceMs: number): Promise<RestartHistoryReply> {
    assertContainerId(id);
    try {
      const text = await timedCall(this.observe, "events", "action", async () => {
        // Fractional Unix seconds: dockerd compares event times to the nanosecond. `until` is the end of
        // the current millisecond: a restart stamped later in the millisecond nowMs() reports (our
        // own, just answered) must count, or a retried outcome write restarts the container again.
        const stream = await this.docker.getEvents({
          since: sinceMs / 1000,
          until: (this.nowMs() + 1) / 1000,
          filters: { type: ["container"], container: [id], event: ["restart"] },
          abortSignal: AbortSignal.timeout(this.timeouts.readMs),
        });
        return readAll(stream as NodeJS.ReadableStream);
      });
      return text.trim() === "" ? { kind: "not-restarted" } : { kind: "restarted" };
    } catch (error) {
      return restartHistoryFailureOf(error);
    }
  }

  async perform(id: string, action: ActionName): Promise<EngineReply> {
    assertContainerId(id);
    const container = this.docker.getContainer(id);
    const opts = { abortSignal: AbortSignal.timeout(this.timeouts.performMs) };
    try {
      await timedCall(this.observe, action, "action", () => {
        switch (action) {
          case "start":
            return container.start(opts);
          case "stop":
            return container.stop(opts);
          case "pause":
            return container.pause(opts);
          case "unpause":
            return container.unpause(opts);
          case "restart":
            return container.restart(opts);
        }
      });
      return { kind: "done" };
    } catch (error) {
      return engineReplyOfError(error);
    }
  }
}

/** Reads a stream to its end: with `until` in the past or now, dockerd replays and closes the events stream. */
async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  return text;
}
