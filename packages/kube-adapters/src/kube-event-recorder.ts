import { API_VERSION, KIND, keyOf, type ContainerEvent, type ContainerRef, type EventRecorder } from "@container-actions/core";
import type { KubeTransport } from "./kube-transport.ts";
import { classifyKubeAnswer } from "./status-mapping.ts";

export interface KubeEventRecorderOptions {
  /** `source.component` and `reportingComponent`. */
  component: string;
  /** `reportingInstance`, e.g. the leader identity. */
  instance: string;
  /** The uid of a Container, when the cache knows it (kubectl describe matches Events by uid). */
  uidOf: (ref: ContainerRef) => string | undefined;
  nowMs: () => number;
  /** Where failures to emit go; never thrown. */
  onFailure: (ref: ContainerRef, reason: string, detail: string) => void;
  /** Repeats of the same Event within this window bump `count` instead of creating a new Event. */
  aggregateWindowMs?: number;
  /** Bound on the remembered Events used for aggregation. */
  rememberedMax?: number;
}

interface Emitted {
  name: string;
  count: number;
  firstTimestamp: string;
  lastMs: number;
}

/**
 * {@link EventRecorder} writing core/v1 Events. Best effort: `record` returns at once, the write runs in
 * the background, and a failure is reported to `onFailure`, never thrown. A repeat of the same Event
 * (object, type, reason, message) within the window patches `count` and `lastTimestamp` of the first one,
 * as client-go's correlator does, so a flapping object cannot flood the namespace.
 */
export class KubeEventRecorder implements EventRecorder {
  private readonly emitted = new Map<string, Emitted>();
  private sequence = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly kube: KubeTransport,
    private readonly options: KubeEventRecorderOptions,
  ) {}

  record(ref: ContainerRef, event: ContainerEvent): void {
    const done = this.emit(ref, event).catch((error) => this.options.onFailure(ref, event.reason, String(error)));
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }

  /** Resolves when every Event write started so far has finished (for shutdown and tests). */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async emit(ref: ContainerRef, event: ContainerEvent): Promise<void> {
    const nowMs = this.options.nowMs();
    const key = `${keyOf(ref)}\u0000${event.type}\u0000${event.reason}\u0000${event.message}`;
    const seen = this.emitted.get(key);
    const windowMs = this.options.aggregateWindowMs ?? 600_000;
    if (seen !== undefined && nowMs - seen.lastMs < windowMs) {
      seen.count++;
      seen.lastMs = nowMs;
      const answer = await this.kube.send({
        method: "PATCH",
        path: `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/events/${encodeURIComponent(seen.name)}`,
        contentType: "application/merge-patch+json",
        body: { count: seen.count, lastTimestamp: eventTime(nowMs) },
        verb: "patch",
        resource: "events",
        caller: "events",
      });
      const reply = classifyKubeAnswer(answer);
      if (reply.kind === "ok") return;
      this.emitted.delete(key);
      if (reply.kind !== "not-found") return this.options.onFailure(ref, event.reason, reply.detail);
    }
    const name = `${ref.name}.${(nowMs * 1000 + (this.sequence++ % 1000)).toString(16)}`;
    const firstTimestamp = eventTime(nowMs);
    const uid = this.options.uidOf(ref);
    const answer = await this.kube.send({
      method: "POST",
      path: `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/events`,
      body: {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name, namespace: ref.namespace },
        involvedObject: { apiVersion: API_VERSION, kind: KIND, namespace: ref.namespace, name: ref.name, ...(uid ? { uid } : {}) },
        reason: event.reason,
        message: event.message,
        type: event.type,
        source: { component: this.options.component },
        reportingComponent: this.options.component,
        reportingInstance: this.options.instance,
        firstTimestamp,
        lastTimestamp: firstTimestamp,
        count: 1,
      },
      verb: "create",
      resource: "events",
      caller: "events",
    });
    const reply = classifyKubeAnswer(answer);
    if (reply.kind !== "ok") return this.options.onFailure(ref, event.reason, reply.detail);
    this.remember(key, { name, count: 1, firstTimestamp, lastMs: nowMs });
  }

  private remember(key: string, emitted: Emitted): void {
    this.emitted.set(key, emitted);
    const max = this.options.rememberedMax ?? 256;
    while (this.emitted.size > max) {
      const oldest = this.emitted.keys().next().value as string;
      this.emitted.delete(oldest);
    }
  }
}

/** metav1.Time: RFC 3339 in whole seconds. */
function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
