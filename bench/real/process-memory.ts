/** Resident memory of another process, from /proc (Linux): now, and the kernel's own high-water mark. */
import { readFileSync } from "node:fs";

export interface ProcessMemory {
  /** VmRSS, MiB. */
  rssMb: number;
  /** VmHWM: the peak resident set size since the process started, MiB. */
  peakRssMb: number;
}

export function processMemory(pid: number): ProcessMemory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
    return { rssMb: kb("VmRSS") / 1024, peakRssMb: kb("VmHWM") / 1024 };
  } catch {
    return undefined;
  }
}
