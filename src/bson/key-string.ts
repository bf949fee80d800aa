/**
 * KeyString: the index key format. Unsigned byte order (memcmp, Buffer.compare, lmdb's
 * key order) of encoded keys equals MongoDB's BSON order (compareValues) of the values,
 * field by field, with descending fields reversed. Values that compare equal encode to
 * equal bytes; what the bytes leave out (the exact numeric type, a decimal's trailing
 * zeros, -0, symbol vs string) goes into a separate TypeBits buffer so that covered
 * queries can return the original values.
 *
 * Every value encodes as a type byte (ordered like MongoDB's canonical type ranks)
 * followed by a prefix-free body: strings end in 0x00 with 0x00/0x01 escaped, objects
 * and arrays end in 0x00 (below every type byte), binData carries its length up front.
 * Because no value's encoding is a prefix of another's, concatenating fields preserves
 * tuple order, inverting a field's bytes reverses it, and anything may follow a key
 * (such as a RecordId suffix) without disturbing the order.
 */
import type { Binary, BSONRegExp, BSONSymbol, Code, ObjectId, Timestamp } from 'bson';
import { DBRef } from 'bson';
import { assert } from '../util/assert.js';
import type { BsonNumber } from './compare-numbers.js';
import { dbRefToDocument } from './compare.js';
import { KeyWriter, symbolBit, stringBit, TypeBitsWriter, typeByte } from './key-string-buffer.js';
import { numberClass, writeNumber } from './key-string-number.js';
import type { BsonDocument, BsonValue } from './types.js';
import { BsonType, bsonTypeOf } from './types.js';

export type Direction = 1 | -1;

export { decodeKey } from './key-string-decode.js';

const writer = new KeyWriter();
const typeBitsWriter = new TypeBitsWriter();

/** Encodes a compound key. Descending fields have their bytes inverted. */
export function encodeKey(
  values: readonly BsonValue[],
  directions: readonly Direction[],
): { key: Buffer; typeBits: Buffer } {
  assert(values.length === directions.length, 'one direction per key field');
  writeKey(values, directions);
  return { key: writer.finish(), typeBits: typeBitsWriter.finish() };
}

/**
 * Bound helpers for index scans over keys whose first fields equal `values`: 'before' is
 * the encoded prefix itself, which no such key sorts below (an inclusive start); 'after'
 * is the shortest byte string above every such key (an exclusive end).
 */
export function encodeKeyPrefixBound(
  values: readonly BsonValue[],
  directions: readonly Direction[],
  bound: 'before' | 'after',
): Buffer {
  assert(values.length <= directions.length, 'more values than key fields');
  writeKey(values, directions.slice(0, values.length));
  const prefix = writer.finish();
  if (bound === 'before') return prefix;
  let length = prefix.length;
  while (length > 0 && prefix[length - 1] === 0xff) length -= 1;
  // Type bytes are never 0xff, inverted or not, so an empty prefix can end at [0xff].
  if (length === 0) return Buffer.from([0xff]);
  const after = prefix.subarray(0, length);
  after[length - 1] = (after[length - 1] as number) + 1;
  return after;
}

export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

const recordIdMax = (1n << 64n) - 1n;

/** 8 bytes, big-endian unsigned: appended to non-unique index keys to make them unique. */
export function encodeRecordIdSuffix(recordId: bigint): Buffer {
  assert(recordId >= 0n && recordId <= recordIdMax, 'RecordId out of range');
  const suffix = Buffer.allocUnsafe(8);
  suffix.writeBigUInt64BE(recordId);
  return suffix;
}

/** The RecordId in the last 8 bytes of a key built with encodeRecordIdSuffix. */
export function decodeRecordIdSuffix(key: Uint8Array): bigint {
  assert(key.length >= 8, 'key too short for a RecordId');
  return Buffer.from(key.buffer, key.byteOffset + key.length - 8, 8).readBigUInt64BE();
}

function writeKey(values: readonly BsonValue[], directions: readonly Direction[]): void {
  writer.reset();
  typeBitsWriter.reset();
  for (let i = 0; i < values.length; i++) {
    const start = writer.length;
    writeValue(values[i]);
    if (directions[i] === -1) writer.invertFrom(start);
    else assert(directions[i] === 1, 'direction must be 1 or -1');
  }
}

