/**
 * Watches over the store, as the apiserver's watch cache serves them: events delivered synchronously in
 * commit order; replay from a resourceVersion out of a bounded per-resource history; 410 Expired
 * ("too old resource version: X (Y)") before that window; selector transitions turned into
 * ADDED/DELETED; BOOKMARKs on the virtual clock for watchers that ask.
 * A watch from a resourceVersion the store has not reached delivers only the changes after it, as
 * v1.20.2 does (200, then nothing until then). Does not model: per-watcher buffers overflowing.
 */
import type { VirtualClock } from "@container-actions/sim-kernel";
import { type KubeStatus, tooOldResourceVersion } from "./kube-status.ts";
import { type JsonObject, isJsonObject, cloneJson } from "./json.ts";
import { type FieldRequirement, type LabelRequirement, matchesFields, matchesLabels } from "./selectors.ts";

export const WatchEventType = {
  added: "ADDED",
  modified: "MODIFIED",
  deleted: "DELETED",
  bookmark: "BOOKMARK",
  error: "ERROR",
} as const;
export type WatchEventType = (typeof WatchEventType)[keyof typeof WatchEventType];

/** One watch event, as the wire carries it. */
export type WatchEvent =
  | { type: "ADDED" | "MODIFIED" | "DELETED"; object: JsonObject }
  | { type: "BOOKMARK"; object: JsonObject }
  | { type: "ERROR"; object: KubeStatus };

/** Why the server ended a watch (a client's own stop() reports nothing). */
export const WatchEndReason = {
  expired: "expired",
  invalid: "invalid",
  resourceRemoved: "resource-removed",
  dropped: "dropped",
} as const;
export type WatchEndReason = (typeof WatchEndReason)[keyof typeof WatchEndReason];

/** A running watch. stop() is idempotent; no event arrives after it. */
export interface WatchHandle {
  stop(): void;
  readonly stopped: boolean;
}

/** A committed change, kept in the history window. */
export interface ChangeRecord {
  rv: number;
  type: "ADDED" | "MODIFIED" | "DELETED";
  namespace: string;
  object: JsonObject;
  previous?: JsonObject;
}

export interface WatchFilter {
  namespace?: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
}

interface Watcher {
  filter: WatchFilter;
  /** Changes at or before this resourceVersion are not delivered (a watch from a future one waits for it). */
  afterRv: number;
  onEvent: (event: WatchEvent) => void;
  onEnd: ((reason: WatchEndReason) => void) | undefined;
  handle: { stopped: boolean; cancelBookmark?: () => void };
}

interface History {
  /** The resourceVersion the window starts after (the cache's initial list). */
  startRv: number;
  events: ChangeRecord[];
  evicted: boolean;
  lastRv: number | undefined;
  watchers: Set<Watcher>;
  bookmarkObject: () => JsonObject;
}

function labelsOf(obj: JsonObject): Record<string, string> | undefined {
  const meta = obj.metadata;
  if (!isJsonObject(meta) || !isJsonObject(meta.labels)) return undefined;
  return meta.labels as Record<string, string>;
}

function matches(filter: WatchFilter, namespace: string, obj: JsonObject): boolean {
  if (filter.namespace !== undefined && filter.namespace !== namespace) return false;
  return matchesLabels(filter.labels, labelsOf(obj)) && matchesFields(filter.fields, obj);
}

/** The event a watcher with `filter` sees for a change, or undefined when it sees none. */
function eventFor(filter: WatchFilter, change: ChangeRecord, copy: (o: JsonObject) => JsonObject): WatchEvent | undefined {
  const now = matches(filter, change.namespace, change.object);
  if (change.type !== "MODIFIED") return now ? { type: change.type, object: copy(change.object) } : undefined;
  const before = change.previous !== undefined && matches(filter, change.namespace, change.previous);
  if (now && before) return { type: "MODIFIED", object: copy(change.object) };
  if (now) return { type: "ADDED", object: copy(change.object) };
  if (before) return { type: "DELETED", object: copy(change.object) };
  return undefined;
}

const shared = (o: JsonObject): JsonObject => o;

export interface WatchHubOptions {
  clock: VirtualClock;
  /** Changes kept per resource for replay; older resourceVersions get 410 Expired. */
  historyLimit: number;
  /** How often a watcher that allows bookmarks gets one (the apiserver: about a minute). */
  bookmarkIntervalMs: number;
  /** Deliver the committed objects themselves (frozen by the store) instead of deep copies. */
  shareObjects?: boolean;
}

/** Per-resource history windows and live watchers. */
export class WatchHub {
  private readonly histories = new Map<string, History>();
  private readonly copy: (o: JsonObject) => JsonObject;

  constructor(private readonly options: WatchHubOptions) {
    this.copy = options.shareObjects === true ? shared : cloneJson;
  }

  /** Opens the history of a resource at `startRv` (its cache's initial list). */
  open(key: string, startRv: number, bookmarkObject: () => JsonObject): void {
    if (this.histories.has(key)) return;
    this.histories.set(key, { startRv, events: [], evicted: false, lastRv: undefined, watchers: new Set(), bookmarkObject });
  }

