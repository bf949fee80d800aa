/**
 * Document-level writes: a record and all of its index entries change together. Each
 * function checks every unique index before it writes anything, so a duplicate key
 * leaves no partial state even inside a larger batch transaction. An index learns it is
 * multikey (or holds long keys) from the first document that makes it so.
 */
import type { BsonDocument } from '../bson/types.js';
import { assert } from '../util/assert.js';
import type { CollectionEntry, IndexEntry } from './catalog-entry.js';
import type { EncodedDocumentKeys, EncodedIndexKey } from './index-entries.js';
import {
  checkUnique,
  encodeIndexKeys,
  isTruncated,
  putIndexKey,
  removeIndexKey,
} from './index-entries.js';
import type { StorageEngine } from './storage-engine.js';

function noteIndexShape(
  engine: StorageEngine,
  entry: CollectionEntry,
  index: IndexEntry,
  keys: EncodedDocumentKeys,
): void {
  const multikey = keys.multikey && !index.multikey;
  const longKeys = !index.longKeys && keys.keys.some((key) => isTruncated(key.keyString));
  if (multikey || longKeys)
    engine.setIndexFlags(entry, index, {
      multikey: index.multikey || multikey,
      longKeys: index.longKeys || longKeys,
    });
}

export function insertDocument(
  engine: StorageEngine,
  entry: CollectionEntry,
  raw: Buffer,
  doc: BsonDocument,
): number {
  const keysByIndex = entry.indexes.map((index) => encodeIndexKeys(index, doc));
  entry.indexes.forEach((index, i) =>
    checkUnique(engine.kv, entry, index, (keysByIndex[i] as EncodedDocumentKeys).keys),
  );
  const recordId = engine.insertRecord(entry, raw);
  entry.indexes.forEach((index, i) => {
    const keys = keysByIndex[i] as EncodedDocumentKeys;
    noteIndexShape(engine, entry, index, keys);
    for (const key of keys.keys) putIndexKey(engine.kv, index, key, recordId);
  });
  return recordId;
}

function sameKeys(a: EncodedIndexKey[], b: EncodedIndexKey[]): boolean {
  return (
    a.length === b.length &&
    a.every((key, i) => {
      const other = b[i] as EncodedIndexKey;
      return key.keyString.equals(other.keyString) && key.typeBits.equals(other.typeBits);
    })
  );
}

export function updateDocument(
  engine: StorageEngine,
  entry: CollectionEntry,
  recordId: number,
  before: { raw: Buffer; doc: BsonDocument },
  after: { raw: Buffer; doc: BsonDocument },
): void {
  const oldKeys = entry.indexes.map((index) => encodeIndexKeys(index, before.doc));
  const newKeys = entry.indexes.map((index) => encodeIndexKeys(index, after.doc));
  entry.indexes.forEach((index, i) =>
    checkUnique(engine.kv, entry, index, (newKeys[i] as EncodedDocumentKeys).keys, recordId),
  );
  engine.updateRecord(entry, recordId, before.raw, after.raw);
  entry.indexes.forEach((index, i) => {
    const oldForIndex = (oldKeys[i] as EncodedDocumentKeys).keys;
    const newForIndex = newKeys[i] as EncodedDocumentKeys;
    if (sameKeys(oldForIndex, newForIndex.keys)) return;
    noteIndexShape(engine, entry, index, newForIndex);
    for (const key of oldForIndex) removeIndexKey(engine.kv, index, key, recordId);
    for (const key of newForIndex.keys) putIndexKey(engine.kv, index, key, recordId);
  });
}

export function deleteDocument(
  engine: StorageEngine,
  entry: CollectionEntry,
  recordId: number,
  raw: Buffer,
  doc: BsonDocument,
): void {
  assert(engine.inWrite, 'deleteDocument outside a write');
  for (const index of entry.indexes) {
    for (const key of encodeIndexKeys(index, doc).keys)
      removeIndexKey(engine.kv, index, key, recordId);
  }
  engine.deleteRecord(entry, recordId, raw);
}

/** Adds one document's entries to a new index (index builds). */
export function indexDocument(
  engine: StorageEngine,
  entry: CollectionEntry,
  index: IndexEntry,
  recordId: number,
  doc: BsonDocument,
): void {
  const keys = encodeIndexKeys(index, doc);
  checkUnique(engine.kv, entry, index, keys.keys, recordId);
  noteIndexShape(engine, entry, index, keys);
  for (const key of keys.keys) putIndexKey(engine.kv, index, key, recordId);
}
