import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { WorkQueueStats } from "@container-actions/core";

/** A queue whose counters are exported. */
export interface QueueStatsSource {
  stats(): WorkQueueStats;
}

/** Names and meanings are documented in docs/operations.md ("Metrics"); keep the two in step. */
export class ControllerMetrics {
  readonly registry = new Registry();
  private readonly reconcileTotal: Counter<"queue" | "result">;
  private readonly reconcileErrors: Counter<"queue">;
  private readonly reconcileDuration: Histogram<"queue">;
  private readonly actionsTotal: Counter<"action" | "result">;
  private readonly kubeRequests: Counter<"verb" | "resource" | "code" | "caller">;
  private readonly kubeConflicts: Counter;
  private readonly dockerCallDuration: Histogram<"call" | "caller">;
  private readonly leader: Gauge;
  private readonly queues = new Map<string, QueueStatsSource>();
  private readonly retriesSeen = new Map<string, number>();

  constructor() {
    const registers = [this.registry];
    this.reconcileTotal = new Counter({
      name: "controller_reconcile_total",
      help: "Passes over a key, by queue (actions, mirrors) and outcome kind.",
      labelNames: ["queue", "result"],
      registers,
    });
    this.reconcileErrors = new Counter({
      name: "controller_reconcile_errors_total",
      help: "Passes that asked to be retried, or threw.",
      labelNames: ["queue"],
      registers,
    });
    this.reconcileDuration = new Histogram({
      name: "controller_reconcile_duration_seconds",
      help: "Duration of a pass, from its first port call to its outcome (0 for passes that made none).",
      labelNames: ["queue"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    const queues = this.queues;
    const retriesSeen = this.retriesSeen;
    new Gauge({
      name: "workqueue_depth",
      help: "Keys waiting to be processed now (not those waiting out a backoff).",
      labelNames: ["queue"],
      registers,
      collect() {
        for (const [name, queue] of queues) this.set({ queue: name }, queue.stats().depth);
      },
    });
    new Counter({
      name: "workqueue_retries_total",
      help: "Keys requeued with backoff after a pass asked to retry.",
      labelNames: ["queue"],
      registers,
      collect() {
        for (const [name, queue] of queues) {
          const retries = queue.stats().retries;
          const delta = retries - (retriesSeen.get(name) ?? 0);
          retriesSeen.set(name, retries);
          if (delta > 0) this.inc({ queue: name }, delta);
          else this.inc({ queue: name }, 0);
        }
      },
    });
    this.actionsTotal = new Counter({
      name: "container_actions_total",
      help: "Handled action requests by action and result (Succeeded, Failed, Dropped).",
      labelNames: ["action", "result"],
      registers,
    });
    this.kubeRequests = new Counter({
      name: "kube_api_requests_total",
      help: "Kubernetes API requests by verb, resource, HTTP code (error = no answer, opened = watch opened) and caller.",
      labelNames: ["verb", "resource", "code", "caller"],
      registers,
    });
    this.kubeConflicts = new Counter({ name: "kube_api_conflicts_total", help: "Kubernetes API requests answered 409 Conflict.", registers });
    this.dockerCallDuration = new Histogram({
      name: "docker_call_duration_seconds",
      help: "Docker Engine API calls by call and caller (action, mirror, events), whatever their outcome.",
      labelNames: ["call", "caller"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.leader = new Gauge({ name: "leader_election_master_status", help: "1 while this process holds the Lease (or does not elect).", registers });
  }

  /** Exports depth and retries of a queue under `name`. */
  watchQueue(name: string, queue: QueueStatsSource): void {
    this.queues.set(name, queue);
    this.retriesSeen.set(name, queue.stats().retries);
  }

  observeKubeRequest(request: { verb: string; resource: string; caller: string }, code: string): void {
    this.kubeRequests.inc({ verb: request.verb, resource: request.resource, code, caller: request.caller });
    if (code === "409") this.kubeConflicts.inc();
  }

  observeDockerCall(call: string, caller: string, seconds: number): void {
    this.dockerCallDuration.observe({ call, caller }, seconds);
  }

  observePass(queue: string, result: string, seconds: number, retry: boolean): void {
    this.reconcileTotal.inc({ queue, result });
    this.reconcileDuration.observe({ queue }, seconds);
    if (retry) this.reconcileErrors.inc({ queue });
  }

  /** A pass that threw (a bug by the project's rules); the queue retries it. */
  observeThrown(queue: string): void {
    this.reconcileTotal.inc({ queue, result: "thrown" });
    this.reconcileErrors.inc({ queue });
  }

  observeAction(action: string, result: string): void {
    this.actionsTotal.inc({ action, result });
  }

  setLeader(isLeader: boolean): void {
    this.leader.set(isLeader ? 1 : 0);
  }

  async render(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
