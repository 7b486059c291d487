/**
 * Reconnect backoff for long-lived streams (the Container watch and Docker's event stream). Imports
 * nothing.
 */
export { DEFAULT_RECONNECT, ReconnectBackoff, type ReconnectPolicy } from "./reconnect-backoff.ts";
