/**
 * Virtual time: the clock every simulated component reads, and a driver that makes it follow wall time
 * for the wire faces. Imports only core's Timers type.
 */
export { VirtualClock } from "./virtual-clock.ts";
export { followWallClock } from "./wall-clock-follower.ts";
export { flushMicrotasks, runFor, settle, SETTLE_TIMERS_MAX } from "./virtual-time-driver.ts";
