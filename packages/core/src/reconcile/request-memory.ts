import type { RawRequest } from "../action/action-request.ts";

/**
 * What the reconciler remembers between passes over one key, so that a lagging informer cache cannot
 * make it act twice: the version its own last write produced (a read-your-writes fence, as client-go's
 * stale-sync skip in KEP-5647), and a handled request whose removal has not gone through yet.
 *
 * Memory only: after a crash the informer lists fresh state and the object itself (lastAction.requestId,
 * managedFields times, Docker's state) keeps replays harmless. Entries are dropped once the cache has
 * caught up, so memory stays bounded by the keys in flight.
 */
export class RequestMemory {
  private readonly fence = new Map<string, bigint>();
  private readonly uncleared = new Map<string, RawRequest>();

  /** Notes that this controller's write produced `resourceVersion`. */
  noteWrite(key: string, resourceVersion: string): void {
    const rv = parseVersion(resourceVersion);
    if (rv === undefined) return;
    const known = this.fence.get(key);
    if (known === undefined || rv > known) this.fence.set(key, rv);
  }

  /** True when `resourceVersion` predates this controller's last write: the cached view is stale. */
  isStale(key: string, resourceVersion: string | undefined): boolean {
    const known = this.fence.get(key);
    if (known === undefined) return false;
    const rv = resourceVersion === undefined ? undefined : parseVersion(resourceVersion);
    // A version we cannot order is treated as fresh: staleness is only claimed when it is provable.
    if (rv === undefined || rv >= known) {
      this.fence.delete(key);
      return false;
    }
    return true;
  }

  /** Remembers a request that was dispatched and recorded but whose removal failed transiently. */
  noteUncleared(key: string, request: RawRequest): void {
    this.uncleared.set(key, request);
  }

  /** True when `request` is the one remembered as dispatched and recorded but not yet cleared. */
  isUncleared(key: string, request: RawRequest): boolean {
    const known = this.uncleared.get(key);
    return known !== undefined && known.action === request.action && known.requestId === request.requestId;
  }

  forgetUncleared(key: string): void {
    this.uncleared.delete(key);
  }

  /** Forgets a key entirely, e.g. when its object is deleted. */
  forget(key: string): void {
    this.fence.delete(key);
    this.uncleared.delete(key);
  }

  /** Keys remembered, for metrics and tests of boundedness. */
  size(): number {
    return new Set([...this.fence.keys(), ...this.uncleared.keys()]).size;
  }
}

/** etcd revisions are decimal integers; the apiserver does not promise it, so anything else is unordered. */
function parseVersion(resourceVersion: string): bigint | undefined {
  return /^\d{1,30}$/.test(resourceVersion) ? BigInt(resourceVersion) : undefined;
}
