/**
 * What the reconciler remembers between passes over one key, so that a lagging informer cache cannot
 * make it act twice: the version its own last write produced — a read-your-writes fence, as client-go's
 * stale-sync skip (KEP-5647) does.
 *
 * Memory only: after a crash the informer lists fresh state, and the object itself (lastAction.requestId,
 * managedFields times, Docker's state) keeps replays harmless. An entry is dropped once the cache has
 * caught up, so memory stays bounded by the keys in flight.
 *
 * It deliberately does not remember "handled but not yet removed" requests: a removal whose answer was
 * lost may have succeeded, and a client may then write the same action again — a new request that
 * memory would wrongly skip. The object tells the truth instead (a request id in lastAction), and
 * without an id a replay is harmless by the dispatch pre-checks.
 */
export class RequestMemory {
  private readonly fence = new Map<string, bigint>();

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

  /** Forgets a key entirely, e.g. when its object is deleted. */
  forget(key: string): void {
    this.fence.delete(key);
  }

  /** Keys remembered, for metrics and tests of boundedness. */
  size(): number {
    return this.fence.size;
  }
}

/** etcd revisions are decimal integers; the apiserver does not promise it, so anything else is unordered. */
function parseVersion(resourceVersion: string): bigint | undefined {
  return /^\d{1,30}$/.test(resourceVersion) ? BigInt(resourceVersion) : undefined;
}
