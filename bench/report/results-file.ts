/**
 * The machine-readable result of one bench part, `bench/results/<part>.json`: what run-all reads to
 * build summary.md. `markdown` is the table the part printed; `data` its raw figures.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describeMachine, type Machine } from "./machine.ts";

export const RESULTS_DIR = fileURLToPath(new URL("../results/", import.meta.url));

/** measured: every figure was measured; partial: some were not (see notes); not-measured: none. */
export type PartStatus = "measured" | "partial" | "not-measured";

export interface PartResult<T = unknown> {
  part: string;
  title: string;
  status: PartStatus;
  measuredAt: string;
  wallMs: number;
  machine: Machine;
  command: string;
  /** Why something was not measured, and other caveats a reader must know. */
  notes: string[];
  markdown: string;
  data: T;
}

export function resultsPath(part: string): string {
  return join(RESULTS_DIR, `${part}.json`);
}

/** Writes the part's JSON and returns its path. */
export function writeResults<T>(result: Omit<PartResult<T>, "measuredAt" | "machine">): string {
  const file = resultsPath(result.part);
  mkdirSync(dirname(file), { recursive: true });
  const full: PartResult<T> = { ...result, measuredAt: new Date().toISOString(), machine: describeMachine() };
  writeFileSync(file, `${JSON.stringify(full, null, 2)}\n`);
  return file;
}
