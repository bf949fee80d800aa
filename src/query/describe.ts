/**
 * Renders values the way MongoDB's error messages print BSON elements (BSONElement::
 * toString), so messages read like the server's: `$size: 2.5`, `prop: "a"`, `[ 1, 2 ]`.
 * Only messages depend on this; codes never do.
 */
import type {
  Binary,
  BSONRegExp,
  Decimal128,
  Double,
  Int32,
  Long,
  ObjectId,
  Timestamp,
} from 'bson';
import type { BsonValue } from '../bson/types.js';
import { bsonTypeOf, BsonType, isDocument } from '../bson/types.js';

export function describeValue(name: string, value: BsonValue): string {
  return `${name}: ${renderValue(value)}`;
}

function renderDouble(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Object.is(value, -0)) return '-0.0';
  return String(value);
}

export function renderValue(value: BsonValue): string {
  if (Array.isArray(value)) {
    return value.length === 0 ? '[]' : `[ ${value.map(renderValue).join(', ')} ]`;
  }
  if (isDocument(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([key, field]) => `${key}: ${renderValue(field)}`).join(', ')} }`;
  }
  switch (bsonTypeOf(value)) {
    case BsonType.string:
      return JSON.stringify(value);
    case BsonType.null:
      return 'null';
    case BsonType.undefined:
      return 'undefined';
    case BsonType.bool:
      return value === true ? 'true' : 'false';
    case BsonType.int:
      return String((value as Int32).value);
    case BsonType.long:
      return (value as Long).toString();
    case BsonType.double:
      return renderDouble((value as Double).value);
    case BsonType.decimal:
      return `NumberDecimal("${(value as Decimal128).toString()}")`;
    case BsonType.objectId:
      return `ObjectId('${(value as ObjectId).toHexString()}')`;
    case BsonType.date:
      return `new Date(${(value as Date).getTime()})`;
    case BsonType.regex:
      return `/${(value as BSONRegExp).pattern}/${(value as BSONRegExp).options}`;
    case BsonType.binData:
      return `BinData(${(value as Binary).sub_type}, ${Buffer.from((value as Binary).value())
        .toString('hex')
        .toUpperCase()})`;
    case BsonType.timestamp:
      return `Timestamp(${(value as Timestamp).t}, ${(value as Timestamp).i})`;
    case BsonType.minKey:
      return 'MinKey';
    case BsonType.maxKey:
      return 'MaxKey';
    default:
      return typeNameOf(value);
  }
}

/** MongoDB's type names as they appear in messages (typeName(BSONType)). */
export function typeNameOf(value: BsonValue): string {
  const names: Record<number, string> = {
    [BsonType.double]: 'double',
    [BsonType.string]: 'string',
    [BsonType.object]: 'object',
    [BsonType.array]: 'array',
    [BsonType.binData]: 'binData',
    [BsonType.undefined]: 'undefined',
    [BsonType.objectId]: 'objectId',
    [BsonType.bool]: 'bool',
    [BsonType.date]: 'date',
    [BsonType.null]: 'null',
    [BsonType.regex]: 'regex',
    [BsonType.javascript]: 'javascript',
    [BsonType.symbol]: 'symbol',
    [BsonType.javascriptWithScope]: 'javascriptWithScope',
    [BsonType.int]: 'int',
    [BsonType.timestamp]: 'timestamp',
    [BsonType.long]: 'long',
    [BsonType.decimal]: 'decimal',
    [BsonType.minKey]: 'minKey',
    [BsonType.maxKey]: 'maxKey',
  };
  return names[bsonTypeOf(value)] ?? 'unknown';
}
