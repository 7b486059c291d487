/**
 * Peak resident memory of this process while something runs: `process.memoryUsage.rss()` sampled on a
 * timer and whenever the caller asks (the simulated sync can hold the event loop for long stretches).
 */
export class RssSampler {
  private peakBytes = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  samples = 0;

  start(intervalMs: number): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): void {
    this.samples++;
    this.peakBytes = Math.max(this.peakBytes, process.memoryUsage.rss());
  }

  stop(): number {
    if (this.timer !== null) clearInterval(this.timer);
    this.sample();
    return this.peakBytes / 2 ** 20;
  }
}

export function rssMb(): number {
  return process.memoryUsage.rss() / 2 ** 20;
}
