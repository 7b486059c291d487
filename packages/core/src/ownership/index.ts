/**
 * Ownership: which Containers are this controller's engine's own, judged from what its mirror source
 * reported. Requests on anything else never reach Docker. Imports api/ and mirror/ports.
 */
export * from "./engine-inventory.ts";