  /** Closes a resource's history (its CRD went away): every watcher ends. */
  close(key: string): void {
    const h = this.histories.get(key);
    if (h === undefined) return;
    this.histories.delete(key);
    for (const w of h.watchers) this.end(h, w, WatchEndReason.resourceRemoved);
  }

  /** Records a committed change and delivers it, synchronously, to every matching watcher. */
  publish(key: string, change: ChangeRecord): void {
    const h = this.histories.get(key);
    if (h === undefined) return;
    h.events.push(change);
    h.lastRv = change.rv;
    if (h.events.length > this.options.historyLimit) {
      h.events.shift();
      h.evicted = true;
    }
    for (const w of [...h.watchers]) {
      if (w.handle.stopped || change.rv <= w.afterRv) continue;
      const event = eventFor(w.filter, change, this.copy);
      if (event !== undefined) w.onEvent(event);
    }
  }

  /**
   * Starts a watch. `fromRv` undefined: the current objects (`current()`) as ADDED, then `afterInitial`
   * (a watch-list's closing bookmark) if given, then live changes; a number: every change after it,
   * then live — or one ERROR 410 and the end when it is too old.
   */
  watch(
    key: string,
    filter: WatchFilter,
    fromRv: number | undefined,
    current: () => Array<{ namespace: string; object: JsonObject }>,
    allowBookmarks: boolean,
    onEvent: (event: WatchEvent) => void,
    onEnd?: (reason: WatchEndReason) => void,
    afterInitial?: WatchEvent,
  ): WatchHandle {
    const state: Watcher["handle"] = { stopped: false };
    const watcher: Watcher = { filter, onEvent, onEnd, handle: state, afterRv: fromRv ?? -1 };
    const handle: WatchHandle = {
      stop: () => {
        state.stopped = true;
        state.cancelBookmark?.();
        this.histories.get(key)?.watchers.delete(watcher);
      },
      get stopped() {
        return state.stopped;
      },
    };
    const h = this.histories.get(key);
    if (h === undefined) {
      state.stopped = true;
      onEnd?.(WatchEndReason.resourceRemoved);
      return handle;
    }
    if (fromRv === undefined) {
      for (const item of current()) {
        if (state.stopped) return handle;
        if (matches(filter, item.namespace, item.object)) onEvent({ type: "ADDED", object: this.copy(item.object) });
      }
      if (afterInitial !== undefined && !state.stopped) onEvent(afterInitial);
    } else {
      const oldest = h.evicted ? (h.events[0]?.rv ?? h.startRv + 1) : h.startRv + 1;
      if (fromRv < oldest - 1) {
        onEvent({ type: "ERROR", object: tooOldResourceVersion(fromRv, oldest - 1) });
        state.stopped = true;
        onEnd?.(WatchEndReason.expired);
        return handle;
      }
      for (const change of h.events) {
        if (state.stopped) return handle;
        if (change.rv <= fromRv) continue;
        const event = eventFor(filter, change, this.copy);
        if (event !== undefined) onEvent(event);
      }
    }
    if (state.stopped) return handle;
    h.watchers.add(watcher);
    if (allowBookmarks) this.scheduleBookmark(h, watcher);
    return handle;
  }

  /** Ends a watch from the server side (a dropped connection): no more events, onEnd(reason). */
  private end(h: History, w: Watcher, reason: WatchEndReason): void {
    if (w.handle.stopped) return;
    w.handle.stopped = true;
    w.handle.cancelBookmark?.();
    h.watchers.delete(w);
    w.onEnd?.(reason);
  }

  private scheduleBookmark(h: History, w: Watcher): void {
    w.handle.cancelBookmark = this.options.clock.setTimer(this.options.bookmarkIntervalMs, () => {
      if (w.handle.stopped) return;
      // Like the apiserver's cacher: no bookmark until the resource has seen a change.
      if (h.lastRv !== undefined) {
        const object = h.bookmarkObject();
        object.metadata = { resourceVersion: String(h.lastRv) };
        w.onEvent({ type: "BOOKMARK", object });
      }
      if (!w.handle.stopped) this.scheduleBookmark(h, w);
    });
  }

  /**
   * The changes to a resource after `rv`, in commit order, or `{ oldest }` when the history window no
   * longer reaches back to it (a compaction, for reads at that resourceVersion).
   */
  changesAfter(key: string, rv: number): { kind: "ok"; changes: ChangeRecord[] } | { kind: "compacted"; oldest: number } {
    const h = this.histories.get(key);
    if (h === undefined) return { kind: "ok", changes: [] };
    const oldest = h.evicted ? (h.events[0]?.rv ?? h.startRv + 1) : h.startRv + 1;
    if (rv < oldest - 1) return { kind: "compacted", oldest: oldest - 1 };
    return { kind: "ok", changes: h.events.filter((c) => c.rv > rv) };
  }

  /** The resourceVersion of the last change to a resource, if any. */
  lastRv(key: string): number | undefined {
    return this.histories.get(key)?.lastRv;
  }

  /** Live watchers of a resource (for tests and the wire's diagnostics). */
  watcherCount(key: string): number {
    return this.histories.get(key)?.watchers.size ?? 0;
  }
}
