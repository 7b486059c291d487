/**
 * The process's lifecycle pieces main.ts composes: the full sync, periodic tasks and the ordered
 * graceful shutdown. Imports core only.
 */
export { fullSync, type FullSyncResult, type Resyncable } from "./full-sync.ts";
export { createShutdown, type ShutdownOptions, type ShutdownStep } from "./graceful-shutdown.ts";
export { every } from "./periodic-task.ts";
