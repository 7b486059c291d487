/**
 * `POST /containers/{id}/wait` as moby's `State.Wait`: `not-running` answers at once for a container
 * that is not running; `next-exit` and `not-running` otherwise resolve at the next stop (or entry into
 * restart backoff) or at removal; `removed` only at removal. The answer carries the exit code then.
 */
import type { ContainerRecord } from "./container-state.ts";

/** The conditions modelled; dockerd 20.10 takes any other value (even garbage) as not-running. */
export const WAIT_CONDITIONS = ["not-running", "next-exit", "removed"] as const;
export type WaitCondition = (typeof WAIT_CONDITIONS)[number];

/** The wait body dockerd encodes: `Error` is null unless the container's State.Error is set. */
export interface WaitResult {
  StatusCode: number;
  Error: { Message: string } | null;
}

function result(c: ContainerRecord): WaitResult {
  return { StatusCode: c.flags.exitCode, Error: c.flags.error === "" ? null : { Message: c.flags.error } };
}

/** Waiters for removal, per container. */
export class ContainerWaits {
  private readonly removal = new Map<ContainerRecord, Array<() => void>>();

  /** Resolves when `condition` holds for `c`; the promise of a wait cancelled by its client just never resolves. */
  wait(c: ContainerRecord, condition: WaitCondition): Promise<WaitResult> {
    if (condition === "not-running" && !c.flags.running) return Promise.resolve(result(c));
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        resolve(result(c));
      };
      if (condition !== "removed") c.exitWaiters.push(finish);
      const list = this.removal.get(c) ?? [];
      list.push(finish);
      this.removal.set(c, list);
    });
  }

  /** `c` was removed: every wait on it answers. */
  removed(c: ContainerRecord): void {
    const list = this.removal.get(c) ?? [];
    this.removal.delete(c);
    for (const finish of list) finish();
  }
}
