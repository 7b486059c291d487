/**
 * SimulatedContainerEngine: core's {@link ContainerEngine} port over a {@link SimulatedDocker}, mapping
 * its HTTP answers the way the dockerode adapter maps real ones (core's `classifyDockerAnswer`).
 */
import {
  classifyDockerAnswer,
  type ActionName,
  type ContainerEngine,
  type ContainerStatusValue,
  type EngineReply,
  type EngineState,
  type InspectReply,
  type RestartHistoryReply,
} from "@container-actions/core";
import { parseGoTime } from "./docker-time.ts";
import { messageOf, type DockerResponse } from "./docker-response.ts";
import type { SimulatedDocker } from "./simulated-docker.ts";

/** How many calls reached the engine port, by kind (for tests and benchmarks). */
export interface EngineCallCounts {
  inspects: number;
  /** start, stop, pause, unpause and restart calls. */
  stateChanging: number;
}

const KNOWN_STATUSES: readonly string[] = ["created", "running", "pausing", "paused", "restarting", "removing", "exited", "dead"];

/** Docker's inspect `State`, as far as {@link EngineState} reads it. */
interface InspectState {
  Status: string;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  StartedAt: string;
}

/**
 * The engine port backed by the simulated daemon. `inspect` is 200 → found, 404 → gone, anything else
 * (a transport failure, an injected 500) → unreachable; `perform` makes exactly one Docker call.
 *
 * Does not model: anything SimulatedDocker does not (see its list); the HTTP transport itself (the wire
 * face in http/docker serves the same model to real clients).
 */
export class SimulatedContainerEngine implements ContainerEngine {
  /** Calls made so far. */
  readonly calls: EngineCallCounts = { inspects: 0, stateChanging: 0 };
  /** Every call in order, for tests that assert the exact Docker traffic. */
  readonly callLog: Array<"inspect" | ActionName> = [];

  constructor(private readonly docker: SimulatedDocker) {}

  async inspect(id: string): Promise<InspectReply> {
    this.calls.inspects++;
    this.callLog.push("inspect");
    const answer = await this.docker.inspect(id);
    if (answer.kind === "unreachable") return { kind: "unreachable", detail: answer.detail };
    if (answer.statusCode === 200) return { kind: "found", state: engineState((answer.body as { State: InspectState }).State) };
    const reply = classifyDockerAnswer({ statusCode: answer.statusCode, message: messageOf(answer) });
    if (reply.kind === "gone") return reply;
    return { kind: "unreachable", detail: `engine answered HTTP ${answer.statusCode}: ${messageOf(answer) ?? ""}` };
  }

  /**
   * `restart` events of the container since `sinceMs`, read from the model's event log (as dockerd's
   * event replay would answer `GET /events?since&until=now`).
   */
  async restartedSince(id: string, sinceMs: number): Promise<RestartHistoryReply> {
    this.calls.inspects++;
    const ping = await this.docker.ping();
    if (ping.kind === "unreachable") return { kind: "unreachable", detail: ping.detail };
    const sinceNanos = BigInt(Math.floor(sinceMs)) * 1_000_000n;
    const restarted = this.docker.eventHistory().some((e) => e.Action === "restart" && e.id.startsWith(id) && e.timeNano >= sinceNanos);
    return restarted ? { kind: "restarted" } : { kind: "not-restarted" };
  }

  async perform(id: string, action: ActionName): Promise<EngineReply> {
    this.calls.stateChanging++;
    this.callLog.push(action);
    return replyOf(await this.call(id, action));
  }

  private call(id: string, action: ActionName): Promise<DockerResponse> {
    switch (action) {
      case "start":
        return this.docker.start(id);
      case "stop":
        return this.docker.stop(id);
      case "pause":
        return this.docker.pause(id);
      case "unpause":
        return this.docker.unpause(id);
      case "restart":
        return this.docker.restart(id);
      default: {
        const never: never = action;
        throw new Error(`unknown action ${String(never)}`);
      }
    }
  }
}

function replyOf(answer: DockerResponse): EngineReply {
  if (answer.kind === "unreachable") return { kind: "unreachable", detail: answer.detail };
  const message = messageOf(answer);
  return classifyDockerAnswer(message === undefined ? { statusCode: answer.statusCode } : { statusCode: answer.statusCode, message });
}

/** Docker's inspect State as the port's {@link EngineState}; a zero StartedAt means never started. */
export function engineState(state: InspectState): EngineState {
  const status = (KNOWN_STATUSES.includes(state.Status) ? state.Status : "unknown") as ContainerStatusValue;
  const startedAtMs = parseGoTime(state.StartedAt);
  const base: EngineState = { status, running: state.Running, paused: state.Paused, restarting: state.Restarting };
  return startedAtMs === undefined ? base : { ...base, startedAtMs };
}
