/**
 * Docker's event stream: an ordered log of container events stamped by the virtual clock, the
 * 256-event buffer that `since` replays from (moby `daemon/events`), and subscriptions with
 * `since`/`until` and filters, delivered in order.
 */
import type { VirtualClock } from "@container-actions/sim-kernel";
import type { FilterArgs } from "./docker-filters.ts";
import { msToNanos } from "./docker-time.ts";

/** How many past events dockerd keeps for `since` (moby's `eventsLimit`). */
export const EVENTS_BUFFER_SIZE = 256;

/** One event as `/events` sends it (API 1.41), legacy `status`/`id`/`from` fields included. */
export interface DockerEvent {
  status: string;
  id: string;
  from: string;
  Type: "container";
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: "local";
  time: number;
  /** Nanoseconds since the epoch; a bigint because it does not fit a double exactly. */
  timeNano: bigint;
}

/** The container facts an event carries. */
export interface EventSource {
  id: string;
  /** With the leading slash. */
  name: string;
  image: string;
  labels: Readonly<Record<string, string>>;
}

/** Serialises an event exactly as dockerd does: one JSON object, `timeNano` as an exact integer. */
export function eventToJson(event: DockerEvent): string {
  const { timeNano, ...rest } = event;
  return `${JSON.stringify(rest).slice(0, -1)},"timeNano":${timeNano.toString()}}`;
}

/** Whether an event passes a filter set (moby `events.Filter.Include`, for container events). */
export function eventMatches(event: DockerEvent, filters: FilterArgs): boolean {
  const { ID, Attributes } = event.Actor;
  const name = Attributes.name ?? "";
  const image = Attributes.image ?? "";
  const fuzzyName = (key: string) => filters.fuzzyMatch(key, ID) || filters.fuzzyMatch(key, name);
  return (
    filters.exactMatch("event", event.Action) &&
    filters.exactMatch("type", event.Type) &&
    filters.exactMatch("scope", event.scope) &&
    ["container", "daemon", "plugin", "volume", "network", "node", "service", "secret", "config"].every(fuzzyName) &&
    (filters.exactMatch("image", event.id) ||
      filters.exactMatch("image", image) ||
      filters.exactMatch("image", image.replace(/:[^:/]*$/, ""))) &&
    filters.matchKeyValues("label", Attributes)
  );
}

/** What a subscriber asks for: a time window in epoch ns (both ends inclusive) and filters. */
export interface EventQuery {
  sinceNanos?: bigint;
  untilNanos?: bigint;
  filters: FilterArgs;
}

/** A live subscription; `close` stops delivery (the client went away). */
export interface EventSubscription {
  close(): void;
}

interface Subscriber {
  query: EventQuery;
  onEvent: (event: DockerEvent) => void;
}

/** The engine's event log and its subscribers. */
export class DockerEventLog {
  private readonly history: DockerEvent[] = [];
  private readonly subscribers = new Set<Subscriber>();
  private readonly observers = new Set<(event: DockerEvent) => void>();
  private lastNanos = 0n;

  constructor(private readonly clock: VirtualClock) {}

  /** Records an event now and delivers it to every live subscriber whose filters match. */
  emit(source: EventSource, action: string, extra: Record<string, string> = {}): DockerEvent {
    const nowNanos = msToNanos(this.clock.nowMs());
    this.lastNanos = nowNanos > this.lastNanos ? nowNanos : this.lastNanos + 1n;
    const attributes: Record<string, string> = { ...extra, ...source.labels, image: source.image, name: source.name.slice(1) };
    const sorted = Object.fromEntries(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const event: DockerEvent = {
      status: action,
      id: source.id,
      from: source.image,
      Type: "container",
      Action: action,
      Actor: { ID: source.id, Attributes: sorted },
      scope: "local",
      time: Number(this.lastNanos / 1_000_000_000n),
      timeNano: this.lastNanos,
    };
    this.history.push(event);
    for (const s of [...this.subscribers]) {
      if (s.query.untilNanos !== undefined && event.timeNano > s.query.untilNanos) continue;
      if (eventMatches(event, s.query.filters)) s.onEvent(event);
    }
    for (const observe of [...this.observers]) observe(event);
    return event;
  }

  /** Calls `observe` with every event as it is logged, unfiltered and never lost; returns the stop. */
  observe(observe: (event: DockerEvent) => void): () => void {
    this.observers.add(observe);
    return () => this.observers.delete(observe);
  }

  /** Every event since the engine was built, in order (the model's own record, not bounded). */
  all(): readonly DockerEvent[] {
    return this.history;
  }

  /**
   * Subscribes like `GET /events`: first replays buffered events in the window (only when `since` or
   * `until` is given, from the last {@link EVENTS_BUFFER_SIZE}), then delivers live ones. `onEnd` runs
   * when `until` passes on the virtual clock, at once when it has already passed.
   */
  subscribe(query: EventQuery, onEvent: (event: DockerEvent) => void, onEnd: () => void): EventSubscription {
    const nowNanos = msToNanos(this.clock.nowMs());
    if (query.sinceNanos !== undefined || query.untilNanos !== undefined) {
      const since = query.sinceNanos ?? 0n;
      for (const event of this.history.slice(-EVENTS_BUFFER_SIZE)) {
        if (event.timeNano < since) continue;
        if (query.untilNanos !== undefined && event.timeNano > query.untilNanos) continue;
        if (eventMatches(event, query.filters)) onEvent(event);
      }
    }
    if (query.untilNanos !== undefined && query.untilNanos < nowNanos) {
      onEnd();
      return { close: () => {} };
    }
    const subscriber: Subscriber = { query, onEvent };
    this.subscribers.add(subscriber);
    let cancelTimer = () => {};
    const close = () => {
      cancelTimer();
      this.subscribers.delete(subscriber);
    };
    if (query.untilNanos !== undefined) {
      const delayMs = Number((query.untilNanos - nowNanos) / 1_000_000n) + 1;
      cancelTimer = this.clock.setTimer(delayMs, () => {
        close();
        onEnd();
      });
    }
    return { close };
  }

  /** How many subscribers are listening (dockerd's NEventsListener). */
  listeners(): number {
    return this.subscribers.size;
  }
}
