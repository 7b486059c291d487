/**
 * A container's process over virtual time: start, signals (as moby's `killWithSignal`), exits, the
 * restart manager, and the stop procedure (signal, grace period, SIGKILL). Every delay is a timer on
 * the virtual clock, every duration a draw from the engine's PRNG.
 */
import type { Prng } from "@container-actions/sim-kernel";
import type { VirtualClock } from "@container-actions/sim-kernel";
import { hasLiveProcess, setRestarting, setRunning, setStopped, type ContainerRecord } from "./container-state.ts";
import type { DockerEventLog } from "./docker-events.ts";
import { exitCodeAfterSignal, SIGKILL, SIGTERM } from "./process-signals.ts";
import { decideRestart, freshRestartMemory } from "./restart-policy.ts";

/** How long things take inside the daemon, in virtual ms (docker-engine.md, "Timings"). */
export const ProcessTiming = {
  /** From a catchable fatal signal (TERM to an init or a trap) to the process's exit. */
  signalExitMsMin: 60,
  signalExitMsMax: 100,
  /** From SIGKILL to the exit the daemon reports. */
  killExitMsMin: 20,
  killExitMsMax: 40,
  /** From the daemon resuming a paused container (to deliver a signal) to its `unpause` event. */
  resumeEventMs: 2,
} as const;

/** Runs container processes for one engine. */
export class ContainerLifecycle {
  private lastPid: number;

  constructor(
    private readonly clock: VirtualClock,
    private readonly prng: Prng,
    private readonly events: DockerEventLog,
    /** Runs the container's program each time a process starts (program-runner.ts). */
    private readonly onLaunch: (c: ContainerRecord) => void = () => {},
  ) {
    this.lastPid = 1000 + prng.below(4000);
  }

  /** Logs a container event now. */
  emit(c: ContainerRecord, action: string, extra: Record<string, string> = {}): void {
    this.events.emit({ id: c.id, name: c.name, image: c.spec.image, labels: c.spec.labels }, action, extra);
  }

  /** An explicit start (API start, or restart's second half): a fresh restart manager, then `start`. */
  startExplicitly(c: ContainerRecord): void {
    this.cancelPendingRestart(c);
    c.restartCount = 0;
    c.restartMemory = freshRestartMemory();
    this.launch(c);
  }

  private launch(c: ContainerRecord): void {
    this.lastPid += this.prng.between(1, 40);
    setRunning(c, this.lastPid, this.clock.nowMs());
    this.emit(c, "start");
    this.onLaunch(c);
  }

  /**
   * Sends `signal` to PID 1 (moby `killWithSignal`): no automatic restart until the next explicit start;
   * a container in restart backoff just stays down, silently; otherwise a `kill` event, and a paused
   * container is resumed first (its `unpause` event shortly after; none for SIGKILL, whose exit wins).
   */
  signal(c: ContainerRecord, signal: number): void {
    c.restartMemory.canceled = true;
    if (c.flags.restarting) {
      this.cancelPendingRestart(c);
      setStopped(c, c.flags.exitCode, this.clock.nowMs());
      return;
    }
    if (!hasLiveProcess(c)) return;
    this.emit(c, "kill", { signal: String(signal) });
    if (c.resumeQueue !== undefined) {
      c.resumeQueue.push(signal);
    } else if (c.flags.paused && signal === SIGKILL) {
      c.flags.paused = false;
      this.thawed(c);
      this.deliver(c, signal);
    } else if (c.flags.paused) {
      c.resumeQueue = [signal];
      const run = c.run;
      this.clock.setTimer(ProcessTiming.resumeEventMs, () => {
        const queued = c.resumeQueue;
        if (c.run !== run || queued === undefined) return;
        c.resumeQueue = undefined;
        if (c.flags.paused) {
          c.flags.paused = false;
          this.emit(c, "unpause");
          this.thawed(c);
        }
        for (const s of queued) this.deliver(c, s);
      });
    } else {
      this.deliver(c, signal);
    }
  }

