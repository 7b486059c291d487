import type { VirtualClock } from "./virtual-clock.ts";

/**
 * Drives a {@link VirtualClock} along wall time, for the wire faces: real clients (kubectl, client-node,
 * dockerode) see time pass as it does for them, while the model still runs every timer through the one
 * virtual clock. Returns a function that stops following.
 */
export function followWallClock(clock: VirtualClock, tickMs = 5): () => void {
  const offset = clock.nowMs() - Date.now();
  const handle = setInterval(() => {
    const target = Date.now() + offset;
    if (target > clock.nowMs()) clock.advance(target - clock.nowMs());
  }, tickMs);
  return () => clearInterval(handle);
}
