/**
 * Samples for the end-to-end overhead: the same Docker state change made directly with dockerode, and
 * requested through the controller (annotation write → `status.lastAction` carrying the request id, seen
 * on a watch). Direct and controller samples alternate; after each, the mirror is let settle (it shows
 * the new state, the request is gone), so no sample pays for the previous one's echoes.
 */
import { ANNOTATION_ACTION, type ActionName, type Container } from "@container-actions/core";
import type { TestKube } from "@container-actions/e2e";
import type { Docker } from "../real/bench-containers.ts";
import type { ContainerWatch } from "../real/container-watch.ts";

export interface PairSpec {
  /** The two actions that undo each other, in the order they run on a running container. */
  actions: readonly [ActionName, ActionName];
  /** The mirror's status after each action. */
  states: Record<string, string>;
}

export const PAIRS: PairSpec[] = [
  { actions: ["pause", "unpause"], states: { pause: "paused", unpause: "running" } },
  { actions: ["stop", "start"], states: { stop: "exited", start: "running" } },
];

export interface Samples {
  action: ActionName;
  directMs: number[];
  controllerMs: number[];
  /** Controller requests whose outcome was not Succeeded. */
  failed: number;
}

export interface SampleContext {
  docker: Docker;
  kube: TestKube;
  watch: ContainerWatch;
  namespace: string;
  timeoutMs: number;
  /** Quiet time after a sample settled, for trailing mirror syncs. */
  settleMs: number;
}

/** One direct call, timed around dockerode's promise. */
export async function directSample(ctx: SampleContext, id: string, action: ActionName, expected: string): Promise<number> {
  const container = ctx.docker.getContainer(id);
  const call: Record<string, () => Promise<unknown>> = {
    pause: () => container.pause(),
    unpause: () => container.unpause(),
    stop: () => container.stop(),
    start: () => container.start(),
  };
  const t0 = performance.now();
  await (call[action] as () => Promise<unknown>)();
  const ms = performance.now() - t0;
  await settle(ctx, id, (c) => c.status?.status === expected);
  return ms;
}

/** One request through the controller: from just before the PATCH to the watch event with its outcome. */
export async function controllerSample(ctx: SampleContext, id: string, action: ActionName, requestId: string, expected: string): Promise<{ ms: number; succeeded: boolean }> {
  const outcome = ctx.watch.waitFor(id, (c) => c.status?.lastAction?.requestId === requestId, ctx.timeoutMs);
  const t0 = performance.now();
  await ctx.kube.requestAction(ctx.namespace, id, action, requestId);
  const ms = (await outcome) - t0;
  const succeeded = ctx.watch.current(id)?.status?.lastAction?.state === "Succeeded";
  await settle(ctx, id, (c) => c.metadata.annotations?.[ANNOTATION_ACTION] === undefined && c.status?.status === expected);
  return { ms, succeeded };
}

async function settle(ctx: SampleContext, id: string, until: (c: Container) => boolean): Promise<void> {
  await ctx.watch.waitFor(id, until, ctx.timeoutMs);
  await Bun.sleep(ctx.settleMs);
}
