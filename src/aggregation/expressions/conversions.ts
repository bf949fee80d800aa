/**
 * The $convert conversion table (expression.cpp ConversionTable): which input type converts
 * to which target type and how, with the server's ConversionFailure messages. Numeric
 * conversions are exact: integers never pass through a JS number on the way to Int64 or
 * Decimal128, and doubles convert to decimals with the server's 15-digit rounding.
 */
import { Decimal128, Double, Int32, Long, ObjectId } from 'bson';
import { decimalToParts } from '../../bson/decimal-parts.js';
import { BsonType, bsonTypeName, bsonTypeOf } from '../../bson/types.js';
import type { BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { formatDate, isoFormat } from './date-format.js';
import { parseDateString } from './date-parse.js';
import { decimalToDouble, toDecimal } from './decimal-math.js';
import { formatDouble } from './number-format.js';
import { utcZone } from './timezone.js';
import { coerceToBool, int32Max, int32Min, int64Max, int64Min } from './values.js';

function failure(message: string): MongoError {
  return new MongoError('ConversionFailure', message);
}

const suffix = 'in $convert with no onError value';

function targetName(target: number): string {
  return target === 0 ? 'missing' : bsonTypeName(target);
}

function unsupported(input: number, target: number): MongoError {
  return failure(
    `Unsupported conversion from ${targetName(input)} to ${targetName(target)} ${suffix}`,
  );
}

function overflow(rendered: string): MongoError {
  return failure(`Conversion would overflow target type ${suffix}: ${rendered}`);
}

function checkFinite(value: number): void {
  if (Number.isNaN(value)) throw failure(`Attempt to convert NaN value to integer type ${suffix}`);
  if (!Number.isFinite(value))
    throw failure(`Attempt to convert infinity value to integer type ${suffix}`);
}

function doubleToInt(value: number): Int32 {
  checkFinite(value);
  if (!(value >= int32Min && value <= int32Max)) throw overflow(formatDouble(value));
  return new Int32(Math.trunc(value));
}

function doubleToLong(value: number): Long {
  checkFinite(value);
  if (!(value >= -(2 ** 63) && value < 2 ** 63)) throw overflow(formatDouble(value));
  return Long.fromBigInt(BigInt(Math.trunc(value)));
}

/** Decimal to int/long, truncating toward zero (performCastDecimalToInt). */
function decimalToInteger(value: Decimal128, target: 'int' | 'long'): bigint {
  const parts = decimalToParts(value);
  if (parts.kind === 'nan') throw failure(`Attempt to convert NaN value to integer type ${suffix}`);
  if (parts.kind === 'infinity')
    throw failure(`Attempt to convert infinity value to integer type ${suffix}`);
  const magnitude =
    parts.exponent >= 0
      ? parts.coefficient * 10n ** BigInt(Math.min(parts.exponent, 40))
      : parts.coefficient / 10n ** BigInt(Math.min(-parts.exponent, 40));
  const integer = parts.negative ? -magnitude : magnitude;
  const [min, max] = target === 'int' ? [BigInt(int32Min), BigInt(int32Max)] : [int64Min, int64Max];
  if (integer < min || integer > max) throw overflow(value.toString());
  return integer;
}

function decimalToDoubleChecked(value: Decimal128): Double {
  const result = decimalToDouble(value);
  const parts = decimalToParts(value);
  const finite = parts.kind === 'finite';
  if (finite && !Number.isFinite(result)) throw overflow(value.toString());
  if (finite && parts.coefficient !== 0n && Math.abs(result) < 2.2250738585072014e-308) {
    throw overflow(value.toString());
  }
  return new Double(result);
}

/** performFormatDouble: the specials by name, everything else as printf %g. */
export function formatDoubleForString(value: number): string {
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (Number.isNaN(value)) return 'NaN';
  if (value === 0 && Object.is(value, -0)) return '-0';
  return formatDouble(value);
}

const decimalNumber = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const infinity = /^[+-]?inf(inity)?$/i;
const notANumber = /^[+-]?nan(\([0-9A-Za-z_]*\))?$/i;

/** NumberParser for doubles (strtod without leading whitespace, whole string consumed). */
function parseDouble(text: string): number {
  if (text.length === 0) throw new Error('Empty string');
  if (/^\s/.test(text)) throw new Error('Leading whitespace');
  if (infinity.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (notANumber.test(text)) return NaN;
  if (!decimalNumber.test(text)) throw new Error('Did not consume whole number.');
  const value = Number(text);
  const nonZeroDigits = /[1-9]/.test(text.replace(/[eE].*$/, ''));
  // strtod reports ERANGE on overflow and on underflow to zero or subnormals.
  if (!Number.isFinite(value) || (nonZeroDigits && Math.abs(value) < 2.2250738585072014e-308)) {
    throw new Error('Out of range');
  }
  return value;
}

/** NumberParser with base 10 for int and long: optional sign, then digits only. */
function parseInteger(text: string, min: bigint, max: bigint): bigint {
  const negative = text.startsWith('-');
  const digits = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;
  if (digits.length === 0) throw new Error('No digits');
  if (!/^\d+$/.test(digits)) throw new Error('Bad digit');
  const value = negative ? -BigInt(digits) : BigInt(digits);
  if (value > max) throw new Error('Overflow');
  if (value < min) throw new Error('Underflow');
  return value;
}

function parseDecimal(text: string): Decimal128 {
  if (text.length === 0) throw new Error('Empty string');
  if (/^\s/.test(text)) throw new Error('Leading whitespace');
  try {
    return Decimal128.fromStringWithRounding(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (message.includes('overflow'))
      throw new Error('Conversion from string to decimal would overflow');
    throw new Error('Failed to parse string to decimal');
  }
}

function parseStringToNumber(text: string, target: number): BsonValue {
  // NumberParser accepts a 0x prefix for doubles; $convert rejects it explicitly.
  if (text.startsWith('0x')) throw failure(`Illegal hexadecimal input ${suffix}: ${text}`);
  try {
    switch (target) {
      case BsonType.double:
        return new Double(parseDouble(text));
      case BsonType.int:
        return new Int32(Number(parseInteger(text, BigInt(int32Min), BigInt(int32Max))));
      case BsonType.long:
        return Long.fromBigInt(parseInteger(text, int64Min, int64Max));
      default:
        return parseDecimal(text);
    }
  } catch (error) {
    if (error instanceof MongoError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw failure(`Failed to parse number '${text}' ${suffix}: ${reason}`);
  }
}

function parseObjectId(text: string): ObjectId {
  let reason: string | undefined;
  if (text.length !== 24)
    reason = `Invalid string length for parsing to OID, expected 24 but found ${text.length}`;
  else if (!/^[0-9a-fA-F]{24}$/.test(text))
    reason = `Invalid character found in hex string: ${text}`;
  if (reason !== undefined)
    throw failure(`Failed to parse objectId '${text}' ${suffix}: ${reason}`);
  return new ObjectId(text);
}

function fromNumber(
  value: Int32 | Long | Double | Decimal128,
  target: number,
): BsonValue | undefined {
  switch (target) {
    case BsonType.bool:
      return coerceToBool(value);
    case BsonType.decimal:
      return toDecimal(value);
    case BsonType.string:
      return value._bsontype === 'Double' ? formatDoubleForString(value.value) : value.toString();
    default:
      break;
  }
  switch (value._bsontype) {
    case 'Double':
      if (target === BsonType.double) return value;
      if (target === BsonType.int) return doubleToInt(value.value);
      if (target === BsonType.long) return doubleToLong(value.value);
      if (target === BsonType.date) return new Date(Number(doubleToLong(value.value).toBigInt()));
      return undefined;
    case 'Int32':
      if (target === BsonType.double) return new Double(value.value);
      if (target === BsonType.int) return value;
      if (target === BsonType.long) return Long.fromNumber(value.value);
      return undefined;
    case 'Long':
      if (target === BsonType.double) return new Double(value.toNumber());
      if (target === BsonType.int) {
        const big = value.toBigInt();
        if (big < BigInt(int32Min) || big > BigInt(int32Max)) throw overflow('');
        return new Int32(Number(big));
      }
      if (target === BsonType.long) return value;
      if (target === BsonType.date) return new Date(value.toNumber());
      return undefined;
    case 'Decimal128':
      if (target === BsonType.double) return decimalToDoubleChecked(value);
      if (target === BsonType.int) return new Int32(Number(decimalToInteger(value, 'int')));
      if (target === BsonType.long) return Long.fromBigInt(decimalToInteger(value, 'long'));
      if (target === BsonType.date) return new Date(Number(decimalToInteger(value, 'long')));
      return undefined;
  }
}

function fromOther(value: BsonValue, input: number, target: number): BsonValue | undefined {
  switch (input) {
    case BsonType.string: {
      const text = value as string;
      if (target === BsonType.string) return text;
      if (target === BsonType.bool) return true;
      if (target === BsonType.objectId) return parseObjectId(text);
      if (target === BsonType.date) return new Date(parseDateString(text, utcZone));
      if ([BsonType.double, BsonType.int, BsonType.long, BsonType.decimal].includes(target as 1)) {
        return parseStringToNumber(text, target);
      }
      return undefined;
    }
    case BsonType.objectId: {
      const id = value as ObjectId;
      if (target === BsonType.string) return id.toHexString();
      if (target === BsonType.objectId) return id;
      if (target === BsonType.bool) return true;
      if (target === BsonType.date) return id.getTimestamp();
      return undefined;
    }
    case BsonType.bool: {
      const flag = value as boolean;
      if (target === BsonType.double) return new Double(flag ? 1 : 0);
      if (target === BsonType.string) return flag ? 'true' : 'false';
      if (target === BsonType.bool) return flag;
      if (target === BsonType.int) return new Int32(flag ? 1 : 0);
      if (target === BsonType.long) return Long.fromNumber(flag ? 1 : 0);
      if (target === BsonType.decimal) return Decimal128.fromString(flag ? '1' : '0');
      return undefined;
    }
    case BsonType.date: {
      const millis = (value as Date).getTime();
      if (target === BsonType.double) return new Double(millis);
      if (target === BsonType.string) return formatDate(isoFormat, millis, utcZone);
      if (target === BsonType.bool) return true;
      if (target === BsonType.date) return value;
      if (target === BsonType.long) return Long.fromNumber(millis);
      if (target === BsonType.decimal) return Decimal128.fromString(String(millis));
      return undefined;
    }
    case BsonType.timestamp:
      if (target === BsonType.date) return new Date((value as { t: number }).t * 1000);
      return target === BsonType.bool ? true : undefined;
    default:
      // Every other input type converts to bool (always true) and nothing else.
      return target === BsonType.bool ? true : undefined;
  }
}

/** performConversion: `value` is not nullish; `target` is a BSON type number (0 = missing). */
export function convertValue(value: BsonValue, target: number): BsonValue {
  const input = bsonTypeOf(value);
  let result: BsonValue | undefined;
  // Nothing converts to missing, minKey or maxKey.
  if (target !== 0 && target !== BsonType.minKey && target !== BsonType.maxKey) {
    const tag = (value as { _bsontype?: string } | null)?._bsontype;
    const numeric = tag === 'Int32' || tag === 'Long' || tag === 'Double' || tag === 'Decimal128';
    result = numeric
      ? fromNumber(value as Int32 | Long | Double | Decimal128, target)
      : fromOther(value, input, target);
  }
  if (result === undefined) throw unsupported(input, target);
  return result;
}
