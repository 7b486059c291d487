/**
 * The `GET /events` query: `since`, `until` (Unix seconds, optionally with a fraction) and `filters`,
 * checked as dockerd checks them, then turned into a subscription on the event log.
 */
import type { DockerEvent, DockerEventLog, EventSubscription } from "./docker-events.ts";
import { FilterArgs } from "./docker-filters.ts";
import { DockerMessages } from "./docker-messages.ts";
import { errorAnswer, type DockerResponse } from "./docker-response.ts";
import { parseDockerTimestamp } from "./docker-time.ts";

/** An events request as a client sends it. */
export interface EventsQuery {
  since?: string | number;
  until?: string | number;
  filters?: string | Record<string, string[]>;
}

/** A live subscription, or dockerd's error answer (or a transport failure). */
export type EventsAnswer = { kind: "subscribed"; subscription: EventSubscription } | DockerResponse;

function timestamp(value: string | number | undefined): { nanos?: bigint; error?: string } {
  if (value === undefined || value === "") return {};
  const parsed = parseDockerTimestamp(String(value));
  return parsed.kind === "ok" ? { nanos: parsed.nanos } : { error: parsed.message };
}

/** Validates `query` and subscribes; events go to `onEvent` in order, `onEnd` runs when `until` passes. */
export function subscribeEvents(
  log: DockerEventLog,
  query: EventsQuery,
  onEvent: (event: DockerEvent) => void,
  onEnd: () => void,
): EventsAnswer {
  const since = timestamp(query.since);
  if (since.error !== undefined) return errorAnswer(500, since.error);
  const until = timestamp(query.until);
  if (until.error !== undefined) return errorAnswer(500, until.error);
  if (since.nanos !== undefined && until.nanos !== undefined && until.nanos < since.nanos) {
    return errorAnswer(400, DockerMessages.sinceAfterUntil(String(query.since), String(query.until)));
  }
  const filtersJson = typeof query.filters === "object" ? JSON.stringify(query.filters) : query.filters;
  const parsed = FilterArgs.parse(filtersJson);
  if (parsed.kind === "invalid") return errorAnswer(500, parsed.message);
  const subscription = log.subscribe(
    { sinceNanos: since.nanos, untilNanos: until.nanos, filters: parsed.filters },
    onEvent,
    onEnd,
  );
  return { kind: "subscribed", subscription };
}
