import type { Container, ContainerStatusValue } from "@container-actions/core";
import type { HistoryEvent, Violation } from "./history.ts";
import type { InspectFields } from "./mirror-fields.ts";

/** The settled world after the liveness phase, as the checkers see it. */
export interface FinalState {
  /** Every Container in the store, by namespace/name. */
  mirrors: Map<string, Container>;
  /** Every Docker container's status, by namespace/id (the key its mirror would have). */
  docker: Map<string, ContainerStatusValue>;
  /** Every Docker container's inspect document, by the same key, read past faults. */
  inspects: Map<string, InspectFields>;
  /** Why the world has not settled, or null when it has. */
  pending: string | null;
  /** Keys of every Docker container the run created: objects with other names mirror nothing. */
  containerKeys: Set<string>;
}

/** Checks one invariant from the events of a run and its settled state. */
export interface Checker {
  on(event: HistoryEvent): Violation | null;
  finish(state: FinalState): Violation[];
}
