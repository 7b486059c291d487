/**
 * The cluster store the world and the wire faces use: ClusterStore's semantics, answer for answer and
 * event for event (fast-store.prop.test.ts holds it to ClusterStore, the oracle, on random operation
 * sequences), doing less work for them:
 * - stored objects are shared (and deep-frozen under tests, frozen-json.ts): a GET, a LIST item or a
 *   watch event is the stored object itself (or a shallow copy when only TypeMeta differs), never a
 *   deep copy;
 * - managedFields are computed incrementally (incremental-managed-fields.ts): the stored object's
 *   entries and field paths come from the write that stored it; untouched managers keep their
 *   encoded trees;
 * - canonical key order is set once, at write, and shared already-sorted parts (fieldsV1 trees) are
 *   not copied again.
 * Nothing a consumer is given may be changed (under tests it is frozen and a change throws a TypeError):
 * copy first (structuredClone) if needed.
 */
import type { Json, JsonObject } from "./json.ts";
import { type ClusterStoreOptions, ClusterStore } from "./cluster-store.ts";
import { isShared, share, sortKeysSharing } from "./frozen-json.ts";
import { nextManagedFields, rememberStored } from "./incremental-managed-fields.ts";
import type { Writer } from "./managed-fields.ts";
import { type ResourceInfo, apiVersionOf } from "./resource-registry.ts";
import { canonicalOrder, metaOf } from "./rest-strategy.ts";
import type { SchemaNode } from "./structural-schema.ts";

export class FastClusterStore extends ClusterStore {
  constructor(options: ClusterStoreOptions, base?: ClusterStore) {
    super({ ...options, shareWatchObjects: true }, base);
  }

  protected override served(info: ResourceInfo, obj: JsonObject): JsonObject {
    const apiVersion = apiVersionOf(info);
    if (isShared(obj)) return obj.apiVersion === apiVersion ? obj : share({ ...obj, apiVersion });
    // Not stored: a dry run's answer or admission's view of a write, always a fresh top-level object
    // the store drops after serving it (its nested parts are shared anyway when the write commits).
    obj.apiVersion = apiVersion;
    return share(obj);
  }

  protected override listItem(info: ResourceInfo, obj: JsonObject): JsonObject {
    if (info.custom || !isShared(obj)) return super.listItem(info, obj);
    const { kind: _kind, apiVersion: _apiVersion, ...item } = obj;
    return share(item);
  }

  protected override nextManagedFields(before: JsonObject, after: JsonObject, tracked: boolean, writer: Writer, schema: SchemaNode | undefined, nowMs: number): Json[] {
    return nextManagedFields(before, after, tracked, writer, schema, nowMs);
  }

  protected override stored(info: ResourceInfo, written: JsonObject): JsonObject {
    const stored = share(info.custom ? (sortKeysSharing(written) as JsonObject) : canonicalOrder(info, written));
    rememberStored(written, stored);
    return stored;
  }

  protected override tombstone(existing: JsonObject, resourceVersion: string): JsonObject {
    return share({ ...existing, metadata: { ...metaOf(existing), resourceVersion } });
  }
}
