/**
 * Shoal's BSON encoder. The bson package's encoder cannot embed already-encoded
 * documents, and it turns integral JS numbers into Int32 silently; this one embeds
 * RawBson as is, and accepts plain JS numbers only as reply conveniences (counts, ok),
 * never as stored values. bigint encodes as Int64.
 */
import {
  Binary,
  BSONRegExp,
  BSONSymbol,
  Code,
  DBRef,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from 'bson';
import { assert } from '../util/assert.js';
import { RawBson } from './raw.js';
import { MongoError } from '../errors/mongo-error.js';

const int32Min = -(2 ** 31);
const int32Max = 2 ** 31 - 1;

class Writer {
  // Most replies fit; allocUnsafe below 4 KiB comes from Node's shared pool.
  buffer = Buffer.allocUnsafe(1024);
  offset = 0;

  reserve(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.offset + bytes) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buffer.copy(next, 0, 0, this.offset);
    this.buffer = next;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.offset++] = value;
  }

  int32(value: number): void {
    this.reserve(4);
    this.buffer.writeInt32LE(value, this.offset);
    this.offset += 4;
  }

  uint32(value: number): void {
    this.reserve(4);
    this.buffer.writeUInt32LE(value >>> 0, this.offset);
    this.offset += 4;
  }

  int64(value: Long): void {
    this.int32(value.low);
    this.int32(value.high);
  }

  double(value: number): void {
    this.reserve(8);
    this.buffer.writeDoubleLE(value, this.offset);
    this.offset += 8;
  }

  bytes(value: Uint8Array): void {
    this.reserve(value.length);
    this.buffer.set(value, this.offset);
    this.offset += value.length;
  }

  cstring(value: string): void {
    const length = Buffer.byteLength(value, 'utf8');
    this.reserve(length + 1);
    const written = this.buffer.write(value, this.offset, 'utf8');
    assert(!this.buffer.subarray(this.offset, this.offset + written).includes(0), 'NUL in cstring');
    this.offset += written;
    this.buffer[this.offset++] = 0;
  }

  string(value: string): void {
    const length = Buffer.byteLength(value, 'utf8');
    this.reserve(length + 5);
    this.buffer.writeInt32LE(length + 1, this.offset);
    this.offset += 4;
    this.offset += this.buffer.write(value, this.offset, 'utf8');
    this.buffer[this.offset++] = 0;
  }
}

type Encodable = unknown;

function writeDocument(writer: Writer, doc: object): void {
  const start = writer.offset;
  writer.int32(0);
  if (Array.isArray(doc)) {
    for (let i = 0; i < doc.length; i++) writeElement(writer, String(i), doc[i] as Encodable);
  } else {
    for (const key of Object.keys(doc)) {
      const value = (doc as Record<string, Encodable>)[key];
      if (value === undefined) continue;
      writeElement(writer, key, value);
    }
  }
  writer.byte(0);
  writer.buffer.writeInt32LE(writer.offset - start, start);
}

function writeElement(writer: Writer, key: string, value: Encodable): void {
  const typeOffset = writer.offset;
  writer.byte(0);
  writer.cstring(key);
  // writeValue may grow (reallocate) the buffer, so the type byte is stored only after it
  // returns: `writer.buffer[i] = writeValue(...)` would evaluate writer.buffer first and
  // write into the discarded buffer.
  const type = writeValue(writer, value);
  writer.buffer[typeOffset] = type;
}

/** Writes the value's payload and returns its BSON type byte. */
function writeValue(writer: Writer, value: Encodable): number {
  switch (typeof value) {
    case 'string':
      writer.string(value);
      return 0x02;
    case 'number':
      if (
        Number.isInteger(value) &&
        value >= int32Min &&
        value <= int32Max &&
        !Object.is(value, -0)
      ) {
        writer.int32(value);
        return 0x10;
      }
      writer.double(value);
      return 0x01;
    case 'boolean':
      writer.byte(value ? 1 : 0);
      return 0x08;
    case 'bigint':
      writer.int64(Long.fromBigInt(value));
      return 0x12;
    case 'undefined':
      return 0x0a;
    case 'object':
      return writeObjectValue(writer, value);
    default:
      throw new TypeError(`cannot encode ${typeof value} as BSON`);
  }
}

