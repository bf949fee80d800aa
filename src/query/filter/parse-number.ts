/**
 * Integer arguments of query operators ($size, bit positions, $type codes, $jsonSchema
 * lengths), parsed as BSONElement::parseIntegerElementToLong and friends do: any numeric
 * type is accepted if it holds an integer exactly, with FailedToParse otherwise.
 */
import type { Decimal128 } from 'bson';
import type { BsonValue } from '../../bson/types.js';
import type { BsonNumber } from '../../bson/compare-numbers.js';
import { isNumber } from '../../bson/types.js';
import { decimalToParts } from '../../bson/decimal-parts.js';
import { MongoError } from '../../errors/mongo-error.js';
import { describeValue } from '../describe.js';

export const int64Min = -(2n ** 63n);
export const int64Max = 2n ** 63n - 1n;
const int32Min = -(2n ** 31n);
const int32Max = 2n ** 31n - 1n;

/** The integer a Decimal128 holds, or undefined when it is not finite or not integral. */
export function decimalToBigInt(value: Decimal128): bigint | undefined {
  const parts = decimalToParts(value);
  if (parts.kind !== 'finite') return undefined;
  let magnitude: bigint;
  if (parts.exponent >= 0) {
    magnitude = parts.coefficient * 10n ** BigInt(parts.exponent);
  } else {
    const scale = 10n ** BigInt(-parts.exponent);
    if (parts.coefficient % scale !== 0n) return undefined;
    magnitude = parts.coefficient / scale;
  }
  return parts.negative ? -magnitude : magnitude;
}

/** Truncates a Decimal128 toward zero; undefined when not finite. */
export function decimalTruncate(value: Decimal128): bigint | undefined {
  const parts = decimalToParts(value);
  if (parts.kind !== 'finite') return undefined;
  const magnitude =
    parts.exponent >= 0
      ? parts.coefficient * 10n ** BigInt(parts.exponent)
      : parts.coefficient / 10n ** BigInt(-parts.exponent);
  return parts.negative ? -magnitude : magnitude;
}

function failed(message: string): MongoError {
  return new MongoError('FailedToParse', message);
}

/** parseIntegerElementToLong: `name` is the element's field name, for the message. */
export function parseIntegerToLong(name: string, value: BsonValue): bigint {
  const element = (): string => describeValue(name, value);
  if (!isNumber(value)) throw failed(`Expected a number in: ${element()}`);
  switch (value._bsontype) {
    case 'Int32':
      return BigInt(value.value);
    case 'Long':
      return value.toBigInt();
    case 'Double': {
      const number = value.value;
      if (Number.isNaN(number)) throw failed(`Expected an integer, but found NaN in: ${element()}`);
      if (number >= 2 ** 63 || number < -(2 ** 63)) {
        throw failed(`Cannot represent as a 64-bit integer: ${element()}`);
      }
      if (!Number.isInteger(number)) throw failed(`Expected an integer: ${element()}`);
      return BigInt(number);
    }
    case 'Decimal128': {
      const integer = decimalToBigInt(value);
      if (integer === undefined || integer < int64Min || integer > int64Max) {
        throw failed(`Cannot represent as a 64-bit integer: ${element()}`);
      }
      return integer;
    }
  }
}

export function parseIntegerToNonNegativeLong(name: string, value: BsonValue): bigint {
  const integer = parseIntegerToLong(name, value);
  if (integer < 0n) throw failed(`Expected a positive number in: ${describeValue(name, value)}`);
  return integer;
}

export function parseIntegerToInt(name: string, value: BsonValue): number {
  const integer = parseIntegerToLong(name, value);
  if (integer < int32Min || integer > int32Max) {
    throw failed(`Cannot represent ${describeValue(name, value)} in an int`);
  }
  return Number(integer);
}

export function parseIntegerToNonNegativeInt(name: string, value: BsonValue): number {
  const integer = parseIntegerToInt(name, value);
  if (integer < 0) throw failed(`Expected a positive number in: ${describeValue(name, value)}`);
  return integer;
}

/**
 * BSONElement::tryCoerce to long long, as $mod coerces its arguments: fractions truncate,
 * NaN, infinities and out-of-range values fail with the reason returned.
 */
export function coerceToLong(value: BsonNumber): bigint | string {
  switch (value._bsontype) {
    case 'Int32':
      return BigInt(value.value);
    case 'Long':
      return value.toBigInt();
    case 'Double': {
      const number = value.value;
      if (!Number.isFinite(number)) return 'Unable to coerce NaN/Inf to integral type';
      const truncated = Math.trunc(number);
      if (truncated >= 2 ** 63 || truncated < -(2 ** 63))
        return 'Out of bounds coercing to integral value';
      return BigInt(truncated);
    }
    case 'Decimal128': {
      const truncated = decimalTruncate(value);
      if (truncated === undefined) return 'Unable to coerce NaN/Inf to integral type';
      if (truncated < int64Min || truncated > int64Max)
        return 'Out of bounds coercing to integral value';
      return truncated;
    }
  }
}
