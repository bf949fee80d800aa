/**
 * BSONElement::binaryEqualValues: the same BSON type and the same bytes. This is the
 * no-op test of $set and of replacements; it is stricter than compareValues, which calls
 * Int32(1) and Double(1) equal, and it sees field order and -0.0 versus 0.0.
 */
import type { Binary, BSONRegExp, Code, Decimal128, Long, ObjectId } from 'bson';
import { compareBytes, dbRefToDocument } from '../../bson/compare.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { BsonType, bsonTypeOf } from '../../bson/types.js';

export function binaryEqual(a: BsonValue, b: BsonValue): boolean {
  if (a === b) return true;
  const type = bsonTypeOf(a);
  if (type !== bsonTypeOf(b)) return false;
  switch (type) {
    case BsonType.double:
      return doublesBinaryEqual((a as { value: number }).value, (b as { value: number }).value);
    case BsonType.int:
      return (a as { value: number }).value === (b as { value: number }).value;
    case BsonType.long:
    case BsonType.timestamp:
      return longsEqual(a as Long, b as Long);
    case BsonType.decimal:
      return compareBytes((a as Decimal128).bytes, (b as Decimal128).bytes) === 0;
    case BsonType.symbol:
      return (a as { value: string }).value === (b as { value: string }).value;
    case BsonType.object:
      return documentsBinaryEqual(asDocument(a), asDocument(b));
    case BsonType.array:
      return arraysBinaryEqual(a as BsonValue[], b as BsonValue[]);
    default:
      return scalarsBinaryEqual(type, a, b);
  }
}

function scalarsBinaryEqual(type: number, a: BsonValue, b: BsonValue): boolean {
  switch (type) {
    case BsonType.date:
      return Object.is((a as Date).getTime(), (b as Date).getTime());
    case BsonType.objectId:
      return (a as ObjectId).equals(b as ObjectId);
    case BsonType.binData: {
      const x = a as Binary;
      const y = b as Binary;
      if (x.sub_type !== y.sub_type || x.position !== y.position) return false;
      return compareBytes(x.buffer.subarray(0, x.position), y.buffer.subarray(0, y.position)) === 0;
    }
    case BsonType.regex:
      return (
        (a as BSONRegExp).pattern === (b as BSONRegExp).pattern &&
        (a as BSONRegExp).options === (b as BSONRegExp).options
      );
    case BsonType.javascript:
    case BsonType.javascriptWithScope:
      return codesBinaryEqual(a as Code, b as Code);
    default:
      // Strings, booleans, null, undefined, MinKey and MaxKey: equal type and value.
      return a === b || type === BsonType.minKey || type === BsonType.maxKey;
  }
}

/** NaN payloads are invisible in JS, so every NaN counts as the same bytes; -0 is not 0. */
function doublesBinaryEqual(a: number, b: number): boolean {
  return Object.is(a, b);
}

function longsEqual(a: Long, b: Long): boolean {
  return a.low === b.low && a.high === b.high;
}

function codesBinaryEqual(a: Code, b: Code): boolean {
  if (a.code !== b.code) return false;
  if (!a.scope || !b.scope) return !a.scope && !b.scope;
  return documentsBinaryEqual(a.scope, b.scope);
}

function asDocument(value: BsonValue): BsonDocument {
  const tag = (value as { _bsontype?: unknown })._bsontype;
  return tag === 'DBRef' ? dbRefToDocument(value as never) : (value as BsonDocument);
}

export function documentsBinaryEqual(a: BsonDocument, b: BsonDocument): boolean {
  if (a === b) return true;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  for (let i = 0; i < aKeys.length; i++) {
    const key = aKeys[i] as string;
    if (key !== bKeys[i]) return false;
    if (!binaryEqual(a[key], b[key])) return false;
  }
  return true;
}

function arraysBinaryEqual(a: BsonValue[], b: BsonValue[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (!binaryEqual(a[i], b[i])) return false;
  }
  return true;
}
