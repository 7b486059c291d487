import type { ActionName } from "@container-actions/core";
import type { FaultOptions } from "@container-actions/sim-kernel";

/** A container by its index in the order Docker created it (stable across shrinking). */
export type ContainerIndex = number;

/** An engine of a fleet by its index; engine 0 is the single-engine world's only engine. */
export type EngineIndex = number;

/**
 * One thing an actor does in a scenario, on engine `engine` (default 0) and in that engine's namespace:
 * its containers, its controller, its Docker daemon.
 */
export type Step = StepAction & { engine?: EngineIndex };

type StepAction =
  /**
   * A GUI client writes a request, with a fresh request id or without one. `reuseId`: the id of the
   * latest request on the object, when that one had another action and the id never went with this one
   * (an id reused with another action is a new request). Without an id it writes `action-id: null` too,
   * unless `keepsId`: then it writes the action only, as `kubectl annotate` does, and an id already in
   * the slot stays.
   */
  | { kind: "request"; container: ContainerIndex; action: ActionName; withId: boolean; reuseId?: boolean; keepsId?: boolean }
  /**
   * A client that writes by server-side apply (`kubectl apply --server-side --force-conflicts`, its own
   * field manager): the action, and the id when `withId`. Applying the value another manager wrote makes
   * the two co-own the annotation, each with its own managedFields time.
   */
  | { kind: "apply-request"; container: ContainerIndex; action: ActionName; withId: boolean }
  /** A request written while no webhook is registered, with a value outside the enum. */
  | { kind: "invalid-request"; container: ContainerIndex; value: string; /** An id written along (valid or not). */ id?: string }
  /** Someone uses the docker CLI directly, or the container's process exits on its own. */
  | { kind: "docker"; container: ContainerIndex; op: "stop" | "start" | "kill" | "rm" | "exit" | "pause" }
  /** `docker run`: a new container appears. */
  | { kind: "docker-run" }
  /** `kubectl delete container`. */
  | { kind: "delete"; container: ContainerIndex }
  /** A user strips the finalizers by hand and deletes: the object vanishes at once (E27, I2). */
  | { kind: "force-delete"; container: ContainerIndex }
  /**
   * A hand-made Container with no status (webhook absent), then a request on it (E13, E14): foreign input.
   * Its name is a 64-hex ID Docker never had (default, or one from another engine), or — `name` — a Docker
   * name (`c0`, …) or a short ID of a real container, which Docker would resolve to that container.
   */
  | { kind: "statusless-request"; action: ActionName; name?: "unknown-id" | "docker-name" | "short-id"; container?: ContainerIndex }
  /**
   * Cross-namespace mischief in a fleet: a hand-made Container in this engine's namespace named with the
   * full ID of container `container` of engine `owner` (another engine), then a request on it.
   */
  | { kind: "cross-engine-request"; action: ActionName; owner: EngineIndex; container: ContainerIndex }
  /** The Docker daemon stops answering for `ms` (a hang, a restart): every caller sees it unreachable. */
  | { kind: "engine-outage"; ms: number }
  /** The controller process dies (SIGKILL) and a new one starts after `downMs`. */
  | { kind: "crash"; downMs: number }
  /**
   * A user CREATEs a Container named with the full ID of container `container` and carrying a request
   * (I1, E12), through the webhook: it must be denied, or the hand-written object would steer Docker.
   */
  | { kind: "create-with-request"; container: ContainerIndex; action: ActionName }
  /** Let time pass. */
  | { kind: "wait"; ms: number };

/** Everything that decides a run: replaying the same scenario gives the same run, event for event. */
export interface Scenario {
  seed: number;
  /** Containers running when the run starts. */
  containers: number;
  steps: Step[];
  faults: FaultOptions;
  /** A fleet: this many engines, each with its own controller and namespace, on one cluster (default 1). */
  engines?: number;
  /**
   * The controller's periodic resync (default 30 s). The latency property sets it longer than the run,
   * so nothing the protocol promises can lean on the resync to repair it.
   */
  resyncMs?: number;
  /**
   * The webhook runs with its default configuration, no `--engine-identity`: any authorized user may
   * CREATE Containers, and only the annotation rule keeps a request off a hand-written one (default:
   * the controller is the only identity allowed to create).
   */
  anyoneMayCreate?: boolean;
}
