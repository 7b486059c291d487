/**
 * The ports of the mirror sync: reading Docker's containers, and writing mirrors. Plain data only.
 */
import type { ContainerRef } from "../api/container-schema.ts";
import type { DockerInspect } from "./docker-inspect.ts";
import type { MirroredStatus } from "./mirror-status.ts";

export type DescribeReply =
  | { kind: "found"; inspect: DockerInspect }
  | { kind: "gone" }
  | { kind: "unreachable"; detail: string };

export type ListReply = { kind: "listed"; ids: string[] } | { kind: "unreachable"; detail: string };

export type RemoveReply = { kind: "removed" } | { kind: "gone" } | { kind: "refused"; message: string } | { kind: "unreachable"; detail: string };

/** What the mirror sync may ask of Docker. */
export interface MirrorSource {
  /** Every container id, stopped ones included. */
  list(): Promise<ListReply>;
  /** The full inspect answer. */
  describe(id: string): Promise<DescribeReply>;
  /** Force-removes a container (a running one is killed first). `gone` when it no longer exists. */
  remove(id: string): Promise<RemoveReply>;
}

/** The answer to one mirror write. */
export type MirrorWrite =
  | { kind: "written" }
  | { kind: "gone" }
  /** The object is not in the shape the write expected (e.g. a guarded finalizer removal whose test failed). */
  | { kind: "changed" }
  | { kind: "unavailable"; detail: string };

/** Writes mirrors. Every method is one API write with no resourceVersion precondition. */
export interface MirrorLedger {
  /** Creates the mirror with the finalizer. `written` also when it already exists. */
  create(ref: ContainerRef): Promise<MirrorWrite>;
  /** Re-adds the finalizer to a live mirror that lost it (E27); `hasList` says whether it has other finalizers. */
  addFinalizer(ref: ContainerRef, hasList: boolean): Promise<MirrorWrite>;
  /**
   * Writes the mirrored status fields through the status subresource, removing `absent` fields; never
   * touches lastAction or conditions.
   */
  writeStatus(ref: ContainerRef, status: MirroredStatus, absent: readonly string[]): Promise<MirrorWrite>;
  /** Removes the mirror finalizer at `index`, only if it is still there (a server-side test). */
  removeFinalizer(ref: ContainerRef, index: number): Promise<MirrorWrite>;
  /** Deletes the mirror; with the finalizer on, this only marks it terminating. */
  delete(ref: ContainerRef): Promise<MirrorWrite>;
}

export interface MirrorPorts {
  source: MirrorSource;
  ledger: MirrorLedger;
}
