import pino, { type Logger } from "pino";
import type { LogLevel } from "../config.ts";

export type { Logger };

/** JSON lines on stdout, one object per event, with `component` on each. */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options = { level, base: { component: "container-actions-controller" }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination === undefined ? pino(options) : pino(options, destination);
}
