/**
 * KeyString decoding: the inverse of encodeKey, with TypeBits restoring what the key bytes
 * share between equal values. Documents are rebuilt the way bson.deserialize builds them
 * (a {$ref, $id[, $db]} document becomes a DBRef, binData subtype 4 of 16 bytes a UUID),
 * so a decoded key deep-equals the values an index built it from.
 */
import {
  Binary,
  BSONRegExp,
  BSONSymbol,
  Code,
  DBRef,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  UUID,
} from 'bson';
import { assert } from '../util/assert.js';
import { KeyReader, symbolBit, TypeBitsReader, typeByte } from './key-string-buffer.js';
import { numberClass } from './key-string-number.js';
import { readNumber } from './key-string-number-decode.js';
import type { Direction } from './key-string.js';
import type { BsonDocument, BsonValue } from './types.js';

/**
 * Recovers the exact original values (Int32 vs Int64 vs Double vs Decimal128, -0,
 * trailing zeros of decimals like 1.50) from key + typeBits. Bytes after the last field,
 * such as a RecordId suffix, are ignored.
 */
export function decodeKey(
  key: Uint8Array,
  typeBits: Uint8Array,
  directions: readonly Direction[],
): BsonValue[] {
  const reader = new KeyReader(key);
  const bits = new TypeBitsReader(typeBits);
  const values: BsonValue[] = [];
  for (const direction of directions) {
    reader.mask = direction === -1 ? 0xff : 0;
    values.push(readValue(reader, bits, reader.byte()));
  }
  return values;
}

function readValue(reader: KeyReader, bits: TypeBitsReader, type: number): BsonValue {
  if (type >= numberClass.nan && type <= numberClass.positiveInfinity)
    return readNumber(reader, bits, type);
  switch (type) {
    case typeByte.minKey:
      return new MinKey();
    case typeByte.undefined:
      return undefined;
    case typeByte.null:
      return null;
    case typeByte.string: {
      const value = reader.string();
      return bits.bits(1) === symbolBit ? new BSONSymbol(value) : value;
    }
    case typeByte.object:
      return asDeserialized(readFields(reader, bits));
    case typeByte.array:
      return readArray(reader, bits);
    case typeByte.binData:
      return readBinary(reader);
    case typeByte.objectId:
      return new ObjectId(reader.bytes(12));
    case typeByte.false:
      return false;
    case typeByte.true:
      return true;
    case typeByte.date:
      return readDate(reader);
    case typeByte.timestamp: {
      const t = reader.uint32();
      const i = reader.uint32();
      return new Timestamp({ t, i });
    }
    case typeByte.regex: {
      const pattern = reader.string();
      return new BSONRegExp(pattern, reader.string());
    }
    case typeByte.code:
      return new Code(reader.string());
    case typeByte.codeWithScope: {
      const code = reader.string();
      return new Code(code, readFields(reader, bits));
    }
    case typeByte.maxKey:
      return new MaxKey();
    default:
      throw new TypeError(`not a KeyString type byte: 0x${type.toString(16)}`);
  }
}

function readFields(reader: KeyReader, bits: TypeBitsReader): BsonDocument {
  const document: BsonDocument = {};
  for (let rank = reader.byte(); rank !== typeByte.end; rank = reader.byte()) {
    const name = reader.string();
    const value = readValue(reader, bits, reader.byte());
    if (name === '__proto__') {
      Object.defineProperty(document, name, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else {
      document[name] = value;
    }
  }
  return document;
}

/** bson.deserialize turns DBRef-shaped documents into DBRefs; so does decoding. */
function asDeserialized(document: BsonDocument): BsonDocument | DBRef {
  const { $ref, $id, $db, ...fields } = document;
  if (typeof $ref !== 'string' || $id === undefined || $id === null) return document;
  if ($db === undefined && !('$db' in document))
    return new DBRef($ref, $id as ObjectId, undefined, fields);
  if (typeof $db !== 'string') return document;
  return new DBRef($ref, $id as ObjectId, $db, fields);
}

function readArray(reader: KeyReader, bits: TypeBitsReader): BsonValue[] {
  const array: BsonValue[] = [];
  for (let type = reader.byte(); type !== typeByte.end; type = reader.byte()) {
    array.push(readValue(reader, bits, type));
  }
  return array;
}

function readBinary(reader: KeyReader): Binary {
  const length = reader.uint32();
  const subtype = reader.byte();
  const binary = new Binary(reader.bytes(length), subtype);
  if (subtype === Binary.SUBTYPE_UUID && UUID.isValid(binary)) return binary.toUUID();
  return binary;
}

function readDate(reader: KeyReader): Date {
  const high = reader.uint32() - 2 ** 31;
  const low = reader.uint32();
  const millis = high * 2 ** 32 + low;
  assert(Number.isSafeInteger(millis) || high === -(2 ** 31), 'date key out of range');
  return new Date(millis);
}
