/**
 * watchContainers: a live list of the Containers of one namespace (list, then watch from the list's
 * resourceVersion, re-listing whenever the watch ends), for a GUI's container table.
 */
import type { Container } from "@container-actions/core";
import type { ContainerApi, WatchEventType, WatchHandle } from "./container-api.ts";
import { toContainerApi, type KubeLike } from "./kube-like.ts";

/** A change the live list applied; absent on a (re)list. */
export interface ContainerChange {
  type: WatchEventType;
  container: Container;
}

export interface WatchContainersOptions {
  /** Told when a list fails (the list is retried after `relistDelayMs`). */
  onError?: (detail: string) => void;
  /** Delay before a re-list after the watch ended or a list failed (default 1000 ms). */
  relistDelayMs?: number;
}

export interface ContainerWatch {
  /** The Containers as last seen, by name. */
  current(): Container[];
  stop(): void;
}

/**
 * Calls `onList` with every Container of `namespace` (sorted by name) after the first list and after
 * each change. Guarantees: the list converges on the server's state after any dropped watch (it re-lists);
 * `stop` ends every callback.
 */
export function watchContainers(kube: KubeLike | ContainerApi, namespace: string, onList: (containers: Container[], change?: ContainerChange) => void, options: WatchContainersOptions = {}): ContainerWatch {
  const api = toContainerApi(kube);
  const relistDelayMs = options.relistDelayMs ?? 1_000;
  const byName = new Map<string, Container>();
  let stopped = false;
  let handle: WatchHandle | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const current = () => [...byName.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));

  const relistLater = () => {
    handle = null;
    if (!stopped) timer = setTimeout(() => void relist(), relistDelayMs);
  };
  const relist = async () => {
    const listed = await api.list(namespace);
    if (stopped) return;
    if (listed.kind !== "ok") {
      options.onError?.(listed.kind === "unavailable" ? listed.detail : listed.message);
      return relistLater();
    }
    byName.clear();
    for (const c of listed.value.items) byName.set(c.metadata.name, c);
    onList(current());
    try {
      const h = await api.watch(
        namespace,
        { resourceVersion: listed.value.resourceVersion },
        (type, container) => {
          if (stopped) return;
          if (type === "DELETED") byName.delete(container.metadata.name);
          else byName.set(container.metadata.name, container);
          onList(current(), { type, container });
        },
        relistLater,
      );
      if (stopped) h.stop();
      else handle = h;
    } catch (error) {
      options.onError?.(error instanceof Error ? error.message : String(error));
      relistLater();
    }
  };
  void relist();
  return {
    current,
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      handle?.stop();
    },
  };
}
