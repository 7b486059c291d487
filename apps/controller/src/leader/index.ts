/**
 * Lease-based leader election (coordination.k8s.io/v1), off by default. Imports core (Timers) and the
 * kube/ transport.
 */
export { LeaseElector, type LeaseElectorOptions } from "./lease-elector.ts";
export { decideLease, microTime, recordKey, type Lease, type LeaseDecision, type LeaseSpec } from "./lease-record.ts";