  /** Lets an exit that a pause froze go ahead; called whenever a paused container resumes. */
  thawed(c: ContainerRecord): void {
    const pending = c.pendingExit;
    if (pending === undefined || !pending.frozen) return;
    pending.frozen = false;
    this.exitAfter(c, pending.code, this.prng.between(ProcessTiming.killExitMsMin, ProcessTiming.killExitMsMax));
  }

  private deliver(c: ContainerRecord, signal: number): void {
    if (c.pendingExit !== undefined) return; // already on its way out; the first fatal signal decides the code
    const code = exitCodeAfterSignal(c.spec.behavior, signal);
    if (code === undefined) return;
    c.pendingExit = { code, frozen: false, killed: signal === SIGKILL };
    const delayMs =
      signal === SIGKILL
        ? this.prng.between(ProcessTiming.killExitMsMin, ProcessTiming.killExitMsMax)
        : this.prng.between(ProcessTiming.signalExitMsMin, ProcessTiming.signalExitMsMax);
    this.exitAfter(c, code, delayMs);
  }

  private exitAfter(c: ContainerRecord, code: number, delayMs: number): void {
    const run = c.run;
    this.clock.setTimer(delayMs, () => {
      if (c.run !== run || !hasLiveProcess(c) || c.pendingExit === undefined) return;
      // A pause after the signal holds back a graceful exit until the thaw, never a SIGKILL.
      if (c.flags.paused && !c.pendingExit.killed) c.pendingExit.frozen = true;
      else this.exited(c, code);
    });
  }

  /**
   * The process ended with `code` (moby `handleContainerExit`): the restart manager decides between
   * `restarting` (and a start after the backoff) and stopped; either way a `die` event.
   */
  exited(c: ContainerRecord, code: number): void {
    const nowMs = this.clock.nowMs();
    const decision = decideRestart(c.spec.restartPolicy, c.restartMemory, code, nowMs - (c.flags.startedAtMs ?? nowMs));
    if (decision.kind === "restart") {
      c.restartCount++;
      setRestarting(c, code, nowMs);
      const run = c.run;
      c.pendingRestart = this.clock.setTimer(decision.afterMs, () => {
        c.pendingRestart = undefined;
        if (c.run === run && c.flags.restarting) this.launch(c);
      });
    } else {
      setStopped(c, code, nowMs);
    }
    this.emit(c, "die", { exitCode: String(code) });
  }

  /** Resolves true once the process is not running (at once if it is not), false if `timeoutMs` passes first. */
  waitNotRunning(c: ContainerRecord, timeoutMs?: number): Promise<boolean> {
    if (!c.flags.running) return Promise.resolve(true);
    return new Promise((resolve) => {
      let cancelTimeout = () => {};
      const waiter = () => {
        cancelTimeout();
        resolve(true);
      };
      c.exitWaiters.push(waiter);
      if (timeoutMs !== undefined) {
        cancelTimeout = this.clock.setTimer(timeoutMs, () => {
          c.exitWaiters = c.exitWaiters.filter((w) => w !== waiter);
          resolve(false);
        });
      }
    });
  }

  /**
   * Stops a running, paused or restarting container (moby `containerStop`): SIGTERM, wait up to
   * `timeoutS` (negative: forever), then SIGKILL and wait; a `stop` event at the end.
   */
  async stop(c: ContainerRecord, timeoutS: number): Promise<void> {
    this.signal(c, SIGTERM);
    const exited = await this.waitNotRunning(c, timeoutS < 0 ? undefined : timeoutS * 1000);
    if (!exited && c.flags.running) {
      this.signal(c, SIGKILL);
      await this.waitNotRunning(c);
    }
    this.emit(c, "stop");
  }

  /** SIGKILL and wait for the exit (moby `Kill`, used by kill without a signal and by rm -f). */
  async killAndWait(c: ContainerRecord): Promise<void> {
    this.signal(c, SIGKILL);
    await this.waitNotRunning(c);
  }

  /** Forgets every timer of the container, for removal. */
  retire(c: ContainerRecord): void {
    this.cancelPendingRestart(c);
    c.run++;
  }

  private cancelPendingRestart(c: ContainerRecord): void {
    c.pendingRestart?.();
    c.pendingRestart = undefined;
  }
}
