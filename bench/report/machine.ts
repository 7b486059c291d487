/** The machine a bench ran on, read from the OS in the same run (nproc, memory, CPU model). */
import { readFileSync } from "node:fs";
import { availableParallelism, freemem, loadavg, release, totalmem } from "node:os";

export interface Machine {
  cpuModel: string;
  /** CPUs this process may use (what `nproc` prints). */
  cpus: number;
  memTotalMb: number;
  memAvailableMb: number;
  kernel: string;
  bun: string;
  /** The 1-minute load average when the part finished: other work on this shared machine. */
  loadAverage1m: number;
}

export function describeMachine(): Machine {
  return {
    cpuModel: cpuModel(),
    cpus: availableParallelism(),
    memTotalMb: Math.round(totalmem() / 2 ** 20),
    memAvailableMb: Math.round(memAvailableBytes() / 2 ** 20),
    kernel: release(),
    bun: Bun.version,
    loadAverage1m: loadavg()[0] ?? Number.NaN,
  };
}

export function machineLine(m: Machine): string {
  return `${m.cpus} CPUs (${m.cpuModel}), ${m.memTotalMb} MiB RAM (${m.memAvailableMb} MiB available), Linux ${m.kernel}, bun ${m.bun}, load average ${m.loadAverage1m.toFixed(2)}`;
}

function cpuModel(): string {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("model name"));
    return line?.split(":")[1]?.trim() ?? "unknown";
  } catch {
    return "unknown";
  }
}

function memAvailableBytes(): number {
  try {
    const line = readFileSync("/proc/meminfo", "utf8").split("\n").find((l) => l.startsWith("MemAvailable:"));
    const kb = Number(line?.split(/\s+/)[1]);
    return Number.isFinite(kb) ? kb * 1024 : freemem();
  } catch {
    return freemem();
  }
}
