/**
 * BSONObj::toString / BSONElement::toString, which some server messages embed verbatim
 * ("An object representing an expression must have exactly one field: { $a: 1, b: 2 }",
 * "specification must be an object; found $minN: 5"). This differs from Value::toString.
 */
import type { Decimal128, Long } from 'bson';
import { isDocument } from '../../bson/types.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { formatDouble } from './number-format.js';

/** BSONObj::toString: `{ a: 1, b: "x" }`. */
export function formatBsonObject(doc: BsonDocument): string {
  const keys = Object.keys(doc);
  if (keys.length === 0) return '{}';
  return `{ ${keys.map((key) => formatBsonElement(key, doc[key])).join(', ')} }`;
}

/** BSONElement::toString with its field name: `$minN: 5`. */
export function formatBsonElement(name: string, value: BsonValue): string {
  return `${name}: ${formatBsonValue(value)}`;
}

function formatBsonValue(value: BsonValue): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    return value.length === 0 ? '[]' : `[ ${value.map(formatBsonValue).join(', ')} ]`;
  }
  if (isDocument(value)) return formatBsonObject(value);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  return formatTagged(value);
}

function formatTagged(value: object): string {
  const tag = (value as { _bsontype?: string })._bsontype;
  switch (tag) {
    case 'Double':
      return doubleNice((value as { value: number }).value);
    case 'Int32':
      return String((value as { value: number }).value);
    case 'Long':
      return (value as Long).toString();
    case 'Decimal128':
      return `NumberDecimal("${(value as Decimal128).toString()}")`;
    case 'ObjectId':
      return `ObjectId('${(value as { toHexString(): string }).toHexString()}')`;
    case 'Timestamp': {
      const ts = value as { t: number; i: number };
      return `Timestamp(${ts.t}, ${ts.i})`;
    }
    case 'BSONRegExp': {
      const regex = value as { pattern: string; options: string };
      return `/${regex.pattern}/${regex.options}`;
    }
    case 'Binary': {
      const binary = value as { sub_type: number; buffer: Uint8Array; position: number };
      const hex = Buffer.from(binary.buffer.subarray(0, binary.position)).toString('hex');
      return `BinData(${binary.sub_type}, ${hex.toUpperCase()})`;
    }
    case 'MinKey':
    case 'MaxKey':
      return tag;
    case undefined:
    default:
      return tag ?? 'object';
  }
}

/** StringBuilder::appendDoubleNice: "%.16g", plus ".0" when the text has no '.', 'E' or 'N'. */
function doubleNice(value: number): string {
  const text = formatDouble(value, 16);
  return /[.EN]/.test(text) ? text : `${text}.0`;
}
