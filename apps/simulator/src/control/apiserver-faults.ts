/**
 * Faults for the fake kube-apiserver on the wire: the verbs go through a FaultyCluster (injected
 * 409/429/500/timeouts, latency) and every watch through a lagged watch (per-watcher delay, drops) —
 * the lagging informer of a real process, made by the server instead of the test. Off until set.
 */
import {
  FaultyCluster,
  laggedWatch,
  NO_CLUSTER_FAULTS,
  NO_WATCH_LAG,
  type ClusterFaultOptions,
  type ClusterStore,
  type KubeApi,
  type WatchLagOptions,
} from "@container-actions/fake-apiserver";
import { Prng } from "@container-actions/sim-kernel";

export interface ApiserverFaultSettings {
  cluster: ClusterFaultOptions;
  watch: WatchLagOptions;
}

export class ApiserverFaults {
  private settings: ApiserverFaultSettings = { cluster: NO_CLUSTER_FAULTS, watch: NO_WATCH_LAG };
  private faulty: KubeApi;
  private readonly prng: Prng;

  constructor(
    private readonly store: ClusterStore,
    seed: number,
  ) {
    this.prng = new Prng(seed);
    this.faulty = this.build();
  }

  /** The API requests go through now; pass `() => faults.api()` to serveKubeApi. */
  api(): KubeApi {
    return this.faulty;
  }

  current(): ApiserverFaultSettings {
    return this.settings;
  }

  /** Changes the faults (fields left out keep their value); returns those now in force. */
  set(changes: { cluster?: Partial<ClusterFaultOptions>; watch?: Partial<WatchLagOptions> }): ApiserverFaultSettings {
    this.settings = { cluster: { ...this.settings.cluster, ...changes.cluster }, watch: { ...this.settings.watch, ...changes.watch } };
    this.faulty = this.build();
    return this.settings;
  }

  reset(): ApiserverFaultSettings {
    this.settings = { cluster: NO_CLUSTER_FAULTS, watch: NO_WATCH_LAG };
    this.faulty = this.build();
    return this.settings;
  }

  private build(): KubeApi {
    const { store, prng } = this;
    const clock = store.clock;
    const requests = new FaultyCluster(store, this.settings.cluster, { clock, prng });
    const lag = this.settings.watch;
    return {
      request: (req) => requests.request(req),
      watch: (ref, options, onEvent, onEnd) => laggedWatch((emit, end) => store.watch(ref, options, emit, end), lag, { clock, prng }, onEvent, onEnd),
    };
  }
}