function writeObjectValue(writer: Writer, value: object | null): number {
  if (value === null) return 0x0a;
  if (Array.isArray(value)) {
    writeDocument(writer, value);
    return 0x04;
  }
  // Plain documents are the commonest objects in replies: test for them first.
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    writeDocument(writer, value);
    return 0x03;
  }
  if (value instanceof RawBson) {
    writer.bytes(value.bytes);
    return 0x03;
  }
  if (value instanceof Int32) {
    writer.int32(value.value);
    return 0x10;
  }
  if (value instanceof Double) {
    writer.double(value.value);
    return 0x01;
  }
  // Timestamp extends Long in the bson package, so it must be tested first.
  if (value instanceof Timestamp) {
    // Both halves are unsigned 32-bit.
    writer.uint32(value.i);
    writer.uint32(value.t);
    return 0x11;
  }
  if (value instanceof Long) {
    writer.int64(value);
    return 0x12;
  }
  if (value instanceof Decimal128) {
    writer.bytes(value.bytes);
    return 0x13;
  }
  return writeRareValue(writer, value);
}

function writeRareValue(writer: Writer, value: object): number {
  if (value instanceof ObjectId) {
    writer.bytes(value.id);
    return 0x07;
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    // A Date decoded from an out-of-range BSON date is invalid; never store a made-up one.
    if (Number.isNaN(ms)) {
      throw new MongoError(
        'BadValue',
        'Shoal cannot store dates outside years -271821 to 275760 (±8.64e15 ms)',
      );
    }
    writer.int64(Long.fromNumber(ms));
    return 0x09;
  }
  if (value instanceof Binary) {
    const data = value.buffer.subarray(0, value.position);
    const length = value.sub_type === 2 ? data.length + 4 : data.length;
    writer.int32(length);
    writer.byte(value.sub_type);
    if (value.sub_type === 2) writer.int32(data.length);
    writer.bytes(data);
    return 0x05;
  }
  if (value instanceof BSONRegExp) {
    writer.cstring(value.pattern);
    writer.cstring(value.options.split('').sort().join(''));
    return 0x0b;
  }
  if (value instanceof Uint8Array) {
    writer.int32(value.length);
    writer.byte(0);
    writer.bytes(value);
    return 0x05;
  }
  return writeLegacyValue(writer, value);
}

function writeLegacyValue(writer: Writer, value: object): number {
  if (value instanceof MinKey) return 0xff;
  if (value instanceof MaxKey) return 0x7f;
  if (value instanceof BSONSymbol) {
    writer.string(value.value);
    return 0x0e;
  }
  if (value instanceof Code) {
    if (!value.scope) {
      writer.string(value.code);
      return 0x0d;
    }
    const start = writer.offset;
    writer.int32(0);
    writer.string(value.code);
    writeDocument(writer, value.scope);
    writer.buffer.writeInt32LE(writer.offset - start, start);
    return 0x0f;
  }
  if (value instanceof DBRef) {
    writeDocument(writer, value.toJSON());
    return 0x03;
  }
  if (value instanceof RegExp) {
    writer.cstring(value.source);
    writer.cstring(value.flags.split('').sort().join(''));
    return 0x0b;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  assert(proto === Object.prototype || proto === null, 'cannot encode a class instance as BSON');
  writeDocument(writer, value);
  return 0x03;
}

/** Encodes a document (plain object, possibly containing RawBson) to BSON bytes. */
export function encodeDocument(doc: object): Buffer {
  const writer = new Writer();
  writeDocument(writer, doc);
  return writer.buffer.subarray(0, writer.offset);
}
