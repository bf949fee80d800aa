/**
 * Document-level writes: a record and all of its index entries change together. Each
 * function checks every unique index before it writes anything, so a duplicate key
 * leaves no partial state even inside a larger batch transaction.
 */
import type { BsonDocument } from '../bson/types.js';
import { assert } from '../util/assert.js';
import type { CollectionEntry } from './catalog-entry.js';
import type { EncodedIndexKey } from './index-entries.js';
import { checkUnique, encodeIndexKeys, putIndexKey, removeIndexKey } from './index-entries.js';
import type { StorageEngine } from './storage-engine.js';

export function insertDocument(
  engine: StorageEngine,
  entry: CollectionEntry,
  raw: Buffer,
  doc: BsonDocument,
): number {
  const keysByIndex = entry.indexes.map((index) => encodeIndexKeys(index, doc));
  entry.indexes.forEach((index, i) => checkUnique(engine.kv, entry, index, keysByIndex[i] ?? []));
  const recordId = engine.insertRecord(entry, raw);
  entry.indexes.forEach((index, i) => {
    for (const key of keysByIndex[i] ?? []) putIndexKey(engine.kv, index, key, recordId);
  });
  return recordId;
}

function sameKeys(a: EncodedIndexKey[], b: EncodedIndexKey[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (key, i) =>
        key.keyString.equals((b[i] as EncodedIndexKey).keyString) &&
        key.typeBits.equals((b[i] as EncodedIndexKey).typeBits),
    )
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
    checkUnique(engine.kv, entry, index, newKeys[i] ?? [], recordId),
  );
  engine.updateRecord(entry, recordId, before.raw, after.raw);
  entry.indexes.forEach((index, i) => {
    const oldForIndex = oldKeys[i] ?? [];
    const newForIndex = newKeys[i] ?? [];
    if (sameKeys(oldForIndex, newForIndex)) return;
    for (const key of oldForIndex) removeIndexKey(engine.kv, index, key, recordId);
    for (const key of newForIndex) putIndexKey(engine.kv, index, key, recordId);
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
    for (const key of encodeIndexKeys(index, doc)) removeIndexKey(engine.kv, index, key, recordId);
  }
  engine.deleteRecord(entry, recordId, raw);
}
