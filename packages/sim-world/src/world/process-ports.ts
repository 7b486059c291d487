/**
 * Wrappers that put one simulated controller process between its ports and the world: latency and
 * faults drawn from the world's PRNG, and death — after a crash, a call not yet made never happens and
 * an answer not yet received never arrives, exactly as for a killed process.
 */
import type { ActionLedger, ContainerEngine, MirrorLedger, MirrorSource } from "@container-actions/core";
import type { FaultOptions } from "@container-actions/sim-kernel";
import { drawLatencyMs, type Prng, type Ratio } from "@container-actions/sim-kernel";
import type { VirtualClock } from "@container-actions/sim-kernel";

/** The fault state of the world: the options, and whether the safety phase (faults on) is running. */
export interface FaultState {
  options: FaultOptions;
  active: boolean;
}

export class ProcessLife {
  alive = true;
  private readonly never = new Promise<never>(() => {});

  constructor(
    private readonly clock: VirtualClock,
    private readonly prng: Prng,
    private readonly faults: FaultState,
  ) {}

  /**
   * Runs `call` with up to `latencyMsMax` on the way there and again on the way back, unless the process
   * dies first: a call already made still takes effect, but its answer is never received.
   */
  async call<T>(latencyMsMax: number, call: () => Promise<T>): Promise<T> {
    await this.transit(latencyMsMax);
    if (!this.alive) return this.never;
    const answer = await call();
    await this.transit(latencyMsMax);
    if (!this.alive) return this.never;
    return answer;
  }

  private async transit(latencyMsMax: number): Promise<void> {
    const delay = this.faults.active ? drawLatencyMs(this.prng, 0, latencyMsMax) : 0;
    if (delay > 0) await this.clock.sleep(delay);
  }

  chance(ratio: Ratio): boolean {
    return this.faults.active && this.prng.happens(ratio);
  }

  get options(): FaultOptions {
    return this.faults.options;
  }
}

/** An API fault: either the write never reached the server, or it did and only the answer was lost. */
async function faultyWrite<T>(life: ProcessLife, write: () => Promise<T>, unavailable: T): Promise<T> {
  return life.call(life.options.apiLatencyMsMax, async () => {
    if (!life.chance(life.options.apiFaultChance)) return write();
    if (life.chance([1, 2])) await write();
    return unavailable;
  });
}

export function faultyActionLedger(inner: ActionLedger, life: ProcessLife): ActionLedger {
  const unavailable = { kind: "unavailable" as const, detail: "500 InternalError (injected)" };
  return {
    recordOutcome: (ref, lastAction) => faultyWrite(life, () => inner.recordOutcome(ref, lastAction), unavailable),
    clearRequest: (ref, request) => faultyWrite(life, () => inner.clearRequest(ref, request), unavailable),
    stampRequestId: (ref, action, id) => faultyWrite(life, () => inner.stampRequestId(ref, action, id), unavailable),
  };
}

export function faultyMirrorLedger(inner: MirrorLedger, life: ProcessLife): MirrorLedger {
  const unavailable = { kind: "unavailable" as const, detail: "500 InternalError (injected)" };
  return {
    create: (ref) => faultyWrite(life, () => inner.create(ref), unavailable),
    addFinalizer: (ref, hasList) => faultyWrite(life, () => inner.addFinalizer(ref, hasList), unavailable),
    writeStatus: (ref, s, absent) => faultyWrite(life, () => inner.writeStatus(ref, s, absent), unavailable),
    removeFinalizer: (ref, i) => faultyWrite(life, () => inner.removeFinalizer(ref, i), unavailable),
    delete: (ref) => faultyWrite(life, () => inner.delete(ref), unavailable),
  };
}

const UNREACHABLE = { kind: "unreachable" as const, detail: "connect ECONNREFUSED /var/run/docker.sock (injected)" };

export function faultyEngine(inner: ContainerEngine, life: ProcessLife): ContainerEngine {
  return {
    inspect: (id) => life.call(life.options.engineLatencyMsMax, () => (life.chance(life.options.engineUnreachableChance) ? Promise.resolve(UNREACHABLE) : inner.inspect(id))),
    perform: (id, action) =>
      life.call(life.options.engineLatencyMsMax, () =>
        life.chance(life.options.engineUnreachableChance) ? Promise.resolve(UNREACHABLE) : inner.perform(id, action),
      ),
    restartedSince: (id, sinceMs) =>
      life.call(life.options.engineLatencyMsMax, () =>
        life.chance(life.options.engineUnreachableChance) ? Promise.resolve(UNREACHABLE) : inner.restartedSince(id, sinceMs),
      ),
  };
}

export function faultyMirrorSource(inner: MirrorSource, life: ProcessLife): MirrorSource {
  const latency = () => life.options.engineLatencyMsMax;
  const down = () => life.chance(life.options.engineUnreachableChance);
  return {
    list: () => life.call(latency(), () => (down() ? Promise.resolve(UNREACHABLE) : inner.list())),
    describe: (id) => life.call(latency(), () => (down() ? Promise.resolve(UNREACHABLE) : inner.describe(id))),
    remove: (id) => life.call(latency(), () => (down() ? Promise.resolve(UNREACHABLE) : inner.remove(id))),
  };
}
