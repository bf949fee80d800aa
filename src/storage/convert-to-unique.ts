/**
 * Converting a non-unique index to unique (collMod {index: {unique: true}}): find every
 * key held by more than one record; with none, rewrite the entries in the unique layout.
 */
import type { BsonDocument } from '../bson/types.js';
import type { CollectionEntry, IndexEntry } from './catalog-entry.js';
import { decodeEntry, putIndexKey } from './index-entries.js';
import { KeyPrefix, idPrefix, prefixRange } from './keys.js';
import type { StorageEngine } from './storage-engine.js';

/** Groups of recordIds sharing one key, in key order. */
export function duplicateKeyGroups(storage: StorageEngine, index: IndexEntry): number[][] {
  const groups: number[][] = [];
  let previous: Buffer | undefined;
  let group: number[] = [];
  for (const { key, value } of storage.kv.range(
    prefixRange(idPrefix(KeyPrefix.index, index.indexId)),
  )) {
    const entry = decodeEntry(index, key, value);
    if (previous !== undefined && entry.keyString.equals(previous)) {
      group.push(entry.recordId);
      continue;
    }
    if (group.length > 1) groups.push(group);
    group = [entry.recordId];
    previous = entry.keyString;
  }
  if (group.length > 1) groups.push(group);
  return groups;
}

/** Must run inside a storage write, after checking duplicateKeyGroups is empty. */
export function rewriteAsUnique(
  storage: StorageEngine,
  entry: CollectionEntry,
  index: IndexEntry,
  spec: BsonDocument,
): void {
  const entries: { keyString: Buffer; typeBits: Buffer; recordId: number; entryKey: Buffer }[] = [];
  for (const { key, value } of storage.kv.range(
    prefixRange(idPrefix(KeyPrefix.index, index.indexId)),
  )) {
    entries.push({ ...decodeEntry(index, key, value), entryKey: key });
  }
  for (const old of entries) storage.kv.remove(old.entryKey);
  storage.updateIndexSpec(entry, index, spec);
  for (const old of entries) {
    putIndexKey(
      storage.kv,
      index,
      { values: [], keyString: old.keyString, typeBits: old.typeBits },
      old.recordId,
    );
  }
}
