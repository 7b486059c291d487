import type { Timers } from "@container-actions/core";

/**
 * Runs `task` every `periodMs` until the returned function is called. Runs never overlap: the next
 * period starts when the previous run has finished.
 */
export function every(timers: Timers, periodMs: number, task: () => Promise<void>): () => void {
  let cancel: (() => void) | undefined;
  let stopped = false;
  const arm = () => {
    cancel = timers.setTimer(periodMs, async () => {
      if (stopped) return;
      await task().catch(() => undefined);
      if (!stopped) arm();
    });
  };
  arm();
  return () => {
    stopped = true;
    cancel?.();
  };
}
