/**
 * The layout of Shoal's single ordered keyspace. Every key starts with a one-byte
 * prefix naming its keyspace, followed by big-endian ids so that a collection's records
 * and an index's entries are each one contiguous range.
 */
import { assert } from '../util/assert.js';

export const KeyPrefix = {
  /** Engine metadata: format version, id counters. */
  meta: 0x01,
  /** Catalog: namespace -> collection metadata (BSON). */
  catalog: 0x02,
  /** Records: collectionId (u32) + recordId (u64) -> document BSON. */
  record: 0x03,
  /** Index entries: indexId (u32) + KeyString [+ recordId] -> recordId + type bits. */
  index: 0x04,
  /** Per-collection counters: collectionId (u32) -> count (u64) + data size (u64). */
  stats: 0x05,
} as const;

export const recordIdMax = Number.MAX_SAFE_INTEGER;

export function writeUint64(target: Buffer, offset: number, value: number): void {
  assert(Number.isSafeInteger(value) && value >= 0, 'u64 out of range');
  target.writeUInt32BE(Math.floor(value / 2 ** 32), offset);
  target.writeUInt32BE(value >>> 0, offset + 4);
}

export function readUint64(source: Buffer, offset: number): number {
  const value = source.readUInt32BE(offset) * 2 ** 32 + source.readUInt32BE(offset + 4);
  assert(Number.isSafeInteger(value), 'u64 beyond 2^53');
  return value;
}

export function recordKey(collectionId: number, recordId: number): Buffer {
  const key = Buffer.allocUnsafe(13);
  key[0] = KeyPrefix.record;
  key.writeUInt32BE(collectionId, 1);
  writeUint64(key, 5, recordId);
  return key;
}

export function recordIdOfKey(key: Buffer): number {
  assert(key.length === 13 && key[0] === KeyPrefix.record, 'not a record key');
  return readUint64(key, 5);
}

/** [start, end) covering every record of a collection. */
export function recordRange(collectionId: number): { start: Buffer; end: Buffer } {
  return { start: recordKey(collectionId, 0), end: idPrefix(KeyPrefix.record, collectionId + 1) };
}

export function idPrefix(prefix: number, id: number): Buffer {
  const key = Buffer.allocUnsafe(5);
  key[0] = prefix;
  key.writeUInt32BE(id, 1);
  return key;
}

export function indexEntryKey(indexId: number, keyString: Buffer, recordId?: number): Buffer {
  const key = Buffer.allocUnsafe(5 + keyString.length + (recordId === undefined ? 0 : 8));
  key[0] = KeyPrefix.index;
  key.writeUInt32BE(indexId, 1);
  keyString.copy(key, 5);
  if (recordId !== undefined) writeUint64(key, 5 + keyString.length, recordId);
  return key;
}

export function catalogKey(namespace: string): Buffer {
  return Buffer.concat([Buffer.from([KeyPrefix.catalog]), Buffer.from(namespace, 'utf8')]);
}

export function prefixRange(prefix: Buffer): { start: Buffer; end: Buffer } {
  const end = Buffer.from(prefix);
  let i = end.length - 1;
  while (i >= 0 && end[i] === 0xff) i--;
  assert(i >= 0, 'prefix has no successor');
  end[i] = (end[i] as number) + 1;
  return { start: prefix, end: end.subarray(0, i + 1) };
}