/** The byte that orders a document field by its value's canonical type rank. */
function rankByte(value: BsonValue, type: number): number {
  switch (type) {
    case BsonType.double:
    case BsonType.int:
    case BsonType.long:
    case BsonType.decimal:
      return numberClass.nan;
    case BsonType.bool:
      return typeByte.false;
    default:
      return typeByteOf(value, type);
  }
}

function typeByteOf(value: BsonValue, type: number): number {
  switch (type) {
    case BsonType.minKey:
      return typeByte.minKey;
    case BsonType.undefined:
      return typeByte.undefined;
    case BsonType.null:
      return typeByte.null;
    case BsonType.string:
    case BsonType.symbol:
      return typeByte.string;
    case BsonType.object:
      return typeByte.object;
    case BsonType.array:
      return typeByte.array;
    case BsonType.binData:
      return typeByte.binData;
    case BsonType.objectId:
      return typeByte.objectId;
    case BsonType.bool:
      return value === true ? typeByte.true : typeByte.false;
    case BsonType.date:
      return typeByte.date;
    case BsonType.timestamp:
      return typeByte.timestamp;
    case BsonType.regex:
      return typeByte.regex;
    case BsonType.javascript:
      return typeByte.code;
    case BsonType.javascriptWithScope:
      return typeByte.codeWithScope;
    case BsonType.maxKey:
      return typeByte.maxKey;
    default:
      throw new TypeError(`KeyString cannot encode BSON type ${type}`);
  }
}

function writeValue(value: BsonValue): void {
  const type = bsonTypeOf(value);
  switch (type) {
    case BsonType.double:
    case BsonType.int:
    case BsonType.long:
    case BsonType.decimal:
      writeNumber(writer, typeBitsWriter, value as BsonNumber);
      return;
    case BsonType.string:
      writer.byte(typeByte.string);
      writer.string(value as string);
      typeBitsWriter.bits(stringBit, 1);
      return;
    case BsonType.symbol:
      writer.byte(typeByte.string);
      writer.string((value as BSONSymbol).value);
      typeBitsWriter.bits(symbolBit, 1);
      return;
  }
  writer.byte(typeByteOf(value, type));
  writeBody(value, type);
}

/** The bytes after the type byte, for everything but numbers and strings. */
function writeBody(value: BsonValue, type: number): void {
  switch (type) {
    case BsonType.object:
      writeFields(value instanceof DBRef ? dbRefToDocument(value) : (value as BsonDocument));
      return;
    case BsonType.array:
      for (const element of value as BsonValue[]) writeValue(element);
      writer.byte(typeByte.end);
      return;
    case BsonType.binData: {
      const binary = value as Binary;
      writer.uint32(binary.position);
      writer.byte(binary.sub_type);
      writer.bytes(binary.buffer.subarray(0, binary.position));
      return;
    }
    case BsonType.objectId:
      writer.bytes((value as ObjectId).id);
      return;
    case BsonType.date:
      writeDate(value as Date);
      return;
    case BsonType.timestamp:
      writer.uint32((value as Timestamp).t);
      writer.uint32((value as Timestamp).i);
      return;
    case BsonType.regex:
      writer.string((value as BSONRegExp).pattern);
      writer.string((value as BSONRegExp).options);
      return;
    case BsonType.javascript:
      writer.string((value as Code).code);
      return;
    case BsonType.javascriptWithScope:
      writer.string((value as Code).code);
      writeFields((value as Code).scope as BsonDocument);
      return;
    default:
      // MinKey, MaxKey, undefined, null and booleans are all in their type byte.
      return;
  }
}

/** Each field as rank byte, name, value: the order in which compareDocuments looks. */
function writeFields(document: BsonDocument): void {
  for (const name of Object.keys(document)) {
    const value = document[name];
    writer.byte(rankByte(value, bsonTypeOf(value)));
    writer.string(name);
    writeValue(value);
  }
  writer.byte(typeByte.end);
}

const twoPow31 = 2 ** 31;
const twoPow32 = 2 ** 32;

/** Milliseconds as a signed Int64 with the sign bit flipped, so negative dates sort first. */
function writeDate(date: Date): void {
  const millis = date.getTime();
  // An invalid Date (beyond JS's range on decode) keeps no value; it sorts as Int64 min.
  const high = Number.isNaN(millis) ? -twoPow31 : Math.floor(millis / twoPow32);
  const low = Number.isNaN(millis) ? 0 : millis - high * twoPow32;
  writer.uint32(high + twoPow31);
  writer.uint32(low);
}
