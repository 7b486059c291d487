import type { Container, ContainerCache, ContainerRef, Timers } from "@container-actions/core";
import { ReconnectBackoff } from "../reconnect/index.ts";
import { clientNodeCodeLabel, informerFailureOf } from "@container-actions/kube-adapters";

/** A Container list as the API returns it. */
export interface ContainerList {
  metadata?: { resourceVersion?: string };
  items: Container[];
}

/**
 * The part of client-node 1.4.0's `ListWatch` (what `makeInformer` returns) this adapter uses.
 * Its behaviour, read from `dist/cache.js`: a watch that ends cleanly is re-opened from the last
 * resourceVersion; a 410 Gone relists (and fires delete for objects that vanished); **any other error
 * fires `error` and the informer stays stopped** until `start()` is called again.
 */
export interface ListWatchLike {
  on(verb: "add" | "update" | "delete", cb: (obj: Container) => void): void;
  on(verb: "error" | "connect", cb: (err?: unknown) => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  get(name: string, namespace?: string): Container | undefined;
  list(namespace?: string): Container[];
}

export interface ContainerInformerOptions {
  namespace: string;
  /** Builds the ListWatch around the (wrapped) list function; in production `makeInformer(kc, path, list)`. */
  makeListWatch: (list: () => Promise<ContainerList>) => ListWatchLike;
  /** Lists the Containers of the namespace; in production `CustomObjectsApi.listNamespacedCustomObject`. */
  list: () => Promise<ContainerList>;
  /** Called after the cache changed, for every added, updated or deleted Container. */
  onChange: (container: Container, deleted: boolean) => void;
  /** Called once, when the first list is in the cache. */
  onSynced?: () => void;
  timers: Timers;
  backoff?: ReconnectBackoff;
  /**
   * A watch that has not re-connected for this long is presumed hung and re-opened. The server ends each
   * watch after `timeoutSeconds` (see {@link watchPathQuery}), so a healthy one re-connects sooner.
   */
  watchStaleMs: number;
  /** Told about each list and each watch opened, for metrics. */
  onRequest?: (verb: "list" | "watch", code: string) => void;
  log: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void };
}

/** A restarted watch that has not failed for this long is taken as established. */
export const HEALTHY_AFTER_MS = 3000;

/** Query appended to the watch path: a server-side timeout bounds every watch; bookmarks keep the RV fresh. */
export function watchPathQuery(timeoutSeconds: number): string {
  return `?allowWatchBookmarks=true&timeoutSeconds=${timeoutSeconds}`;
}

/**
 * The Container informer: client-node's ListWatch, kept alive. Serves {@link ContainerCache} from the
 * informer's cache and reports every change.
 *
 * Guarantees: after any watch or list error (apiserver down, connection reset, 5xx, 403) the informer is
 * started again after a backoff (250 ms doubling to 30 s, reset by the next successful list or event);
 * 410 Gone relists (client-node does that); a watch that stays silent past `watchStaleMs` is re-opened.
 * `isSynced()` is true once a list has filled the cache and while no error is pending.
 * Caveats: between an error and the restart the cache is not updated (it keeps serving the last view).
 */
export class ContainerInformer implements ContainerCache {
  private readonly lw: ListWatchLike;
  private readonly backoff: ReconnectBackoff;
  private listed = false;
  private failing = false;
  private stopped = true;
  private restarting = false;
  private cancelRestart: (() => void) | undefined;
  private cancelWatchdog: (() => void) | undefined;
  private lastConnectMs = 0;
  private failures = 0;
  private readonly syncWaiters: Array<() => void> = [];

  constructor(private readonly options: ContainerInformerOptions) {
    this.backoff = options.backoff ?? new ReconnectBackoff();
    this.lw = options.makeListWatch(() => this.listOnce());
    this.lw.on("add", (obj) => this.changed(obj, false));
    this.lw.on("update", (obj) => this.changed(obj, false));
    this.lw.on("delete", (obj) => this.changed(obj, true));
    this.lw.on("connect", () => {
      this.lastConnectMs = this.options.timers.nowMs();
      this.options.onRequest?.("watch", "opened");
    });
    this.lw.on("error", (err) => this.failed(err));
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.lastConnectMs = this.options.timers.nowMs();
    this.lw.start().catch((error: unknown) => this.failed(error));
    this.armWatchdog();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelRestart?.();
    this.cancelWatchdog?.();
    await this.lw.stop();
  }

