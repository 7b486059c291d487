import type { MirrorSource } from "@container-actions/core";

/** The part of ContainerController a full sync drives. */
export interface Resyncable {
  resync(engineIds: readonly string[]): void;
}

export type FullSyncResult = { kind: "synced"; containers: number } | { kind: "unreachable"; detail: string };

/**
 * Lists every Docker container and hands the ids to the controller, which enqueues each of them and
 * every cached mirror (so a mirror whose container vanished is removed). When Docker cannot be listed
 * nothing is enqueued: an unreachable engine never deletes mirrors.
 */
export async function fullSync(source: MirrorSource, controller: Resyncable): Promise<FullSyncResult> {
  const listed = await source.list();
  if (listed.kind === "unreachable") return listed;
  controller.resync(listed.ids);
  return { kind: "synced", containers: listed.ids.length };
}
