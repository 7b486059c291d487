/**
 * What flows out of a container besides its state: its program's output (program-runner.ts), the log
 * that keeps it, the waits on its exit or removal, and attaches. One per engine; SimulatedDocker finds
 * the container and gates the call, this answers it.
 */
import type { VirtualClock } from "@container-actions/sim-kernel";
import { ContainerLogs, type LogEntry } from "./container-logs.ts";
import type { ContainerRecord } from "./container-state.ts";
import { ContainerWaits, WAIT_CONDITIONS, type WaitCondition, type WaitResult } from "./container-waits.ts";
import { readLogs, type LogsAnswer, type LogsRequest } from "./logs-query.ts";
import { ProgramRunner } from "./program-runner.ts";

/** A registered wait: its result once the condition holds. */
export interface WaitAnswer {
  kind: "waiting";
  result: Promise<WaitResult>;
  close(): void;
}

/** The engine hooks the streams need. */
export interface ContainerStreamsPorts {
  clock: VirtualClock;
  /** The process ended by itself with `code`. */
  exited(c: ContainerRecord, code: number): void;
  /** Removes a container that stopped with AutoRemove. */
  autoRemove(c: ContainerRecord): void;
  /** Logs a container event now. */
  emit(c: ContainerRecord, action: string): void;
}

export class ContainerStreams {
  private readonly logs = new ContainerLogs();
  private readonly waits = new ContainerWaits();
  private readonly runner: ProgramRunner;

  constructor(private readonly ports: ContainerStreamsPorts) {
    this.runner = new ProgramRunner({ clock: ports.clock, logs: this.logs, exited: ports.exited, autoRemove: ports.autoRemove });
  }

  /** A process of `c` started: its program runs. */
  started(c: ContainerRecord): void {
    this.runner.started(c);
  }

  /** Registers a wait; dockerd 20.10 takes an unknown condition as not-running. */
  wait(c: ContainerRecord, condition: string | undefined): WaitAnswer {
    const known = (WAIT_CONDITIONS as readonly string[]).includes(condition ?? "") ? (condition as WaitCondition) : "not-running";
    return { kind: "waiting", result: this.waits.wait(c, known), close: () => {} };
  }

  /** A logs request (logs-query.ts). */
  readLogs(c: ContainerRecord, request: LogsRequest, onEntry: (entry: LogEntry) => void, onEnd: () => void): LogsAnswer {
    return readLogs(this.logs, c, request, onEntry, onEnd);
  }

  /** An attach: an `attach` event, the past writes with `logs`, then live ones until the process next stops. */
  attach(c: ContainerRecord, request: { stdout: boolean; stderr: boolean; logs: boolean }, onEntry: (entry: LogEntry) => void, onEnd: () => void): LogsAnswer {
    const query = { stdout: request.stdout, stderr: request.stderr };
    const past = request.logs ? this.logs.read(c.id, query) : [];
    const follow = this.logs.follow(c.id, query, onEntry, onEnd);
    this.ports.emit(c, "attach");
    return { kind: "logs", past, follow, close: () => follow.close() };
  }

  /** `c` was removed: its log goes, its followers' streams end, its waits answer. */
  removed(c: ContainerRecord): void {
    this.logs.forget(c.id);
    this.waits.removed(c);
  }
}
