import type { VirtualClock } from "./virtual-clock.ts";

/**
 * Drives a {@link VirtualClock} along wall time, for the wire faces: real clients (kubectl, client-node,
 * dockerode) see time pass as it does for them, while the model still runs every timer through the one
 * virtual clock. Returns a function that stops following.
 */
export function followWallClock(clock: VirtualClock, tickMs = 5): () => void {
  clock.followWall();
  // Reads now track wall time by themselves; the tick fires the timers that came due meanwhile.
  const handle = setInterval(() => clock.advance(0), tickMs);
  return () => {
    clearInterval(handle);
    clock.unfollowWall();
  };
}
