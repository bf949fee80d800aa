/**
 * MongoDB's BSONElement::toString / BSONObj::toString, which update error messages embed
 * ("{_id: 1} has the field 'a' of non-numeric type string", "the update { $set: { a: 5.0 } }").
 * Clients compare these messages, so the format follows the server byte for byte: doubles
 * through "%.16g" with ".0" appended when the result looks integral, strings in double
 * quotes without escaping, long strings cut after 150 bytes.
 */
import type { Binary, BSONRegExp, Code, Decimal128, Long, ObjectId, Timestamp } from 'bson';
import { dbRefToDocument } from './compare.js';
import type { BsonDocument, BsonValue } from './types.js';
import { BsonType, bsonTypeOf } from './types.js';

/** Strings whose BSON size (bytes plus the terminating NUL) exceeds this are truncated. */
const stringSizeMax = 160;
const stringPrefixBytes = 150;
const binaryBytesMax = 80;
const codeSizeMax = 80;
const codePrefixBytes = 70;
const binaryPrefixBytes = 70;

/** "name: value", as BSONElement::toString() prints an element with its field name. */
export function bsonElementToString(name: string, value: BsonValue): string {
  return `${name}: ${bsonToString(value)}`;
}

/** The value part of BSONElement::toString(). */
export function bsonToString(value: BsonValue): string {
  const type = bsonTypeOf(value);
  switch (type) {
    case BsonType.double:
      return formatDoubleNice((value as { value: number }).value);
    case BsonType.int:
      return String((value as { value: number }).value);
    case BsonType.long:
      return (value as Long).toString();
    case BsonType.decimal:
      return (value as Decimal128).toString();
    case BsonType.string:
    case BsonType.symbol:
      return quoteString(typeof value === 'string' ? value : (value as { value: string }).value);
    case BsonType.object:
      return documentToString(asPlainDocument(value));
    case BsonType.array:
      return arrayToString(value as BsonValue[]);
    default:
      return scalarToString(type, value);
  }
}

function scalarToString(type: number, value: BsonValue): string {
  switch (type) {
    case BsonType.bool:
      return value ? 'true' : 'false';
    case BsonType.null:
      return 'null';
    case BsonType.undefined:
      return 'undefined';
    case BsonType.minKey:
      return 'MinKey';
    case BsonType.maxKey:
      return 'MaxKey';
    case BsonType.date:
      return `new Date(${(value as Date).getTime()})`;
    case BsonType.objectId:
      return `ObjectId('${(value as ObjectId).toHexString()}')`;
    case BsonType.regex:
      return `/${(value as BSONRegExp).pattern}/${(value as BSONRegExp).options}`;
    case BsonType.timestamp:
      return `Timestamp(${(value as Timestamp).t}, ${(value as Timestamp).i})`;
    case BsonType.binData:
      return binaryToString(value as Binary);
    case BsonType.javascript:
      return truncateCode((value as Code).code);
    case BsonType.javascriptWithScope: {
      const code = value as Code;
      return `CodeWScope( ${code.code}, ${documentToString(code.scope ?? {})})`;
    }
    default:
      throw new TypeError(`no string form for BSON type ${type}`);
  }
}

function asPlainDocument(value: BsonValue): BsonDocument {
  const tag = (value as { _bsontype?: unknown })._bsontype;
  return tag === 'DBRef' ? dbRefToDocument(value as never) : (value as BsonDocument);
}

/** BSONObj::toString: "{ a: 1, b: 2 }", or "{}" when empty. */
export function documentToString(doc: BsonDocument): string {
  const keys = Object.keys(doc);
  if (keys.length === 0) return '{}';
  const parts = keys.map((key) => bsonElementToString(key, doc[key]));
  return `{ ${parts.join(', ')} }`;
}

function arrayToString(array: BsonValue[]): string {
  if (array.length === 0) return '[]';
  return `[ ${array.map((item) => bsonToString(item)).join(', ')} ]`;
}

/** Code longer than 79 bytes is cut after 70, with no quotes. */
function truncateCode(code: string): string {
  const bytes = Buffer.from(code, 'utf8');
  if (bytes.length + 1 <= codeSizeMax) return code;
  return `${bytes.subarray(0, codePrefixBytes).toString('utf8')}...`;
}

function quoteString(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length + 1 <= stringSizeMax) return `"${text}"`;
  // The server copies raw bytes, so a cut may split a UTF-8 sequence; decoding shows U+FFFD.
  return `"${bytes.subarray(0, stringPrefixBytes).toString('utf8')}..."`;
}

function binaryToString(binary: Binary): string {
  const bytes = binary.buffer.subarray(0, binary.position);
  if (binary.sub_type === 4 && bytes.length === 16) {
    const hex = Buffer.from(bytes).toString('hex');
    const groups = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20)];
    return `UUID("${groups.join('-')}-${hex.slice(20)}")`;
  }
  const shown = bytes.length > binaryBytesMax ? bytes.subarray(0, binaryPrefixBytes) : bytes;
  const hex = Buffer.from(shown).toString('hex').toUpperCase();
  const suffix = bytes.length > binaryBytesMax ? '...)' : ')';
  return `BinData(${binary.sub_type}, ${hex}${suffix}`;
}

/**
 * StringBuilder::appendDoubleNice: C's "%.16g", then ".0" unless the text already has a
 * '.', an 'E' or an 'N'. The checks are case-sensitive, so 1e20 prints as "1e+20.0" and
 * infinity as "inf.0", exactly like the server.
 */
export function formatDoubleNice(value: number): string {
  const text = formatG(value, 16);
  if (text.includes('.') || text.includes('E') || text.includes('N')) return text;
  return `${text}.0`;
}

/** C's printf("%.<precision>g"). */
export function formatG(value: number, precision: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa = '', exponentText = '0'] = value.toExponential(precision - 1).split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= precision) {
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${stripZeros(mantissa)}e${exponent < 0 ? '-' : '+'}${digits}`;
  }
  return stripZeros(value.toFixed(precision - 1 - exponent));
}

function stripZeros(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}
