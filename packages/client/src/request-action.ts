/**
 * requestAction: write one action request with a fresh request id, then follow the Container until
 * THIS request has an outcome (docs/design/api_containers.md, "Requesting an action").
 */
import { randomUUID } from "node:crypto";
import { ANNOTATION_ACTION, ANNOTATION_ACTION_ID, isContainerId, type ActionName, type Container } from "@container-actions/core";
import type { ActionResult } from "./action-result.ts";
import type { ContainerApi, WatchHandle } from "./container-api.ts";
import { toContainerApi, type KubeLike } from "./kube-like.ts";
import { judgeProgress } from "./request-progress.ts";
import { resolveContainer } from "./resolve-container.ts";

/** The field manager of writes made through this client, so `managedFields` tells who asked. */
export const CLIENT_FIELD_MANAGER = "container-actions-client";

/** Waits at least this long between two reads after a watch ended, so a failing server is not hammered. */
const RESUME_DELAY_MS = 250;

export interface ActionTarget {
  namespace: string;
  /** The mirror's name (the full container ID), or a Docker container name or unique ID prefix to resolve. */
  container: string;
  action: ActionName;
}

export interface RequestOptions {
  /** Wait for the outcome (default true); false returns `requested` once the request is written. */
  wait?: boolean;
  /** How long to wait for the outcome (default 30 000 ms); then `timeout`, and the request stays pending. */
  timeoutMs?: number;
  /** Aborts the wait (not the request): then `aborted`. */
  signal?: AbortSignal;
  /** The request id to send; default a fresh UUID. Reuse one only to resume waiting for the same request. */
  requestId?: string;
  /** Field manager of the write (default {@link CLIENT_FIELD_MANAGER}). */
  fieldManager?: string;
}

/**
 * Requests `action` on one Container and returns the outcome of this request.
 *
 * Guarantees: one API write (a merge patch of the two annotations, no resourceVersion, so it never
 * conflicts); the result is about this request's id only — another client's request on the same
 * Container is never mistaken for it; a timeout or an abort leaves the request pending (it may still run).
 * Assumptions: a controller serves the namespace; `wait` needs list/watch rights on Containers.
 */
export async function requestAction(kube: KubeLike, target: ActionTarget, options: RequestOptions = {}): Promise<ActionResult> {
  const api = toContainerApi(kube);
  const requestId = options.requestId ?? randomUUID();
  let name = target.container;
  if (!isContainerId(name)) {
    const resolved = await resolveContainer(api, target.namespace, name);
    if (resolved.kind === "unavailable") return { kind: "unavailable", requestId, detail: resolved.detail, written: false };
    if (resolved.kind !== "found") return { kind: "not-found", requestId, message: resolved.message };
    name = resolved.container.metadata.name;
  }
  const written = await api.annotate(target.namespace, name, { [ANNOTATION_ACTION]: target.action, [ANNOTATION_ACTION_ID]: requestId }, options.fieldManager ?? CLIENT_FIELD_MANAGER);
  switch (written.kind) {
    case "not-found":
      return { kind: "not-found", requestId, message: written.message };
    case "refused":
      return { kind: "denied", requestId, code: written.code, message: written.message };
    case "unavailable":
      return { kind: "unavailable", requestId, detail: written.detail, written: false };
    case "ok":
      break;
  }
  if (options.wait === false) return { kind: "requested", requestId };
  return awaitOutcome(api, target.namespace, written.value, requestId, options.timeoutMs ?? 30_000, options.signal);
}

/** Follows one Container from `start` (the object our write returned) until the request is decided. */
function awaitOutcome(api: ContainerApi, namespace: string, start: Container, requestId: string, timeoutMs: number, signal?: AbortSignal): Promise<ActionResult> {
  const name = start.metadata.name;
  return new Promise((resolve) => {
    let replaced = false;
    let settled = false;
    let handle: WatchHandle | null = null;
    const finish = (result: ActionResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      handle?.stop();
      resolve(result);
    };
    const onAbort = () => finish({ kind: "aborted", requestId });
    const timer = setTimeout(() => finish({ kind: "timeout", requestId, timeoutMs }), timeoutMs);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort);

    const judge = (container: Container) => {
      const progress = judgeProgress(container, requestId, replaced);
      switch (progress.kind) {
        case "pending":
          replaced = progress.replaced;
          return;
        case "done": {
          const { lastAction } = progress;
          return finish(
            lastAction.state === "Succeeded"
              ? { kind: "succeeded", requestId, lastAction }
              : { kind: "failed", requestId, lastAction, error: lastAction.error ?? "failed" },
          );
        }
        case "superseded":
          return finish({ kind: "superseded", requestId, by: progress.by });
        case "dropped":
          return finish({ kind: "dropped", requestId });
      }
    };
    const follow = async (resourceVersion: string) => {
      try {
        const h = await api.watch(namespace, { resourceVersion, name }, (type, object) => (type === "DELETED" ? finish({ kind: "not-found", requestId, message: `Container ${name} was deleted` }) : judge(object)), () => void resume());
        if (settled) h.stop();
        else handle = h;
      } catch {
        void resume();
      }
    };
    // The watch ended (server timeout, network, 410 Gone): read the object afresh and follow from there.
    const resume = async () => {
      handle = null;
      await new Promise((r) => setTimeout(r, RESUME_DELAY_MS));
      if (settled) return;
      const read = await api.get(namespace, name);
      if (settled) return;
      if (read.kind === "not-found") return finish({ kind: "not-found", requestId, message: read.message });
      if (read.kind !== "ok") return void resume();
      judge(read.value);
      if (!settled) void follow(read.value.metadata.resourceVersion ?? "");
    };
    judge(start);
    if (!settled) void follow(start.metadata.resourceVersion ?? "");
  });
}
