/**
 * Value helpers shared by every operator family: MongoDB's type names, nullish checks, exact
 * integral tests and coercions (Value::integral, coerceToLong, ...) and the Value::toString
 * rendering that the server puts into error messages.
 */
import type { Decimal128 } from 'bson';
import { Double, Int32, Long } from 'bson';
import type { BsonNumber } from '../../bson/compare-numbers.js';
import { decimalToParts } from '../../bson/decimal-parts.js';
import { bsonTypeName, bsonTypeOf, isDocument, isNumber } from '../../bson/types.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { formatDouble } from './number-format.js';
import { formatIsoDate } from './date-format.js';

/** An evaluation result: `undefined` is "missing" (and the deprecated BSON undefined). */
export type Value = BsonValue | undefined;

export const int32Min = -2147483648;
export const int32Max = 2147483647;
export const int64Min = -(2n ** 63n);
export const int64Max = 2n ** 63n - 1n;

export function isNullish(value: Value): value is null | undefined {
  return value === null || value === undefined;
}

/**
 * MongoDB's typeName(): the $type alias, with "missing" for an absent value. The bson package
 * decodes BSON undefined to JS undefined too, so it reports as "missing".
 */
export function typeName(value: Value): string {
  if (value === undefined) return 'missing';
  return bsonTypeName(bsonTypeOf(value));
}

export function isNumeric(value: Value): value is BsonNumber {
  return isNumber(value);
}

/** The value as an exact bigint when it is integral and fits in int64 (Value::integral64Bit). */
export function integral64(value: Value): bigint | undefined {
  if (!isNumber(value)) return undefined;
  switch (value._bsontype) {
    case 'Int32':
      return BigInt(value.value);
    case 'Long':
      return value.toBigInt();
    case 'Double':
      return doubleToInt64(value.value);
    case 'Decimal128':
      return decimalToInt64(value);
  }
}

/** The value as a number when it is integral and fits in int32 (Value::integral). */
export function integral32(value: Value): number | undefined {
  const big = integral64(value);
  if (big === undefined || big < BigInt(int32Min) || big > BigInt(int32Max)) return undefined;
  return Number(big);
}

function doubleToInt64(value: number): bigint | undefined {
  if (!Number.isInteger(value)) return undefined;
  if (value < -(2 ** 63) || value >= 2 ** 63) return undefined;
  return BigInt(value);
}

/** Exact integer value of a decimal, if it has no fractional part and fits in int64. */
export function decimalToInt64(value: Decimal128): bigint | undefined {
  const parts = decimalToParts(value);
  if (parts.kind !== 'finite') return undefined;
  let integer: bigint;
  if (parts.exponent >= 0) {
    if (parts.coefficient !== 0n && parts.exponent > 19) return undefined;
    integer = parts.coefficient * 10n ** BigInt(parts.exponent);
  } else {
    if (parts.exponent < -40) return parts.coefficient === 0n ? 0n : undefined;
    const divisor = 10n ** BigInt(-parts.exponent);
    if (parts.coefficient % divisor !== 0n) return undefined;
    integer = parts.coefficient / divisor;
  }
  const signed = parts.negative ? -integer : integer;
  return signed < int64Min || signed > int64Max ? undefined : signed;
}

/** Value::coerceToLong: truncates doubles, rounds decimals half to even, errors when out of range. */
export function coerceToLong(value: BsonNumber): bigint {
  switch (value._bsontype) {
    case 'Int32':
      return BigInt(value.value);
    case 'Long':
      return value.toBigInt();
    case 'Double':
      if (!(value.value >= -(2 ** 63) && value.value < 2 ** 63)) throw outOfRange(value, 'long');
      return BigInt(Math.trunc(value.value));
    case 'Decimal128': {
      const rounded = decimalRoundHalfEven(value);
      if (rounded === undefined || rounded < int64Min || rounded > int64Max) {
        throw outOfRange(value, 'long');
      }
      return rounded;
    }
  }
}

/** Value::coerceToInt: truncates doubles, rounds decimals half to even, errors when out of range. */
export function coerceToInt(value: BsonNumber): number {
  switch (value._bsontype) {
    case 'Int32':
      return value.value;
    case 'Long': {
      const big = value.toBigInt();
      if (big < BigInt(int32Min) || big > BigInt(int32Max)) throw outOfRange(value, 'int');
      return Number(big);
    }
    case 'Double':
      if (!(value.value >= int32Min && value.value <= int32Max)) throw outOfRange(value, 'int');
      return Math.trunc(value.value);
    case 'Decimal128': {
      const rounded = decimalRoundHalfEven(value);
      if (rounded === undefined || rounded < BigInt(int32Min) || rounded > BigInt(int32Max)) {
        throw outOfRange(value, 'int');
      }
      return Number(rounded);
    }
  }
}

function outOfRange(value: BsonNumber, target: 'int' | 'long'): MongoError {
  const rendered = value._bsontype === 'Double' ? formatDouble(value.value) : value.toString();
  return new MongoError(
    target === 'int' ? 31108 : 31109,
    `Can't coerce out of range value ${rendered} to ${target}`,
  );
}

