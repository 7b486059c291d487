/** One step of the shutdown, run in order. */
export interface ShutdownStep {
  name: string;
  run: () => Promise<void>;
}

export interface ShutdownOptions {
  steps: readonly ShutdownStep[];
  /** After this long the process exits with code 1 even if a step still runs (e.g. a long docker stop). */
  timeoutMs: number;
  exit: (code: number) => void;
  log: { info: (o: object, m: string) => void; error: (o: object, m: string) => void };
  setTimer?: (ms: number, fire: () => void) => void;
}

/**
 * Runs the shutdown steps once, in order, then exits 0; a step that throws is logged and the next one
 * runs. Exits 1 when the steps outlast the timeout. Calling it again while it runs does nothing.
 */
export function createShutdown(options: ShutdownOptions): (signal: string) => Promise<void> {
  let started = false;
  return async (signal: string) => {
    if (started) return;
    started = true;
    options.log.info({ signal, timeoutMs: options.timeoutMs }, "Shutting down: finishing keys in flight");
    const setTimer = options.setTimer ?? ((ms, fire) => void setTimeout(fire, ms).unref?.());
    setTimer(options.timeoutMs, () => {
      options.log.error({ timeoutMs: options.timeoutMs }, "Shutdown timed out; exiting");
      options.exit(1);
    });
    for (const step of options.steps) {
      try {
        await step.run();
      } catch (error) {
        options.log.error({ step: step.name, error: String(error) }, "Shutdown step failed");
      }
    }
    options.log.info({}, "Shut down cleanly");
    options.exit(0);
  };
}
