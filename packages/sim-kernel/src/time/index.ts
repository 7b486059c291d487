/**
 * Virtual time: the clock every simulated component reads, the driver that runs it while replies settle
 * (runFor, settle), and the follower that makes it track wall time for the wire faces. Imports nothing;
 * the one manual clock of every test that needs time to move only when told.
 */
export { VirtualClock } from "./virtual-clock.ts";
export { followWallClock } from "./wall-clock-follower.ts";
export { flushMicrotasks, runFor, settle, SETTLE_TIMERS_MAX } from "./virtual-time-driver.ts";