  /** True once a list has filled the cache, and while the watch is not failing. */
  isSynced(): boolean {
    return this.listed && !this.failing;
  }

  /** Resolves once the first list has filled the cache. */
  whenListed(): Promise<void> {
    if (this.listed) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  get(ref: ContainerRef): Container | undefined {
    return this.lw.get(ref.name, ref.namespace);
  }

  list(): Container[] {
    return this.lw.list(this.options.namespace);
  }

  private async listOnce(): Promise<ContainerList> {
    try {
      const list = await this.options.list();
      this.options.onRequest?.("list", "200");
      // ListWatch fills its cache right after this promise resolves, in the same microtask run; a timer
      // fires after that, so waiters see a filled cache.
      this.options.timers.setTimer(0, () => this.markListed());
      return list;
    } catch (error) {
      this.options.onRequest?.("list", clientNodeCodeLabel(error));
      throw error;
    }
  }

  private markListed(): void {
    this.backoff.reset();
    this.failing = false;
    if (this.listed) return;
    this.listed = true;
    this.options.log.info({ containers: this.list().length }, "Container informer synced");
    this.options.onSynced?.();
    for (const resolve of this.syncWaiters.splice(0)) resolve();
  }

  private changed(container: Container, deleted: boolean): void {
    if (this.failing) {
      this.failing = false;
      this.backoff.reset();
    }
    this.options.onChange(container, deleted);
  }

  private failed(error: unknown): void {
    if (this.stopped || this.restarting) return;
    const failure = informerFailureOf(error);
    this.failing = true;
    this.failures++;
    if (this.cancelRestart !== undefined) return;
    const delayMs = this.backoff.nextDelayMs();
    this.options.log.warn({ failure, retryInMs: delayMs }, "Container watch failed; restarting the informer");
    this.cancelRestart = this.options.timers.setTimer(delayMs, () => {
      this.cancelRestart = undefined;
      if (this.stopped) return;
      this.restartWatch();
    });
  }

  /**
   * Starts the ListWatch again. client-node gives no signal that a watch is established, so a restart
   * that has not failed within {@link HEALTHY_AFTER_MS} counts as healthy (ready again, backoff reset).
   */
  private restartWatch(): void {
    this.lastConnectMs = this.options.timers.nowMs();
    const failuresAtStart = this.failures;
    this.lw.start().catch((error: unknown) => this.failed(error));
    this.options.timers.setTimer(HEALTHY_AFTER_MS, () => {
      if (this.stopped || this.failures !== failuresAtStart || !this.failing) return;
      this.failing = false;
      this.backoff.reset();
      this.options.log.info({}, "Container watch re-established");
    });
  }

  private armWatchdog(): void {
    const periodMs = Math.max(1000, Math.floor(this.options.watchStaleMs / 4));
    this.cancelWatchdog = this.options.timers.setTimer(periodMs, () => {
      if (this.stopped) return;
      const silentMs = this.options.timers.nowMs() - this.lastConnectMs;
      if (this.cancelRestart === undefined && !this.restarting && silentMs > this.options.watchStaleMs) void this.reopen(silentMs);
      this.armWatchdog();
    });
  }

  /** Stops and restarts a watch presumed hung; errors from the aborted request are ignored meanwhile. */
  private async reopen(silentMs: number): Promise<void> {
    this.options.log.warn({ silentMs }, "Container watch silent for too long; re-opening it");
    this.restarting = true;
    await this.lw.stop();
    this.options.timers.setTimer(250, () => {
      this.restarting = false;
      if (this.stopped) return;
      this.restartWatch();
    });
  }
}