/** The nearest integer to a decimal, ties to even (Decimal128::toLong's default mode). */
export function decimalRoundHalfEven(value: Decimal128): bigint | undefined {
  const parts = decimalToParts(value);
  if (parts.kind !== 'finite') return undefined;
  let integer: bigint;
  if (parts.exponent >= 0) {
    // Anything with more than 40 digits is out of every range callers check.
    integer = parts.coefficient * 10n ** BigInt(Math.min(parts.exponent, 40));
  } else if (parts.exponent < -40) {
    integer = 0n;
  } else {
    const divisor = 10n ** BigInt(-parts.exponent);
    integer = parts.coefficient / divisor;
    const twiceRemainder = (parts.coefficient % divisor) * 2n;
    if (twiceRemainder > divisor || (twiceRemainder === divisor && integer % 2n === 1n))
      integer += 1n;
  }
  return parts.negative ? -integer : integer;
}

/** Value::createIntOrLong. */
export function intOrLong(value: bigint): Int32 | Long {
  if (value >= BigInt(int32Min) && value <= BigInt(int32Max)) return new Int32(Number(value));
  return Long.fromBigInt(value);
}

export function double(value: number): Double {
  return new Double(value);
}

/** Value::coerceToBool. */
export function coerceToBool(value: Value): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (isNumber(value)) {
    switch (value._bsontype) {
      case 'Int32':
      case 'Double':
        return value.value !== 0;
      case 'Long':
        return !value.isZero();
      case 'Decimal128': {
        const parts = decimalToParts(value);
        return parts.kind !== 'finite' || parts.coefficient !== 0n;
      }
    }
  }
  return true;
}

/** Value::toString, as it appears in the server's error messages. */
export function formatValue(value: Value): string {
  if (value === undefined) return 'MISSING';
  if (value === null) return 'null';
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (isDocument(value)) return formatDocument(value);
  return formatScalar(value);
}

function formatScalar(value: BsonValue & object): string {
  if (value instanceof Date) return formatIsoDate(value.getTime()) ?? 'illegal date';
  const tag = (value as { _bsontype?: string })._bsontype;
  switch (tag) {
    case 'Double':
      return formatDouble((value as Double).value);
    case 'Int32':
    case 'Long':
    case 'Decimal128':
      return (value as Int32 | Long | Decimal128).toString();
    case 'ObjectId':
      return (value as { toHexString(): string }).toHexString();
    case 'BSONRegExp': {
      const regex = value as { pattern: string; options: string };
      return `/${regex.pattern}/${regex.options}`;
    }
    case 'Timestamp': {
      const ts = value as { t: number; i: number };
      return `Timestamp(${ts.t}, ${ts.i})`;
    }
    case 'MinKey':
    case 'MaxKey':
      return tag;
    case 'BSONSymbol':
      return `Symbol("${(value as { value: string }).value}")`;
    case 'Code':
      return `Code("${(value as { code: string }).code}")`;
    case 'Binary': {
      const binary = value as { sub_type: number; buffer: Uint8Array; position: number };
      const hex = Buffer.from(binary.buffer.subarray(0, binary.position)).toString('hex');
      return `BinData(${binary.sub_type}, "${hex.toUpperCase()}")`;
    }
    case undefined:
    default:
      return typeName(value);
  }
}

/** Document::toString: `{a: 1, b: "x"}`. */
export function formatDocument(doc: BsonDocument): string {
  const keys = Object.keys(doc);
  if (keys.length === 0) return '{}';
  return `{${keys.map((key) => `${key}: ${formatValue(doc[key])}`).join(', ')}}`;
}

/** A BSONElement rendered as the server does in "found <elem>" messages: `name: value`. */
export function formatElement(name: string, value: Value): string {
  return `${name}: ${formatValue(value)}`;
}

/** Value::coerceToString: how $concat's cousins ($substr, $toLower, ...) see non-strings. */
export function coerceToString(value: Value): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) {
    const text = formatIsoDate(value.getTime());
    if (text === undefined) throw new MongoError(18537, 'failed while coercing date to string');
    return text;
  }
  const tag = (value as { _bsontype?: string })._bsontype;
  switch (tag) {
    case 'Double':
      return formatDouble((value as Double).value);
    case 'Int32':
    case 'Long':
    case 'Decimal128':
      return (value as Int32 | Long | Decimal128).toString();
    case 'BSONSymbol':
      return (value as { value: string }).value;
    case 'Code':
      return (value as { code: string }).code;
    case 'Timestamp':
      return formatTimestampPretty(value as { t: number; i: number });
    case undefined:
    default:
      throw new MongoError(16007, `can't convert from BSON type ${typeName(value)} to String`);
  }
}

/** Timestamp::toStringPretty: the seconds as a date and time, then ':' and the increment. */
function formatTimestampPretty(ts: { t: number; i: number }): string {
  const iso = formatIsoDate(ts.t * 1000) ?? '';
  return `${iso.slice(0, 19)}:${ts.i}`;
}
