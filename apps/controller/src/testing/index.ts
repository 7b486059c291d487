/**
 * Test support for the unit tests beside the code: timers the test drives. Imported only by *.test.ts.
 */
export { ManualTimers, settle } from "./manual-timers.ts";
