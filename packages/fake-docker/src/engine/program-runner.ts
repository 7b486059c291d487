/**
 * Runs a container's program (process-model.ts's plan) on the virtual clock each time its process
 * starts: writes its output to the log, ends it with its exit code, and removes an AutoRemove
 * container once it has stopped for good, as dockerd does after the `die` (and `stop`) events.
 */
import type { VirtualClock } from "@container-actions/sim-kernel";
import type { ContainerLogs } from "./container-logs.ts";
import { hasLiveProcess, type ContainerRecord } from "./container-state.ts";
import { OutputStream } from "./process-model.ts";

/** From a stopped AutoRemove container's exit to its removal, in virtual ms (after `stop`'s event). */
export const AUTO_REMOVE_MS = 10;

/**
 * How much later than a stderr write dockerd logs a stdout write made at the same moment, in virtual ms.
 * Measured on dockerd 20.10.24: `echo out; echo err >&2` logged `err` first, about 0.1 ms ahead, in 3 of 4
 * runs; the order is a race between dockerd's two copy loops, so the CLI differential never compares it.
 */
export const STDOUT_COPY_LAG_MS = 1;

/** What the runner needs from the engine. */
export interface ProgramRunnerPorts {
  clock: VirtualClock;
  logs: ContainerLogs;
  /** The process ended by itself with `code` (the lifecycle's exit handling). */
  exited(c: ContainerRecord, code: number): void;
  /** Removes a container that stopped with HostConfig.AutoRemove. */
  autoRemove(c: ContainerRecord): void;
}

/** Starts programs; one per engine. */
export class ProgramRunner {
  constructor(private readonly ports: ProgramRunnerPorts) {}

  /** A process of `c` just started: schedule what its program does. */
  started(c: ContainerRecord): void {
    const { clock, logs } = this.ports;
    const run = c.run;
    const alive = () => c.run === run && hasLiveProcess(c);
    for (const out of c.spec.program.output) {
      const write = () => {
        if (alive()) logs.append(c.id, { stream: out.stream, text: out.text, timeMs: clock.nowMs() });
      };
      const atMs = out.atMs + (out.stream === OutputStream.stdout ? STDOUT_COPY_LAG_MS : 0);
      if (atMs === 0) write();
      else clock.setTimer(atMs, write);
    }
    const exit = c.spec.program.exit;
    if (exit !== undefined) {
      clock.setTimer(exit.atMs, () => {
        if (!alive() || c.pendingExit !== undefined) return; // a signal is already ending it
        // A frozen process exits when it thaws (the lifecycle lets a frozen pending exit go ahead).
        if (c.flags.paused) c.pendingExit = { code: exit.code, frozen: true, killed: false };
        else this.ports.exited(c, exit.code);
      });
    }
    c.exitWaiters.push(() => this.stopped(c, run));
  }

  /** The process of `run` is no longer running: followers' streams end; AutoRemove removes a stopped one. */
  private stopped(c: ContainerRecord, run: number): void {
    this.ports.logs.ended(c.id);
    if (!c.spec.autoRemove) return;
    this.ports.clock.setTimer(AUTO_REMOVE_MS, () => {
      if (c.run === run && !c.flags.running && !c.flags.removalInProgress) this.ports.autoRemove(c);
    });
  }
}
