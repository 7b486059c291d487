/**
 * One simulated container: its config, Docker's `State` fields and the bookkeeping the lifecycle needs.
 * The state helpers mirror moby's `container.State` (SetRunning, SetStopped, SetRestarting, StateString).
 */
import type { CancelTimer } from "@container-actions/core";
import { humanDuration } from "./docker-time.ts";
import type { ProgramPlan } from "./process-model.ts";
import type { ProcessBehavior } from "./process-signals.ts";
import { freshRestartMemory, type RestartMemory, type RestartPolicy } from "./restart-policy.ts";

/** Docker's `State.Status` strings, as `StateString()` derives them. */
export const DockerStatus = {
  created: "created",
  running: "running",
  paused: "paused",
  restarting: "restarting",
  removing: "removing",
  exited: "exited",
  dead: "dead",
} as const;
export type DockerStatus = (typeof DockerStatus)[keyof typeof DockerStatus];
export const DOCKER_STATUSES: readonly string[] = Object.values(DockerStatus);

/** Docker's `State` flags; they are not exclusive ("paused" is Running and Paused). */
export interface ContainerFlags {
  running: boolean;
  paused: boolean;
  restarting: boolean;
  oomKilled: boolean;
  dead: boolean;
  removalInProgress: boolean;
  pid: number;
  exitCode: number;
  error: string;
  startedAtMs: number | undefined;
  finishedAtMs: number | undefined;
}

/** What a create request fixed for the container's lifetime. */
export interface ContainerSpec {
  /** Config.Image as the client wrote it. */
  image: string;
  imageId: string;
  cmd: string[];
  entrypoint: string[] | null;
  labels: Record<string, string>;
  stopTimeoutS: number | undefined;
  /** HostConfig.Init; null when the client did not set it. */
  init: boolean | null;
  restartPolicy: RestartPolicy;
  networkMode: string;
  behavior: ProcessBehavior;
  /** What the command does by itself (process-model.ts). */
  program: ProgramPlan;
  /** Config.OpenStdin (`docker run -i`); no stdin stream is modelled, so nothing ever arrives on it. */
  openStdin: boolean;
  /** HostConfig.AutoRemove (`docker run --rm`): removed once it stops for good. */
  autoRemove: boolean;
}

/** A container in the simulated engine. */
export interface ContainerRecord {
  id: string;
  /** With the leading slash, like Docker's `Name`. */
  name: string;
  createdMs: number;
  spec: ContainerSpec;
  flags: ContainerFlags;
  restartCount: number;
  restartMemory: RestartMemory;
  /** Counts process starts, so a timer set for one run never touches the next. */
  run: number;
  /** The automatic restart waiting out its backoff, if any. */
  pendingRestart: CancelTimer | undefined;
  /** Resolved when the process leaves Running (stops or goes to restarting); like State.Wait(NotRunning). */
  exitWaiters: Array<() => void>;
  /** A fatal signal was delivered and the process is on its way out; `frozen` if a pause caught it. */
  /** An exit on its way; `killed`: from SIGKILL, which a freeze cannot hold back (measured: kill on paused exits 137). */
  pendingExit: { code: number; frozen: boolean; killed: boolean } | undefined;
  /** Signals sent to a paused container, delivered when the daemon's resume lands; undefined if none. */
  resumeQueue: number[] | undefined;
}

/** A freshly created container: never started, no process, a fresh restart manager. */
export function newContainer(id: string, name: string, createdMs: number, spec: ContainerSpec): ContainerRecord {
  return {
    id,
    name,
    createdMs,
    spec,
    flags: {
      running: false, paused: false, restarting: false, oomKilled: false, dead: false, removalInProgress: false,
      pid: 0, exitCode: 0, error: "", startedAtMs: undefined, finishedAtMs: undefined,
    },
    restartCount: 0,
    restartMemory: freshRestartMemory(),
    run: 0,
    pendingRestart: undefined,
    exitWaiters: [],
    pendingExit: undefined,
    resumeQueue: undefined,
  };
}

/** `State.Status`, derived from the flags exactly as moby's `StateString()` does. */
export function statusOf(flags: ContainerFlags): DockerStatus {
  if (flags.running) {
    if (flags.paused) return DockerStatus.paused;
    if (flags.restarting) return DockerStatus.restarting;
    return DockerStatus.running;
  }
  if (flags.removalInProgress) return DockerStatus.removing;
  if (flags.dead) return DockerStatus.dead;
  if (flags.startedAtMs === undefined) return DockerStatus.created;
  return DockerStatus.exited;
}

/** The human `Status` column of `docker ps` (moby's `State.String()`), at `nowMs`. */
export function statusText(flags: ContainerFlags, nowMs: number): string {
  if (flags.running) {
    const upMs = nowMs - (flags.startedAtMs ?? nowMs);
    if (flags.paused) return `Up ${humanDuration(upMs)} (Paused)`;
    if (flags.restarting) {
      return `Restarting (${flags.exitCode}) ${humanDuration(nowMs - (flags.finishedAtMs ?? nowMs))} ago`;
    }
    return `Up ${humanDuration(upMs)}`;
  }
  if (flags.removalInProgress) return "Removal In Progress";
  if (flags.dead) return "Dead";
  if (flags.startedAtMs === undefined) return "Created";
  if (flags.finishedAtMs === undefined) return "";
  return `Exited (${flags.exitCode}) ${humanDuration(nowMs - flags.finishedAtMs)} ago`;
}

/** A new process runs (moby `SetRunning`); `initial` is false for the restart manager's restarts. */
export function setRunning(c: ContainerRecord, pid: number, nowMs: number): void {
  Object.assign(c.flags, { running: true, restarting: false, paused: false, oomKilled: false, error: "", exitCode: 0, pid, startedAtMs: nowMs });
  c.pendingExit = undefined;
  c.resumeQueue = undefined;
  c.run++;
}

/** The process exited and stays down (moby `SetStopped`). */
export function setStopped(c: ContainerRecord, exitCode: number, nowMs: number): void {
  c.pendingExit = undefined;
  c.resumeQueue = undefined;
  Object.assign(c.flags, { running: false, paused: false, restarting: false, pid: 0, exitCode, finishedAtMs: nowMs });
  releaseWaiters(c);
}

/** The process exited and the restart manager will start it again (moby `SetRestarting`). */
export function setRestarting(c: ContainerRecord, exitCode: number, nowMs: number): void {
  c.pendingExit = undefined;
  c.resumeQueue = undefined;
  Object.assign(c.flags, { running: true, restarting: true, paused: false, pid: 0, exitCode, finishedAtMs: nowMs });
  releaseWaiters(c);
}

function releaseWaiters(c: ContainerRecord): void {
  const waiters = c.exitWaiters;
  c.exitWaiters = [];
  for (const wake of waiters) wake();
}

/** True while a process is up (running or paused), not waiting in restart backoff. */
export function hasLiveProcess(c: ContainerRecord): boolean {
  return c.flags.running && !c.flags.restarting;
}
