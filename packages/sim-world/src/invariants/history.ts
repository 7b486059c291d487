import type { ActionName, EngineReply, LastAction } from "@container-actions/core";

/** A request as a client wrote it. `seq` orders every client write in a run. */
export interface WrittenRequest {
  key: string;
  action: ActionName;
  /**
   * The id the slot holds for this request after the write: the one the client sent, or — when it sent
   * only the action (as `kubectl annotate` does) — the one already there, which the write left in place.
   */
  requestId?: string;
  /** The server-chosen id the controller gave this id-less request (its stamp), once it did. */
  stampedId?: string;
  seq: number;
  atMs: number;
  /** The write changed nothing (the slot already held exactly this): the apiserver treats it as a no-op (S1). */
  collapsed?: boolean;
}

/** The id a request goes by: its own, or the one the controller stamped on it. */
export function idOf(request: WrittenRequest): string | undefined {
  return request.requestId ?? request.stampedId;
}

/** What the engine said to one state-changing call the controller made for a request. */
export type DispatchEffect = "changed" | "no-change" | "refused" | "gone" | "unreachable";

/** What an engine reply says the call did. */
export function effectOfReply(reply: EngineReply): DispatchEffect {
  switch (reply.kind) {
    case "done":
      return "changed";
    case "already":
      return "no-change";
    case "refused":
      return "refused";
    case "gone":
      return "gone";
    case "unreachable":
      return "unreachable";
  }
}

/** One thing that happened in a run, in the order it happened; the checkers read these. */
export type HistoryEvent =
  | { kind: "client-write"; request: WrittenRequest }
  | { kind: "invalid-write"; key: string; value: string; atMs: number }
  /** One state-changing Docker call for a request, from when it was made (`startedMs`) to its answer (`atMs`). */
  | { kind: "dispatch"; key: string; request: WrittenRequest | null; call: ActionName; effect: DispatchEffect; startedMs: number; atMs: number }
  /** A Docker read the controller made for a request (a pre-check): whether it reached the engine. */
  | { kind: "engine-read"; key: string; request: WrittenRequest | null; read: "inspect" | "events"; reached: boolean; atMs: number }
  /**
   * The engine's own state of a container, read the moment it logged an event (`cause`) and again once
   * that step of the daemon finished (a SIGKILL on a paused container thaws it without an event);
   * `state` null: the container is gone.
   */
  | { kind: "engine-state"; key: string; cause: string; state: EngineStateSample | null; atMs: number }
  /**
   * Someone outside the controller changes the container (docker CLI, its process exiting): recorded when
   * the call starts and again when dockerd answers it (`done`), since it may act anywhere in between.
   */
  | { kind: "docker-cli"; key: string; op: string; done: boolean; atMs: number }
  /** The controller removed a request without running it; `mirror` says whether its object mirrors a real container. */
  | { kind: "dropped"; key: string; action: string; requestId?: string; why: string; mirror: boolean; atMs: number }
  /**
   * A lastAction write the apiserver accepted: `sent` is exactly the merge patch's lastAction body the
   * controller sent (optional fields it nulls are `null`), never what the store made of it.
   */
  | { kind: "outcome"; key: string; sent: SentLastAction; atMs: number }
  /** The controller gave the id-less request `action` on `key` the server-chosen id `requestId`. */
  | { kind: "stamped"; key: string; action: string; requestId: string; atMs: number }
  | { kind: "cleared"; key: string; action: string; requestId?: string; atMs: number }
  /** A client deleted the object; `forced`: after stripping its finalizers (the Docker container stays). */
  | { kind: "deleted"; key: string; forced?: boolean; atMs: number }
  /** The apiserver refused a controller's lastAction write as invalid (422): a wasted write (E14). */
  | { kind: "rejected"; key: string; message: string; atMs: number }
  /** The apiserver answered an action-protocol write with 404: the object was gone. */
  | { kind: "not-found"; key: string; atMs: number }
  /** The controller process was killed; the next one starts `downMs` later. */
  | { kind: "crash"; atMs: number; downMs?: number }
  /** A Kubernetes Event the controller emitted about the Container `key` (what `kubectl describe` shows). */
  | { kind: "k8s-event"; key: string; type: "Normal" | "Warning"; reason: string; message: string; atMs: number }
  /** A user CREATEd a Container carrying a request through the webhook; `admitted` is the apiserver's answer. */
  | { kind: "create-with-request"; key: string; action: string; admitted: boolean; atMs: number }
  /** A pass on `key` ended without asking to retry after `failures` failed ones: the work queue forgets its backoff. */
  | { kind: "backoff-reset"; key: string; failures: number; atMs: number }
  /** The Docker daemon answers nobody from `atMs` until `untilMs`. */
  | { kind: "engine-outage"; atMs: number; untilMs: number }
  /** The safety phase ended: from here the world is healthy (no faults, no actors). */
  | { kind: "faults-off"; atMs: number }
  | { kind: "note"; text: string; atMs: number };

