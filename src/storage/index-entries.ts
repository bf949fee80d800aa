/**
 * Index entries. A unique index maps KeyString -> recordId, so a uniqueness check is one
 * point read; a non-unique index appends the recordId to the key so every entry is
 * distinct, and maps to nothing but the type bits.
 */
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { encodeKey } from '../bson/key-string.js';
import { formatDocument } from '../bson/format-value.js';
import { MongoError } from '../errors/mongo-error.js';
import { assert } from '../util/assert.js';
import type { CollectionEntry, IndexEntry } from './catalog-entry.js';
import { indexEntryKey, readUint64, writeUint64 } from './keys.js';
import type { KvStore } from './kv-store.js';
import { indexKeysOf } from './index-keys.js';

/** lmdb's key limit is 1978 bytes; keep a margin for the prefix and recordId. */
export const indexKeyBytesMax = 1900;

export interface EncodedIndexKey {
  values: BsonValue[];
  keyString: Buffer;
  typeBits: Buffer;
}

export function encodeIndexKeys(index: IndexEntry, doc: BsonDocument): EncodedIndexKey[] {
  const directions = index.fields.map((field) => field.direction);
  return indexKeysOf(index, doc).map((values) => {
    const { key, typeBits } = encodeKey(values, directions);
    if (key.length > indexKeyBytesMax) {
      throw new MongoError(
        17280,
        `index key too large for index ${index.name} (${key.length} bytes)`,
      );
    }
    return { values, keyString: key, typeBits };
  });
}

export function duplicateKeyError(
  entry: CollectionEntry,
  index: IndexEntry,
  values: BsonValue[],
): MongoError {
  const keyPattern = index.spec.key as BsonDocument;
  const keyValue: BsonDocument = {};
  index.fields.forEach((field, i) => (keyValue[field.path] = values[i] ?? null));
  return new MongoError(
    'DuplicateKey',
    `E11000 duplicate key error collection: ${entry.namespace} index: ${index.name} dup key: ${formatDocument(keyValue)}`,
    { keyPattern, keyValue },
  );
}

/** The recordId holding this key in a unique index, if any. */
export function findUniqueKey(
  kv: KvStore,
  index: IndexEntry,
  keyString: Buffer,
): number | undefined {
  assert(index.unique, 'findUniqueKey on a non-unique index');
  const value = kv.get(indexEntryKey(index.indexId, keyString));
  return value === undefined ? undefined : readUint64(value, 0);
}

/** Throws DuplicateKey if any key is taken in a unique index by another record. */
export function checkUnique(
  kv: KvStore,
  entry: CollectionEntry,
  index: IndexEntry,
  keys: EncodedIndexKey[],
  ownRecordId?: number,
): void {
  if (!index.unique) return;
  for (const key of keys) {
    const holder = findUniqueKey(kv, index, key.keyString);
    if (holder !== undefined && holder !== ownRecordId)
      throw duplicateKeyError(entry, index, key.values);
  }
}

export function putIndexKey(
  kv: KvStore,
  index: IndexEntry,
  key: EncodedIndexKey,
  recordId: number,
): void {
  if (index.unique) {
    const value = Buffer.allocUnsafe(8 + key.typeBits.length);
    writeUint64(value, 0, recordId);
    key.typeBits.copy(value, 8);
    kv.put(indexEntryKey(index.indexId, key.keyString), value);
  } else {
    kv.put(indexEntryKey(index.indexId, key.keyString, recordId), key.typeBits);
  }
}

export function removeIndexKey(
  kv: KvStore,
  index: IndexEntry,
  key: EncodedIndexKey,
  recordId: number,
): void {
  const removed = index.unique
    ? kv.remove(indexEntryKey(index.indexId, key.keyString))
    : kv.remove(indexEntryKey(index.indexId, key.keyString, recordId));
  assert(removed, `index entry missing in ${index.name}`);
}
