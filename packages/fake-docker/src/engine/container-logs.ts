/**
 * What containers wrote, as dockerd's json-file log driver keeps it: every write with its stream and
 * time, across restarts, until the container is removed; readers see the past (`since`, `until`,
 * `tail`) and, when following, the writes to come until the container stops.
 */
import type { OutputStream } from "./process-model.ts";

/** One logged write. */
export interface LogEntry {
  stream: OutputStream;
  text: string;
  timeMs: number;
}

/** A `GET /containers/{id}/logs` query, with times in epoch ms. */
export interface LogsQuery {
  stdout: boolean;
  stderr: boolean;
  sinceMs?: number;
  untilMs?: number;
  /** The last N entries only; undefined for all. */
  tail?: number;
}

interface Follower {
  query: LogsQuery;
  onEntry: (entry: LogEntry) => void;
  onEnd: () => void;
}

/** Every container's log, by id. */
export class ContainerLogs {
  private readonly entries = new Map<string, LogEntry[]>();
  private readonly followers = new Map<string, Set<Follower>>();

  /** Records a write and hands it to the container's followers. */
  append(id: string, entry: LogEntry): void {
    const list = this.entries.get(id) ?? [];
    list.push(entry);
    this.entries.set(id, list);
    for (const f of this.followers.get(id) ?? []) if (selected(entry, f.query)) f.onEntry(entry);
  }

  /** The past entries a query selects, oldest first (tail applies after the stream and time filters). */
  read(id: string, query: LogsQuery): LogEntry[] {
    const selectedEntries = (this.entries.get(id) ?? []).filter((e) => selected(e, query));
    return query.tail === undefined ? selectedEntries : selectedEntries.slice(Math.max(0, selectedEntries.length - query.tail));
  }

  /** Delivers the container's next writes until {@link ended} or `close`. */
  follow(id: string, query: LogsQuery, onEntry: (entry: LogEntry) => void, onEnd: () => void): { close(): void } {
    const set = this.followers.get(id) ?? new Set<Follower>();
    this.followers.set(id, set);
    const follower: Follower = { query, onEntry, onEnd };
    set.add(follower);
    return { close: () => set.delete(follower) };
  }

  /** The container's process stopped (or it was removed): every follower's stream ends. */
  ended(id: string): void {
    const set = this.followers.get(id);
    this.followers.delete(id);
    for (const f of set ?? []) f.onEnd();
  }

  /** The container is gone; so is its log. */
  forget(id: string): void {
    this.ended(id);
    this.entries.delete(id);
  }
}

function selected(entry: LogEntry, query: LogsQuery): boolean {
  if (entry.stream === 1 ? !query.stdout : !query.stderr) return false;
  if (query.sinceMs !== undefined && entry.timeMs < query.sinceMs) return false;
  if (query.untilMs !== undefined && entry.timeMs > query.untilMs) return false;
  return true;
}
