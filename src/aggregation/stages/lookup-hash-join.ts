/**
 * The hash join of an equality $lookup, as the server's SBE engine chooses it: when the
 * foreign collection has no index on foreignField and is small (at most 10,000 documents
 * and 100 MiB, internalQueryCollectionMaxNoOfDocumentsToChooseHashJoin and
 * ...MaxDataSizeBytesToChooseHashJoin), it is read once into a table instead of being
 * scanned once per input document. The table is keyed by every value foreignField can
 * reach (array elements and arrays alike), plus a null key for documents where the path
 * is missing somewhere; those are only candidates, each confirmed by the exact $match the
 * server would run, so the result is the nested-loop result.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { deserialize } from 'bson';
import { decodeOptions } from '../../bson/types.js';
import { arrayIndexOf } from '../../query/path.js';
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import type { StorageEngine } from '../../storage/storage-engine.js';
import { valueKey } from '../expressions/value-key.js';

export const hashJoinDocumentsMax = 10_000;
export const hashJoinBytesMax = 100 * 1024 * 1024;

/** The key under which documents that may match null are filed. */
const nullKey = valueKey(null);

/** Whether the server would pick a hash join for this foreign collection. */
export function hashJoinEligible(entry: CollectionEntry, foreignField: string): boolean {
  const indexed = entry.indexes.some((index) => index.fields[0]?.path === foreignField);
  return !indexed && entry.count <= hashJoinDocumentsMax && entry.dataSize <= hashJoinBytesMax;
}

/** Every key a value at the path could equal, over-approximated (see the file comment). */
function collectKeys(
  value: BsonValue | undefined,
  parts: readonly string[],
  index: number,
  out: Set<string>,
): void {
  if (index === parts.length) {
    if (value === undefined || value === null) out.add(nullKey);
    else out.add(valueKey(value));
    if (Array.isArray(value)) {
      for (const element of value) out.add(valueKey(element));
      if (value.length === 0) out.add(nullKey);
    }
    return;
  }
  const part = parts[index] as string;
  if (isDocument(value)) {
    collectKeys(Object.hasOwn(value, part) ? value[part] : undefined, parts, index + 1, out);
  } else if (Array.isArray(value)) {
    out.add(nullKey);
    for (const element of value) {
      if (isDocument(element) || Array.isArray(element)) collectKeys(element, parts, index, out);
    }
    const position = arrayIndexOf(part);
    if (position >= 0 && position < value.length)
      collectKeys(value[position], parts, index + 1, out);
  } else {
    out.add(nullKey);
  }
}

export class LookupHashTable {
  private readonly byKey = new Map<string, number[]>();
  private readonly docs: BsonDocument[] = [];

  private constructor() {}

  /** Reads the whole foreign collection once. */
  static build(
    storage: StorageEngine,
    entry: CollectionEntry,
    foreignField: string,
  ): LookupHashTable {
    const table = new LookupHashTable();
    const parts = foreignField.split('.');
    for (const record of storage.scanRecords(entry)) {
      const doc = deserialize(record.raw, decodeOptions);
      const position = table.docs.length;
      table.docs.push(doc);
      const keys = new Set<string>();
      collectKeys(doc, parts, 0, keys);
      for (const key of keys) {
        const list = table.byKey.get(key);
        if (list === undefined) table.byKey.set(key, [position]);
        else list.push(position);
      }
    }
    return table;
  }

  /** The documents that may equal one of `values`, in the collection's order. */
  candidates(values: readonly BsonValue[]): BsonDocument[] {
    const positions = new Set<number>();
    for (const value of values) {
      for (const position of this.byKey.get(valueKey(value)) ?? []) positions.add(position);
    }
    return [...positions]
      .sort((a, b) => a - b)
      .map((position) => this.docs[position] as BsonDocument);
  }
}
