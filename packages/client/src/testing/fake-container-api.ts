/**
 * An in-memory {@link ContainerApi} for the client's tests: one namespace's objects with resourceVersions,
 * watches that deliver every change after their resourceVersion, and hooks to deny writes the way an
 * admission webhook does. Tests play the controller by calling `update`.
 *
 * Does not model: merge-patch semantics beyond annotations, label/field selectors other than one name,
 * 410 Gone, bookmarks, RBAC, the status subresource (updates write the whole object).
 */
import { API_VERSION, KIND, type Container } from "@container-actions/core";
import type { ApiAnswer, ContainerApi, WatchEventType } from "../container-api.ts";

interface Watcher {
  name?: string;
  onEvent: (type: WatchEventType, object: Container) => void;
  onEnd: (error?: unknown) => void;
}

export class FakeContainerApi implements ContainerApi {
  private readonly objects = new Map<string, Container>();
  private readonly watchers = new Set<Watcher>();
  private rv = 100;
  /** Returns a denial message for a write, or null to admit it (an admission webhook). */
  deny: (annotations: Record<string, string | null>) => string | null = () => null;
  /** Called after each admitted annotate, with the object as written (a test's controller reacts here). */
  onAnnotate: (container: Container) => void = () => {};
  unavailable = false;
  annotateCalls = 0;

  constructor(readonly namespace = "default") {}

  /** Adds a mirror named `name` (a full ID) with Docker name `dockerName`. */
  add(name: string, dockerName: string, status: Partial<NonNullable<Container["status"]>> = {}): Container {
    const c: Container = {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: { name, namespace: this.namespace, resourceVersion: this.nextRv() },
      status: { name: dockerName, namespace: "moby", path: "sleep", image: "sha256:1", status: "running", ...status },
    };
    this.objects.set(name, c);
    this.emit("ADDED", c);
    return structuredClone(c);
  }

  /** Writes a new version of `name` as `mutate` leaves it (a controller's or another client's write). */
  update(name: string, mutate: (c: Container) => void): void {
    const c = this.objects.get(name);
    if (c === undefined) throw new Error(`no ${name}`);
    mutate(c);
    c.metadata.resourceVersion = this.nextRv();
    this.emit("MODIFIED", c);
  }

  remove(name: string): void {
    const c = this.objects.get(name);
    if (c === undefined) return;
    this.objects.delete(name);
    c.metadata.resourceVersion = this.nextRv();
    this.emit("DELETED", c);
  }

  /** Ends every open watch, as a server timeout or a network drop does. */
  dropWatches(): void {
    for (const w of [...this.watchers]) {
      this.watchers.delete(w);
      w.onEnd(new Error("watch dropped"));
    }
  }

  watchCount(): number {
    return this.watchers.size;
  }

  async get(namespace: string, name: string): Promise<ApiAnswer<Container>> {
    if (this.unavailable) return { kind: "unavailable", detail: "connect ECONNREFUSED" };
    const c = namespace === this.namespace ? this.objects.get(name) : undefined;
    return c === undefined ? notFound(name) : { kind: "ok", value: structuredClone(c) };
  }

  async list(namespace: string): Promise<ApiAnswer<{ items: Container[]; resourceVersion: string }>> {
    if (this.unavailable) return { kind: "unavailable", detail: "connect ECONNREFUSED" };
    const items = namespace === this.namespace ? [...this.objects.values()].map((c) => structuredClone(c)) : [];
    return { kind: "ok", value: { items, resourceVersion: String(this.rv) } };
  }

  async annotate(namespace: string, name: string, annotations: Record<string, string | null>): Promise<ApiAnswer<Container>> {
    this.annotateCalls++;
    if (this.unavailable) return { kind: "unavailable", detail: "connect ECONNREFUSED" };
    const c = namespace === this.namespace ? this.objects.get(name) : undefined;
    if (c === undefined) return notFound(name);
    const denied = this.deny(annotations);
    if (denied !== null) return { kind: "refused", code: 400, message: denied };
    this.update(name, (o) => {
      const next = { ...(o.metadata.annotations ?? {}) };
      for (const [k, v] of Object.entries(annotations)) {
        if (v === null) delete next[k];
        else next[k] = v;
      }
      o.metadata.annotations = next;
    });
    const written = structuredClone(this.objects.get(name) as Container);
    setTimeout(() => this.onAnnotate(structuredClone(written)), 0);
    return { kind: "ok", value: written };
  }

  async watch(namespace: string, options: { resourceVersion: string; name?: string }, onEvent: Watcher["onEvent"], onEnd: Watcher["onEnd"]) {
    if (this.unavailable) throw new Error("connect ECONNREFUSED");
    const watcher: Watcher = { ...(options.name !== undefined ? { name: options.name } : {}), onEvent, onEnd };
    if (namespace === this.namespace) this.watchers.add(watcher);
    return { stop: () => void this.watchers.delete(watcher) };
  }

  private emit(type: WatchEventType, c: Container): void {
    for (const w of this.watchers) if (w.name === undefined || w.name === c.metadata.name) w.onEvent(type, structuredClone(c));
  }

  private nextRv(): string {
    return String(++this.rv);
  }
}

function notFound(name: string): ApiAnswer<never> {
  return { kind: "not-found", message: `containers.containers.rancherdesktop.io "${name}" not found` };
}
