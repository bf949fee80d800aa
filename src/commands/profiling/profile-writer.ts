/**
 * Appending entries to `<db>.system.profile`. MongoDB keeps them in a 1 MiB capped
 * collection; Shoal has no capped collections, so the writer enforces the same bound
 * itself: after each insert it deletes the oldest entries (lowest record ids, which is
 * insertion order) until the collection is back under `profileBytesMax`. Entries carry no
 * `_id` and the collection has no `_id` index, as in mongod.
 */
import { deserialize, Int32 } from 'bson';
import type { BsonDocument } from '../../bson/types.js';
import { decodeOptions } from '../../bson/types.js';
import { encodeDocument } from '../../bson/serialize.js';
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import { deleteDocument, insertDocument } from '../../storage/document-writes.js';
import type { StorageEngine, StoredRecord } from '../../storage/storage-engine.js';
import { assert } from '../../util/assert.js';
import { MongoError } from '../../errors/mongo-error.js';

/** The size of mongod's capped system.profile (createProfileCollection). */
export const profileBytesMax = 1024 * 1024;
export const profileCollectionName = 'system.profile';

export function profileNamespace(database: string): string {
  return `${database}.${profileCollectionName}`;
}

/** The options listCollections reports for system.profile, as on mongod. */
export function profileCollectionOptions(): BsonDocument {
  return { capped: true, size: new Int32(profileBytesMax) };
}

function createProfileCollection(storage: StorageEngine, namespace: string): CollectionEntry {
  // autoIndexId: false only while creating, so no _id index is built; the stored options
  // are then the ones mongod shows.
  const entry = storage.createCollection(namespace, {
    ...profileCollectionOptions(),
    autoIndexId: false,
  });
  storage.updateOptions(entry, profileCollectionOptions());
  return entry;
}

/**
 * What `profile: 1|2` does first (mongod's createProfileCollection): create the
 * collection, or refuse one the user created that is not capped.
 */
export function ensureProfileCollection(storage: StorageEngine, database: string): void {
  const namespace = profileNamespace(database);
  const existing = storage.collection(namespace);
  if (existing === undefined) {
    storage.write(() => createProfileCollection(storage, namespace));
    return;
  }
  if (existing.options.capped !== true)
    throw new MongoError('NamespaceExists', `${namespace} exists but isn't capped`);
}

/** Deletes the oldest entries while the collection is over its bound (the newest stays). */
export function trimProfileCollection(
  storage: StorageEngine,
  entry: CollectionEntry,
  bytesMax = profileBytesMax,
): number {
  let excess = entry.dataSize - bytesMax;
  if (excess <= 0) return 0;
  const oldest: StoredRecord[] = [];
  for (const record of storage.scanRecords(entry)) {
    if (excess <= 0 || entry.count - oldest.length <= 1) break;
    oldest.push(record);
    excess -= record.raw.length;
  }
  for (const record of oldest) {
    const doc = deserialize(record.raw, decodeOptions);
    deleteDocument(storage, entry, record.recordId, record.raw, doc);
  }
  return oldest.length;
}

/** Appends one entry; the caller catches failures so they never reach the operation. */
export function writeProfileEntry(
  storage: StorageEngine,
  database: string,
  entry: BsonDocument,
  bytesMax = profileBytesMax,
): void {
  // Handlers finish their storage transactions before they return, so none is open here.
  assert(!storage.inWrite, 'profiling inside a storage write');
  const raw = encodeDocument(entry);
  const namespace = profileNamespace(database);
  storage.write(() => {
    const collection = storage.collection(namespace) ?? createProfileCollection(storage, namespace);
    insertDocument(storage, collection, raw, entry);
    trimProfileCollection(storage, collection, bytesMax);
  });
}
