import type { Timers } from "@container-actions/core";
import { classifyKubeAnswer, type KubeTransport } from "@container-actions/kube-adapters";
import { decideLease, microTime, recordKey, type Lease, type Observation } from "./lease-record.ts";

export interface LeaseElectorOptions {
  kube: KubeTransport;
  name: string;
  namespace: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  timers: Timers;
  /** Leadership was lost (renewals failed for renewDeadline, or another holder took the Lease). */
  onLost: (why: string) => void;
  onLeader?: (isLeader: boolean) => void;
  log: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void };
  /** Jitter source for the acquire loop; Math.random in production. */
  random?: () => number;
}

/** One round's answer. */
type Round = { kind: "held" } | { kind: "not-held"; why: string };

/**
 * Lease-based leader election on coordination.k8s.io/v1, as client-go's leaderelection does it:
 * GET the Lease; create it, or PUT it with the read resourceVersion as precondition (a 409 means another
 * candidate wrote first: this round is lost). Acquire retries every retryPeriod (+ up to 120 % jitter);
 * the leader renews every retryPeriod and gives up when no renewal succeeded for renewDeadline.
 */
export class LeaseElector {
  private leader = false;
  private stopped = false;
  private observation: Observation | undefined;
  private cancelTimer: (() => void) | undefined;
  private cancelDeadline: (() => void) | undefined;

  constructor(private readonly options: LeaseElectorOptions) {}

  isLeader(): boolean {
    return this.leader;
  }

  /** Resolves once this process holds the Lease; renewals then run in the background. */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      const attempt = async () => {
        if (this.stopped) return;
        const round = await this.tryAcquireOrRenew();
        if (round.kind === "held") {
          this.setLeader(true);
          this.options.log.info({ lease: `${this.options.namespace}/${this.options.name}`, identity: this.options.identity }, "Leader election: acquired the Lease");
          this.armDeadline();
          this.scheduleRenew();
          resolve();
          return;
        }
        const jitter = 1 + (this.options.random ?? Math.random)() * 1.2;
        this.cancelTimer = this.options.timers.setTimer(Math.round(this.options.retryPeriodMs * jitter), () => void attempt());
      };
      void attempt();
    });
  }

  /** Stops renewing and, if leader, releases the Lease so a successor need not wait for it to expire. */
  async release(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelDeadline?.();
    if (!this.leader) return;
    this.setLeader(false);
    const current = await this.read();
    if (current.kind !== "found" || current.lease.spec?.holderIdentity !== this.options.identity) return;
    const now = microTime(this.options.timers.nowMs());
    await this.options.kube.send({
      method: "PUT",
      path: this.path(),
      body: { ...current.lease, spec: { ...current.lease.spec, holderIdentity: null, leaseDurationSeconds: 1, renewTime: now, acquireTime: now } },
      verb: "update",
      resource: "leases",
      caller: "leader",
    });
  }

  private scheduleRenew(): void {
    this.cancelTimer = this.options.timers.setTimer(this.options.retryPeriodMs, async () => {
      if (this.stopped) return;
      const round = await this.tryAcquireOrRenew();
      if (this.stopped) return;
      if (round.kind === "held") this.armDeadline();
      else this.options.log.warn({ why: round.why }, "Leader election: renewal failed");
      if (round.kind === "not-held" && round.why.startsWith("held by ")) return this.lose(round.why);
      this.scheduleRenew();
    });
  }

  /** Leadership ends when no renewal succeeds within renewDeadline, even if a request hangs. */
  private armDeadline(): void {
    this.cancelDeadline?.();
    this.cancelDeadline = this.options.timers.setTimer(this.options.renewDeadlineMs, () => this.lose(`no renewal within ${this.options.renewDeadlineMs} ms`));
  }

  private lose(why: string): void {
    if (this.stopped || !this.leader) return;
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelDeadline?.();
    this.setLeader(false);
    this.options.onLost(why);
  }

  private setLeader(leader: boolean): void {
    this.leader = leader;
    this.options.onLeader?.(leader);
  }

  private async tryAcquireOrRenew(): Promise<Round> {
    const nowMs = this.options.timers.nowMs();
    const read = await this.read();
    if (read.kind === "failed") return { kind: "not-held", why: read.detail };
    const current = read.kind === "found" ? read.lease : undefined;
    if (current?.spec !== undefined) {
      const key = recordKey(current.spec);
      if (this.observation?.record !== key) this.observation = { record: key, atMs: nowMs };
    }
    const decision = decideLease(current, this.options.identity, nowMs, this.observation, this.options.leaseDurationMs);
    if (decision.kind === "wait") return { kind: "not-held", why: `held by ${decision.holder}` };
    const body: Lease = {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: {
        name: this.options.name,
        namespace: this.options.namespace,
        ...(decision.kind === "update" ? { resourceVersion: decision.resourceVersion } : {}),
      },
      spec: decision.spec,
    };
    const answer =
      decision.kind === "create"
        ? await this.options.kube.send({ method: "POST", path: this.collectionPath(), body, verb: "create", resource: "leases", caller: "leader" })
        : await this.options.kube.send({ method: "PUT", path: this.path(), body, verb: "update", resource: "leases", caller: "leader" });
    const reply = classifyKubeAnswer(answer);
    if (reply.kind !== "ok") return { kind: "not-held", why: reply.detail };
    this.observation = { record: recordKey(decision.spec), atMs: nowMs };
    return { kind: "held" };
  }

  private async read(): Promise<{ kind: "found"; lease: Lease } | { kind: "absent" } | { kind: "failed"; detail: string }> {
    const answer = await this.options.kube.send({ method: "GET", path: this.path(), verb: "get", resource: "leases", caller: "leader" });
    const reply = classifyKubeAnswer(answer);
    if (reply.kind === "ok") return { kind: "found", lease: reply.body as Lease };
    if (reply.kind === "not-found") return { kind: "absent" };
    return { kind: "failed", detail: reply.detail };
  }

  private collectionPath(): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(this.options.namespace)}/leases`;
  }

  private path(): string {
    return `${this.collectionPath()}/${encodeURIComponent(this.options.name)}`;
  }
}
