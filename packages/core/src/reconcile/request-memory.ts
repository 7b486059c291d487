import type { ActionRequest } from "../action/action-request.ts";
import type { LastAction } from "../api/container-schema.ts";

/**
 * What the reconciler remembers between passes over one key, so that a lagging informer cache cannot
 * make it act twice or take one request's restart for another's: the version its own last write produced
 * — a read-your-writes fence, as client-go's stale-sync skip (KEP-5647) does — and the outcome it sent
 * whose answer was lost, which the fence cannot cover (no version came back) though the write may have
 * been applied.
 *
 * Memory only: after a crash the informer lists fresh state, and the object itself (lastAction.requestId,
 * managedFields times, Docker's state) keeps replays harmless. A fence is dropped once the cache has
 * caught up; an unanswered outcome once the cache shows it (or a later one), a later answer settles it,
 * or the object is gone — at most one of each per key.
 *
 * It deliberately does not remember "handled but not yet removed" requests: a removal whose answer was
 * lost may have succeeded, and a client may then write the same action again — a new request that
 * memory would wrongly skip. The object tells the truth instead (a request id in lastAction), and
 * without an id a replay is harmless by the dispatch pre-checks.
 */
export class RequestMemory {
  private readonly fence = new Map<string, bigint>();
  private readonly unconfirmed = new Map<string, LastAction>();

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

  /** Notes the outcome about to be sent for `key`: until its answer says otherwise, it may be stored. */
  noteOutcomeSent(key: string, outcome: LastAction): void {
    this.unconfirmed.set(key, outcome);
  }

  /** The answer to the outcome write came back (written: the fence takes over; rejected: not stored). */
  settleOutcome(key: string): void {
    this.unconfirmed.delete(key);
  }

  /**
   * The previous outcome on the object, as far as this controller can know it, for dating a restart of
   * `request`: the cached one, unless this controller sent a later outcome for another request whose
   * answer was lost. A lost answer (500, timeout) may hide an applied write the cache does not show yet,
   * and the restart that outcome reported happened before its completedAt: counting it for `request` would
   * record a restart Docker never made for it. The request's own outcome is never used: its own restart
   * (made before the lost answer) must count, or a retry would restart again.
   */
  previousOutcome(key: string, request: ActionRequest, cached: LastAction | undefined): LastAction | undefined {
    const sent = this.unconfirmed.get(key);
    if (sent === undefined) return cached;
    if (cached !== undefined && Date.parse(cached.completedAt) >= Date.parse(sent.completedAt)) {
      // The cache holds that outcome or a later one.
      this.unconfirmed.delete(key);
      return cached;
    }
    if (sent.action === request.action && sent.requestId === request.requestId) return cached;
    return sent;
  }

  /** Forgets a key entirely, e.g. when its object is deleted. */
  forget(key: string): void {
    this.fence.delete(key);
    this.unconfirmed.delete(key);
  }

  /** Keys remembered, for metrics and tests of boundedness. */
  size(): number {
    return new Set([...this.fence.keys(), ...this.unconfirmed.keys()]).size;
  }
}

/** etcd revisions are decimal integers; the apiserver does not promise it, so anything else is unordered. */
function parseVersion(resourceVersion: string): bigint | undefined {
  return /^\d{1,30}$/.test(resourceVersion) ? BigInt(resourceVersion) : undefined;
}