/** Docker's inspect `State` flags, as far as the checkers read them. */
export interface EngineStateSample {
  status: string;
  running: boolean;
  paused: boolean;
  restarting: boolean;
}

/** A lastAction merge-patch body as sent: optional fields absent from the outcome are sent as `null`. */
export type SentLastAction = Omit<LastAction, "error" | "requestId"> & { error?: string | null; requestId?: string | null };

/** What a merge patch of `sent` makes of `previous` (RFC 7386: `null` removes, anything else replaces). */
export function mergeLastAction(previous: LastAction | undefined, sent: SentLastAction): LastAction {
  const merged: Record<string, unknown> = { ...previous };
  for (const [field, value] of Object.entries(sent)) {
    if (value === null) delete merged[field];
    else if (value !== undefined) merged[field] = value;
  }
  return merged as unknown as LastAction;
}

/** A broken invariant: which one, on what, and the events that led to it. */
export interface Violation {
  invariant: "no-lost-request" | "no-duplicate-dispatch" | "no-wedge" | "truth" | "latency" | "foreign-input" | "no-cross-talk" | "removal-warnings" | "admission" | "well-formed-requests";
  subject: string;
  detail: string;
}

/** A removed or dropped request's id for the timeline: an empty one shows, as `#""`, since it is no id-less request. */
function idTag(requestId: string | undefined): string {
  if (requestId === undefined) return "";
  return requestId === "" ? `#""` : `#${requestId}`;
}

/** Formats one event as a timeline line: `+1234ms  kind  details`. */
export function formatEvent(event: HistoryEvent, startMs: number): string {
  const atMs = event.kind === "client-write" ? event.request.atMs : event.atMs;
  const t = `+${String(atMs - startMs).padStart(7)}ms`;
  const short = (key: string) => key.slice(key.indexOf("/") + 1, key.indexOf("/") + 9);
  const req = (r: WrittenRequest | null) => (r === null ? "?" : `${r.action}${idOf(r) ? `#${idOf(r)}` : ""}@w${r.seq}`);
  switch (event.kind) {
    case "client-write":
      return `${t}  client   ${short(event.request.key)} writes ${req(event.request)}${event.request.collapsed ? " (unchanged: no-op)" : ""}`;
    case "invalid-write":
      return `${t}  client   ${short(event.key)} writes invalid "${event.value}" (no webhook)`;
    case "dispatch":
      return `${t}  docker   ${short(event.key)} ${event.call} for ${req(event.request)} → ${event.effect}`;
    case "outcome":
      return `${t}  ledger   ${short(event.key)} lastAction ${event.sent.action}${event.sent.requestId ? `#${event.sent.requestId}` : ""}=${event.sent.state}`;
    case "stamped":
      return `${t}  ledger   ${short(event.key)} request ${event.action} given id #${event.requestId}`;
    case "cleared":
      return `${t}  ledger   ${short(event.key)} request ${event.action}${idTag(event.requestId)} removed`;
    case "deleted":
      return `${t}  client   ${short(event.key)} deleted`;
    case "rejected":
      return `${t}  ledger   ${short(event.key)} lastAction write refused: ${event.message}`;
    case "not-found":
      return `${t}  ledger   ${short(event.key)} write answered 404 NotFound`;
    case "engine-read":
      return `${t}  docker   ${short(event.key)} ${event.read} for ${req(event.request)}${event.reached ? "" : " → unreachable"}`;
    case "engine-state":
      return `${t}  engine   ${short(event.key)} ${event.state === null ? "gone" : event.state.status} (${event.cause})`;
    case "docker-cli":
      return `${t}  docker   ${short(event.key)} ${event.op} (out of band)${event.done ? " answered" : ""}`;
    case "dropped":
      return `${t}  ctrl     ${short(event.key)} request ${event.action}${idTag(event.requestId)} dropped: ${event.why}`;
    case "crash":
      return `${t}  crash    controller killed${event.downMs === undefined ? "" : `, next one in ${event.downMs} ms`}`;
    case "k8s-event":
      return `${t}  event    ${short(event.key)} ${event.type} ${event.reason}: ${event.message}`;
    case "create-with-request":
      return `${t}  client   ${short(event.key)} creates a Container carrying ${event.action} → ${event.admitted ? "admitted" : "denied"}`;
    case "backoff-reset":
      return `${t}  ctrl     ${short(event.key)} pass done after ${event.failures} failed: backoff reset`;
    case "engine-outage":
      return `${t}  docker   engine unreachable for ${event.untilMs - event.atMs} ms`;
    case "faults-off":
      return `${t}  world    faults off (liveness phase)`;
    case "note":
      return `${t}  note     ${event.text}`;
  }
}
