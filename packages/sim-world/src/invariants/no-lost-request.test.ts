import { describe, expect, test } from "bun:test";
import type { Container } from "@container-actions/core";
import type { FinalState } from "./final-state.ts";
import type { HistoryEvent, WrittenRequest } from "./history.ts";
import { NoLostRequest } from "./no-lost-request.ts";

const KEY = "default/c0";
const WHY = 'invalid containers.rancherdesktop.io/action-id annotation "": must be 1-63 characters; request removed';

/** A settled world in which KEY still mirrors a real container. */
const settled: FinalState = {
  mirrors: new Map([[KEY, {} as Container]]),
  docker: new Map(),
  inspects: new Map(),
  pending: null,
  containerKeys: new Set([KEY]),
};

function write(seq: number, atMs: number, requestId?: string): HistoryEvent {
  const request: WrittenRequest = { key: KEY, action: "stop", ...(requestId === undefined ? {} : { requestId }), seq, atMs };
  return { kind: "client-write", request };
}

const invalidEmptyId = (atMs: number): HistoryEvent => ({ kind: "invalid-write", key: KEY, value: "stop", atMs });
const dropped = (atMs: number, requestId?: string): HistoryEvent => ({ kind: "dropped", key: KEY, action: "stop", ...(requestId === undefined ? {} : { requestId }), why: WHY, mirror: true, atMs });
const cleared = (atMs: number, requestId?: string): HistoryEvent => ({ kind: "cleared", key: KEY, action: "stop", ...(requestId === undefined ? {} : { requestId }), atMs });

function judge(events: HistoryEvent[]): string[] {
  const checker = new NoLostRequest();
  const online = events.flatMap((e) => {
    const v = checker.on(e);
    return v === null ? [] : [v];
  });
  return [...online, ...checker.finish(settled)].map((v) => v.detail);
}

describe("no-lost-request: a request id is matched exactly, an empty one included", () => {
  test("the drop of an invalid (stop, \"\") that replaced a valid id-less stop loses nothing (swarm, SIM_SEED=6)", () => {
    expect(judge([write(1, 2_000), invalidEmptyId(2_037), cleared(2_076, ""), dropped(2_076, "")])).toEqual([]);
  });

  test("a valid id-less stop dropped on a real mirror is lost, though an empty-id write came before it", () => {
    // The invalid write is older than the request, so it replaced nothing the controller then dropped.
    expect(judge([invalidEmptyId(1_000), write(1, 2_000), cleared(2_076), dropped(2_076)])).toEqual([
      `request stop (write 1) on a real mirror was dropped: ${WHY}`,
    ]);
  });

  test("a request written after an empty-id drop and then removed without an outcome is lost", () => {
    expect(judge([write(1, 1_000), invalidEmptyId(1_500), cleared(1_600, ""), dropped(1_600, ""), write(2, 2_000), cleared(2_100)])).toEqual([
      "request stop (write 2) was removed without an outcome",
    ]);
  });

});
