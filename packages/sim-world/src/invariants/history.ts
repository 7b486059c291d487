import type { ActionName, EngineReply, LastAction } from "@container-actions/core";

/** A request as a client wrote it. `seq` orders every client write in a run. */
export interface WrittenRequest {
  key: string;
  action: ActionName;
  requestId?: string;
  seq: number;
  atMs: number;
  /** The write changed nothing (the slot already held exactly this): the apiserver treats it as a no-op (S1). */
  collapsed?: boolean;
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
  /** Someone outside the controller changed the container (docker CLI, its process exiting). */
  | { kind: "docker-cli"; key: string; op: string; atMs: number }
  /** The controller removed a request without running it; `mirror` says whether its object mirrors a real container. */
  | { kind: "dropped"; key: string; action: string; requestId?: string; why: string; mirror: boolean; atMs: number }
  | { kind: "outcome"; key: string; lastAction: LastAction; atMs: number }
  | { kind: "cleared"; key: string; action: string; requestId?: string; atMs: number }
  | { kind: "deleted"; key: string; atMs: number }
  /** The apiserver refused a controller's lastAction write as invalid (422): a wasted write (E14). */
  | { kind: "rejected"; key: string; message: string; atMs: number }
  /** The apiserver answered an action-protocol write with 404: the object was gone. */
  | { kind: "not-found"; key: string; atMs: number }
  | { kind: "crash"; atMs: number }
  | { kind: "note"; text: string; atMs: number };

/** A broken invariant: which one, on what, and the events that led to it. */
export interface Violation {
  invariant: "no-lost-request" | "no-duplicate-dispatch" | "no-wedge" | "truth";
  subject: string;
  detail: string;
}

/** Formats one event as a timeline line: `+1234ms  kind  details`. */
export function formatEvent(event: HistoryEvent, startMs: number): string {
  const atMs = event.kind === "client-write" ? event.request.atMs : event.atMs;
  const t = `+${String(atMs - startMs).padStart(7)}ms`;
  const short = (key: string) => key.slice(key.indexOf("/") + 1, key.indexOf("/") + 9);
  const req = (r: WrittenRequest | null) => (r === null ? "?" : `${r.action}${r.requestId ? `#${r.requestId}` : ""}@w${r.seq}`);
  switch (event.kind) {
    case "client-write":
      return `${t}  client   ${short(event.request.key)} writes ${req(event.request)}${event.request.collapsed ? " (unchanged: no-op)" : ""}`;
    case "invalid-write":
      return `${t}  client   ${short(event.key)} writes invalid "${event.value}" (no webhook)`;
    case "dispatch":
      return `${t}  docker   ${short(event.key)} ${event.call} for ${req(event.request)} → ${event.effect}`;
    case "outcome":
      return `${t}  ledger   ${short(event.key)} lastAction ${event.lastAction.action}${event.lastAction.requestId ? `#${event.lastAction.requestId}` : ""}=${event.lastAction.state}`;
    case "cleared":
      return `${t}  ledger   ${short(event.key)} request ${event.action}${event.requestId ? `#${event.requestId}` : ""} removed`;
    case "deleted":
      return `${t}  client   ${short(event.key)} deleted`;
    case "rejected":
      return `${t}  ledger   ${short(event.key)} lastAction write refused: ${event.message}`;
    case "not-found":
      return `${t}  ledger   ${short(event.key)} write answered 404 NotFound`;
    case "docker-cli":
      return `${t}  docker   ${short(event.key)} ${event.op} (out of band)`;
    case "dropped":
      return `${t}  ctrl     ${short(event.key)} request dropped: ${event.why}`;
    case "crash":
      return `${t}  crash    controller killed`;
    case "note":
      return `${t}  note     ${event.text}`;
  }
}
