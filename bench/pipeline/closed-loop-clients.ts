/**
 * GUI clients in a closed loop: client i owns container i, writes a request with a fresh id, waits until
 * it is done (its lastAction recorded and the request removed — api_containers.md "In progress, and
 * done"), then writes the next. All clients write their first request at the same virtual instant, so
 * `clients` requests are in flight at once.
 */
import type { ActionName } from "@container-actions/core";
import type { BenchWorld } from "../harness/bench-world.ts";

export interface ClientOptions {
  clients: number;
  /** Requests each client writes, cycling through `cycle`. */
  requestsPerClient: number;
  cycle: readonly ActionName[];
  /** Virtual time a client waits after one request is done before writing the next. */
  thinkMs: number;
}

/** One request's timeline, virtual ms. */
export interface RequestTimes {
  writtenMs: number;
  /** First lastAction write carrying this request's id. */
  outcomeMs?: number;
  /** Removal of this request: the client sees it done. */
  doneMs?: number;
}

export class ClosedLoopClients {
  readonly requests = new Map<string, RequestTimes>();
  private readonly sent: number[];
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly world: BenchWorld,
    private readonly options: ClientOptions,
  ) {
    this.sent = new Array<number>(options.clients).fill(0);
  }

  /** Writes every client's first request now. */
  async start(): Promise<void> {
    this.unsubscribe = this.world.onEvent((event) => {
      if (event.kind === "outcome") this.noteOutcome(event.sent.requestId ?? undefined);
      if (event.kind === "cleared") this.noteDone(event.requestId);
    });
    await Promise.all(Array.from({ length: this.options.clients }, (_, client) => this.next(client)));
  }

  stop(): void {
    this.unsubscribe?.();
  }

  /** True when every client has written all its requests and each is done. */
  finished(): boolean {
    return this.doneCount() === this.options.clients * this.options.requestsPerClient;
  }

  doneCount(): number {
    let done = 0;
    for (const r of this.requests.values()) if (r.doneMs !== undefined) done++;
    return done;
  }

  private async next(client: number): Promise<void> {
    const n = this.sent[client] ?? 0;
    if (n >= this.options.requestsPerClient) return;
    this.sent[client] = n + 1;
    const action = this.options.cycle[n % this.options.cycle.length] as ActionName;
    const requestId = `c${client}-r${n}`;
    this.requests.set(requestId, { writtenMs: this.world.clock.nowMs() });
    const written = await this.world.request(client, action, requestId);
    if (written === null) throw new Error(`client ${client}: request ${requestId} was not accepted`);
  }

  private noteOutcome(requestId: string | undefined): void {
    const r = requestId === undefined ? undefined : this.requests.get(requestId);
    if (r !== undefined && r.outcomeMs === undefined) r.outcomeMs = this.world.clock.nowMs();
  }

  private noteDone(requestId: string | undefined): void {
    const r = requestId === undefined ? undefined : this.requests.get(requestId);
    if (r === undefined || r.doneMs !== undefined) return;
    r.doneMs = this.world.clock.nowMs();
    const client = Number(requestId?.slice(1, requestId.indexOf("-")));
    this.world.clock.setTimer(this.options.thinkMs, () => void this.next(client));
  }
}
