/**
 * Injected apiserver failures, kept out of the model: a wrapper around any {@link KubeApi} that answers
 * some requests with 409, 429, 500 or a 504 timeout instead of (or after) serving them, with the
 * apiserver's own Status bodies. Every knob is off by default; chances are integer ratios drawn from
 * the run's PRNG, so a run replays exactly from its seed.
 * Does not model: faults on watches (see lagged-watch.ts), partial writes, slow-but-successful
 * requests beyond the uniform latency.
 */
import { drawLatencyMs, NEVER, type VirtualClock } from "@container-actions/sim-kernel";
import type { Prng, Ratio } from "@container-actions/sim-kernel";
import type { ApiOutcome, ApiRequest, KubeApi, Verb, WatchOptions } from "./api-request.ts";
import { fail } from "./api-request.ts";
import { conflict, internalError, requestTimeout, tooManyRequests } from "./kube-status.ts";
import type { ResourceRef } from "./resource-registry.ts";
import type { WatchEndReason, WatchEvent, WatchHandle } from "./watch-hub.ts";

export type WriteVerb = "update" | "patch" | "delete";
export type PerVerb<V extends string = Verb> = Partial<Record<V, Ratio>>;

export interface ClusterFaultOptions {
  /** Chance that an update, patch or delete answers 409 Conflict without being applied. */
  conflictChance: PerVerb<WriteVerb>;
  /** Chance that a request answers 429 TooManyRequests without being served. */
  tooManyRequestsChance: PerVerb;
  /** The Retry-After (seconds) an injected 429 carries. */
  retryAfterS: number;
  /** Chance that a request answers 500 InternalError. */
  internalErrorChance: PerVerb;
  /** Of the injected 500s on writes, the chance that the write took effect before the error. */
  internalErrorAppliedChance: Ratio;
  /** Chance that a request times out: the client gets 504 after `timeoutMs`. */
  timeoutChance: PerVerb;
  /** Of the timed-out writes, the chance that the write took effect anyway. */
  timeoutAppliedChance: Ratio;
  /** How long a timed-out request keeps the client waiting. */
  timeoutMs: number;
  /** Latency added to every request, uniform in [latencyMsMin, latencyMsMax]. */
  latencyMsMin: number;
  latencyMsMax: number;
}

export const NO_CLUSTER_FAULTS: ClusterFaultOptions = {
  conflictChance: {},
  tooManyRequestsChance: {},
  retryAfterS: 1,
  internalErrorChance: {},
  internalErrorAppliedChance: NEVER,
  timeoutChance: {},
  timeoutAppliedChance: NEVER,
  timeoutMs: 60_000,
  latencyMsMin: 0,
  latencyMsMax: 0,
};

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

function isWrite(verb: Verb): verb is "create" | WriteVerb {
  return verb === "create" || verb === "update" || verb === "patch" || verb === "delete";
}

/** A {@link KubeApi} that injects the configured faults in front of `inner`. Watches pass through. */
export class FaultyCluster implements KubeApi {
  private readonly options: ClusterFaultOptions;

  constructor(
    private readonly inner: KubeApi,
    options: Partial<ClusterFaultOptions>,
    private readonly deps: FaultyClusterDeps,
  ) {
    this.options = { ...NO_CLUSTER_FAULTS, ...options };
  }

  async request(req: ApiRequest): Promise<ApiOutcome> {
    const o = this.options;
    const { prng, clock } = this.deps;
    if (o.latencyMsMax > 0) await clock.sleep(drawLatencyMs(prng, o.latencyMsMin, o.latencyMsMax));
    if (chance(prng, o.tooManyRequestsChance[req.verb])) {
      this.deps.onFault?.("tooManyRequests", req, false);
      return fail(tooManyRequests(o.retryAfterS));
    }
    if ((req.verb === "update" || req.verb === "patch" || req.verb === "delete") && chance(prng, o.conflictChance[req.verb])) {
      this.deps.onFault?.("conflict", req, false);
      return fail(conflict({ group: req.resource.group, resource: req.resource.resource }, req.name));
    }
    if (chance(prng, o.internalErrorChance[req.verb])) {
      const applied = isWrite(req.verb) && chance(prng, o.internalErrorAppliedChance);
      if (applied) await this.inner.request(req);
      this.deps.onFault?.("internalError", req, applied);
      return fail(internalError("etcdserver: request timed out"));
    }
    if (chance(prng, o.timeoutChance[req.verb])) {
      const applied = isWrite(req.verb) && chance(prng, o.timeoutAppliedChance);
      if (applied) await this.inner.request(req);
      this.deps.onFault?.("timeout", req, applied);
      await clock.sleep(o.timeoutMs);
      return fail(requestTimeout());
    }
    return this.inner.request(req);
  }

  watch(ref: ResourceRef, options: WatchOptions, onEvent: (event: WatchEvent) => void, onEnd?: (reason: WatchEndReason) => void): WatchHandle {
    return this.inner.watch(ref, options, onEvent, onEnd);
  }
}
