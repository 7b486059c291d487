/**
 * Injected apiserver failures, kept out of the model: a wrapper around any {@link KubeApi} that answers
 * some requests with 409, 429, 500 or a 504 timeout instead of (or after) serving them, with the
 * apiserver's own Status bodies. Every knob is off by default; chances are integer ratios drawn from
 * the run's PRNG, so a run replays exactly from its seed.
 * Does not model: faults on watches (see lagged-watch.ts), partial writes, slow-but-successful
 * requests beyond the uniform latency.
 */
import { drawLatencyMs, NO_FAULTS, pickKnobs, WIRE_KNOBS, type FaultOptions, type VirtualClock } from "@container-actions/sim-kernel";
import type { Prng, Ratio } from "@container-actions/sim-kernel";
import type { ApiOutcome, ApiRequest, KubeApi, Verb, WatchOptions } from "./api-request.ts";
import { fail } from "./api-request.ts";
import { conflict, internalError, requestTimeout, tooManyRequests } from "./kube-status.ts";
import type { ResourceRef } from "./resource-registry.ts";
import type { WatchEndReason, WatchEvent, WatchHandle } from "./watch-hub.ts";

/** The knobs of the one fault model the request wrapper reads. */
export type ClusterFaultOptions = Pick<FaultOptions, (typeof WIRE_KNOBS.apiserver)[number]>;
export const NO_CLUSTER_FAULTS: ClusterFaultOptions = pickKnobs(NO_FAULTS, WIRE_KNOBS.apiserver);

/** What the wrapper did to one request, for traces and invariant checkers. */
export type InjectedFault = "tooManyRequests" | "conflict" | "internalError" | "timeout";

export interface FaultyClusterDeps {
  clock: VirtualClock;
  prng: Prng;
  /** Called for every injected fault, with whether the request reached the store. */
  onFault?: (fault: InjectedFault, request: ApiRequest, applied: boolean) => void;
}

function chance(prng: Prng, ratio: Ratio | undefined): boolean {
  return ratio !== undefined && prng.happens(ratio);
}

function isWrite(verb: Verb): boolean {
  return verb === "create" || verb === "update" || verb === "patch" || verb === "delete";
}

/** A {@link KubeApi} that injects the configured faults in front of `inner`. Watches pass through. */
export class FaultyCluster implements KubeApi {
  private readonly options: FaultOptions;

  constructor(
    private readonly inner: KubeApi,
    options: Partial<ClusterFaultOptions>,
    private readonly deps: FaultyClusterDeps,
  ) {
    this.options = { ...NO_FAULTS, ...options };
  }

  async request(req: ApiRequest): Promise<ApiOutcome> {
    const o = this.options;
    const { prng, clock } = this.deps;
    if (o.apiLatencyMsMax > 0) await clock.sleep(drawLatencyMs(prng, o.apiLatencyMsMin, o.apiLatencyMsMax));
    if (chance(prng, o.apiTooManyRequestsChance[req.verb])) {
      this.deps.onFault?.("tooManyRequests", req, false);
      return fail(tooManyRequests(o.apiRetryAfterS));
    }
    if ((req.verb === "update" || req.verb === "patch" || req.verb === "delete") && chance(prng, o.apiConflictChance[req.verb])) {
      this.deps.onFault?.("conflict", req, false);
      return fail(conflict({ group: req.resource.group, resource: req.resource.resource }, req.name));
    }
    if (chance(prng, o.apiInternalErrorChance[req.verb])) {
      const applied = isWrite(req.verb) && chance(prng, o.apiInternalErrorAppliedChance);
      if (applied) await this.inner.request(req);
      this.deps.onFault?.("internalError", req, applied);
      return fail(internalError("etcdserver: request timed out"));
    }
    if (chance(prng, o.apiTimeoutChance[req.verb])) {
      const applied = isWrite(req.verb) && chance(prng, o.apiTimeoutAppliedChance);
      if (applied) await this.inner.request(req);
      this.deps.onFault?.("timeout", req, applied);
      await clock.sleep(o.apiTimeoutMs);
      return fail(requestTimeout());
    }
    return this.inner.request(req);
  }

  watch(ref: ResourceRef, options: WatchOptions, onEvent: (event: WatchEvent) => void, onEnd?: (reason: WatchEndReason) => void): WatchHandle {
    return this.inner.watch(ref, options, onEvent, onEnd);
  }
}
