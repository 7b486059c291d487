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
 *   not copied again; a custom resource's admission view (sorted already) becomes the stored object,
 *   with only its metadata re-sorted for the new resourceVersion.
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

/** Admission's sorted view of a written custom resource, until the write is stored. */
const viewByWritten = new WeakMap<JsonObject, JsonObject>();

export class FastClusterStore extends ClusterStore {
  /** `base` is for fork only, and must be a FastClusterStore: its objects are shared, an oracle's are not. */
  constructor(options: ClusterStoreOptions, base?: FastClusterStore) {
    if (base !== undefined && !(base instanceof FastClusterStore)) throw new Error("a FastClusterStore forks only a FastClusterStore");
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

  protected override admissionView(info: ResourceInfo, written: JsonObject): JsonObject {
    if (!info.custom) return super.admissionView(info, written);
    const view = this.served(info, sortKeysSharing(written) as JsonObject);
    viewByWritten.set(written, view);
    return view;
  }

  protected override stored(info: ResourceInfo, written: JsonObject): JsonObject {
    const stored = share(info.custom ? this.sorted(written) : canonicalOrder(info, written));
    rememberStored(written, stored);
    return stored;
  }

  /**
   * A written custom resource in sorted key order. Between admission and storage a write changes only
   * metadata.resourceVersion (the store sets it at commit), so admission's view serves with its
   * metadata re-sorted; the view's apiVersion is the written one (decoding set it to the served version).
   */
  private sorted(written: JsonObject): JsonObject {
    const view = viewByWritten.get(written);
    if (view === undefined || view.apiVersion !== written.apiVersion) return sortKeysSharing(written) as JsonObject;
    const meta: JsonObject = { ...metaOf(view), resourceVersion: metaOf(written).resourceVersion as Json };
    const metadata: JsonObject = {};
    for (const k of Object.keys(meta).sort()) metadata[k] = meta[k] as Json;
    return { ...view, metadata };
  }

  protected override tombstone(existing: JsonObject, resourceVersion: string): JsonObject {
    return share({ ...existing, metadata: { ...metaOf(existing), resourceVersion } });
  }
}
