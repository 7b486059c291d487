/** The coordination.k8s.io/v1 Lease fields leader election reads and writes. */
export interface LeaseSpec {
  holderIdentity?: string | null;
  leaseDurationSeconds?: number | null;
  acquireTime?: string | null;
  renewTime?: string | null;
  leaseTransitions?: number | null;
}

export interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  spec?: LeaseSpec;
}

/** What this candidate last saw of the Lease, and when (its own clock, as client-go does: no clock skew). */
export interface Observation {
  record: string;
  atMs: number;
}

export type LeaseDecision =
  /** No Lease yet: create it as the holder. */
  | { kind: "create"; spec: LeaseSpec }
  /** Renew our Lease, or take over a free or expired one, with the read resourceVersion as precondition. */
  | { kind: "update"; spec: LeaseSpec; resourceVersion: string }
  /** Someone else holds a Lease that has not expired by our observation. */
  | { kind: "wait"; holder: string };

/**
 * Decides one acquire-or-renew round (client-go's `tryAcquireOrRenew`). A Lease held by another identity
 * counts as expired only when its record has not changed for `leaseDurationMs` **as observed here**, so
 * the two processes' clocks never need to agree.
 */
export function decideLease(
  current: Lease | undefined,
  identity: string,
  nowMs: number,
  observation: Observation | undefined,
  leaseDurationMs: number,
): LeaseDecision {
  const now = microTime(nowMs);
  const durationSeconds = Math.round(leaseDurationMs / 1000);
  if (current === undefined) {
    return { kind: "create", spec: { holderIdentity: identity, leaseDurationSeconds: durationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 } };
  }
  const spec = current.spec ?? {};
  const holder = spec.holderIdentity ?? "";
  const ours = holder === identity;
  if (!ours && holder !== "") {
    const heldForMs = (spec.leaseDurationSeconds ?? durationSeconds) * 1000;
    const seenSinceMs = observation !== undefined && observation.record === recordKey(spec) ? observation.atMs : nowMs;
    if (nowMs < seenSinceMs + heldForMs) return { kind: "wait", holder };
  }
  return {
    kind: "update",
    resourceVersion: current.metadata.resourceVersion ?? "",
    spec: {
      holderIdentity: identity,
      leaseDurationSeconds: durationSeconds,
      acquireTime: ours ? (spec.acquireTime ?? now) : now,
      renewTime: now,
      leaseTransitions: (spec.leaseTransitions ?? 0) + (ours ? 0 : 1),
    },
  };
}

/** The part of a Lease whose change means its holder is alive. */
export function recordKey(spec: LeaseSpec): string {
  return JSON.stringify([spec.holderIdentity ?? "", spec.renewTime ?? "", spec.leaseDurationSeconds ?? 0, spec.leaseTransitions ?? 0]);
}

/** metav1.MicroTime: RFC 3339 with exactly six fractional digits (the apiserver rejects three). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}
