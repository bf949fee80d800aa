/**
 * Index entries. A unique index maps KeyString -> recordId, so a uniqueness check is one
 * point read; a non-unique index appends the recordId to the key so every entry is
 * distinct.
 *
 * lmdb keys stop at 1978 bytes, but MongoDB has no index key limit. A KeyString longer
 * than `keyStringBytesMax` is stored as its first `keyStringBytesMax` bytes followed by a
 * SHA-1 of the whole key, and the whole key travels in the value. Prefix order is
 * monotonic, so every range scan still finds all its keys (each entry is rechecked
 * against the full key); only the order among long keys sharing that prefix is lost,
 * which is why an index with long keys never provides sort order (IndexEntry.longKeys).
 *
 * Value layout: flags (1 byte, bit 0 = truncated), recordId (8, unique indexes only),
 * typeBits length (2), typeBits, then the full KeyString when truncated.
 */
import { createHash } from 'node:crypto';
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { encodeKey } from '../bson/key-string.js';
import { documentToString } from '../bson/to-string.js';
import { MongoError } from '../errors/mongo-error.js';
import { assert } from '../util/assert.js';
import type { CollectionEntry, IndexEntry } from './catalog-entry.js';
import { indexEntryKey, prefixRange, readUint64, writeUint64 } from './keys.js';
import type { KvStore } from './kv-store.js';
import { indexKeysOf } from './index-keys.js';

export const keyStringBytesMax = 1024;
const hashBytes = 20;
const flagTruncated = 0x01;

export interface EncodedIndexKey {
  values: BsonValue[];
  keyString: Buffer;
  typeBits: Buffer;
}

export interface EncodedDocumentKeys {
  keys: EncodedIndexKey[];
  multikey: boolean;
}

export function encodeIndexKeys(index: IndexEntry, doc: BsonDocument): EncodedDocumentKeys {
  const directions = index.fields.map((field) => field.direction);
  const { keys, multikey } = indexKeysOf(index, doc);
  return {
    multikey,
    keys: keys.map((values) => {
      const { key, typeBits } = encodeKey(values, directions);
      return { values, keyString: key, typeBits };
    }),
  };
}

/** The KeyString as stored in the entry key: itself, or truncated and hashed. */
export function storedKeyString(keyString: Buffer): Buffer {
  if (keyString.length <= keyStringBytesMax) return keyString;
  const hash = createHash('sha1').update(keyString).digest();
  assert(hash.length === hashBytes, 'SHA-1 digest size');
  return Buffer.concat([keyString.subarray(0, keyStringBytesMax), hash]);
}

export function isTruncated(keyString: Buffer): boolean {
  return keyString.length > keyStringBytesMax;
}

function encodeValue(key: EncodedIndexKey, recordId: number | undefined): Buffer {
  const truncated = isTruncated(key.keyString);
  const head = 1 + (recordId === undefined ? 0 : 8);
  const value = Buffer.allocUnsafe(
    head + 2 + key.typeBits.length + (truncated ? key.keyString.length : 0),
  );
  value[0] = truncated ? flagTruncated : 0;
  if (recordId !== undefined) writeUint64(value, 1, recordId);
  value.writeUInt16BE(key.typeBits.length, head);
  key.typeBits.copy(value, head + 2);
  if (truncated) key.keyString.copy(value, head + 2 + key.typeBits.length);
  return value;
}

export interface DecodedEntry {
  keyString: Buffer;
  typeBits: Buffer;
  recordId: number;
}

/** Reads an entry back: the full KeyString, its type bits and the recordId. */
export function decodeEntry(index: IndexEntry, entryKey: Buffer, value: Buffer): DecodedEntry {
  const truncated = ((value[0] as number) & flagTruncated) !== 0;
  let offset = 1;
  let recordId: number;
  let stored: Buffer;
  if (index.unique) {
    recordId = readUint64(value, 1);
    offset += 8;
    stored = entryKey.subarray(5);
  } else {
    recordId = readUint64(entryKey, entryKey.length - 8);
    stored = entryKey.subarray(5, entryKey.length - 8);
  }
  const typeBitsLength = value.readUInt16BE(offset);
  const typeBits = value.subarray(offset + 2, offset + 2 + typeBitsLength);
  const keyString = truncated ? value.subarray(offset + 2 + typeBitsLength) : stored;
  return { keyString, typeBits, recordId };
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
    `E11000 duplicate key error collection: ${entry.namespace} index: ${index.name} dup key: ${documentToString(keyValue)}`,
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
  const entryKey = indexEntryKey(index.indexId, storedKeyString(keyString));
  const value = kv.get(entryKey);
  if (value === undefined) return undefined;
  const entry = decodeEntry(index, entryKey, value);
  // Two different long keys with the same prefix and SHA-1 would be a hash collision.
  assert(entry.keyString.equals(keyString), 'index key hash collision');
  return entry.recordId;
}

/** The recordIds holding a key in a non-unique index (its entries for that exact key). */
export function recordIdsWithKey(kv: KvStore, index: IndexEntry, keyString: Buffer): number[] {
  const prefix = indexEntryKey(index.indexId, storedKeyString(keyString));
  const ids: number[] = [];
  for (const { key, value } of kv.range(prefixRange(prefix))) {
    if (key.length !== prefix.length + 8) continue;
    const decoded = decodeEntry(index, key, value);
    if (decoded.keyString.equals(keyString)) ids.push(decoded.recordId);
  }
  return ids;
}

/**
 * Throws DuplicateKey if any key is taken by another record, in a unique index or in one
 * being prepared to become unique (collMod prepareUnique).
 */
export function checkUnique(
  kv: KvStore,
  entry: CollectionEntry,
  index: IndexEntry,
  keys: EncodedIndexKey[],
  ownRecordId?: number,
): void {
  if (index.unique) {
    for (const key of keys) {
      const holder = findUniqueKey(kv, index, key.keyString);
      if (holder !== undefined && holder !== ownRecordId)
        throw duplicateKeyError(entry, index, key.values);
    }
  } else if (index.spec.prepareUnique === true) {
    for (const key of keys) {
      if (recordIdsWithKey(kv, index, key.keyString).some((id) => id !== ownRecordId)) {
        throw duplicateKeyError(entry, index, key.values);
      }
    }
  }
}

export function putIndexKey(
  kv: KvStore,
  index: IndexEntry,
  key: EncodedIndexKey,
  recordId: number,
): void {
  const stored = storedKeyString(key.keyString);
  if (index.unique) kv.put(indexEntryKey(index.indexId, stored), encodeValue(key, recordId));
  else kv.put(indexEntryKey(index.indexId, stored, recordId), encodeValue(key, undefined));
}

export function removeIndexKey(
  kv: KvStore,
  index: IndexEntry,
  key: EncodedIndexKey,
  recordId: number,
): void {
  const stored = storedKeyString(key.keyString);
  if (index.unique && index.building) {
    // The builder may not have reached this record yet while another record (a duplicate
    // that will fail the build) holds the key: only the record's own entry goes.
    if (findUniqueKey(kv, index, key.keyString) === recordId)
      kv.remove(indexEntryKey(index.indexId, stored));
    return;
  }
  const removed = index.unique
    ? kv.remove(indexEntryKey(index.indexId, stored))
    : kv.remove(indexEntryKey(index.indexId, stored, recordId));
  // A build in progress has not reached every record yet; a finished index has them all.
  assert(removed || index.building, `index entry missing in ${index.name}`);
}
