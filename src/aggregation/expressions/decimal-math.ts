/**
 * The Decimal128 operations expressions need that are exact by construction on the
 * sign/coefficient/exponent form: conversions into Decimal128, IEEE quantize (the server's
 * $round/$trunc/$ceil/$floor), classification. Full arithmetic lives in src/bson/decimal.ts.
 */
import { Decimal128 } from 'bson';
import type { BsonNumber } from '../../bson/compare-numbers.js';
import {
  decimalCoefficientMax,
  decimalExponentMax,
  decimalExponentMin,
  decimalFromParts,
  decimalToParts,
} from '../../bson/decimal-parts.js';
import { doubleToDecimal, doubleToTriple, roundToDigits } from './number-format.js';
import type { DecimalTriple } from './number-format.js';
import { decimalRoundHalfEven, int64Max, int64Min } from './values.js';

export type RoundingMode = 'halfEven' | 'towardZero' | 'floor' | 'ceiling';

const nan = Decimal128.fromString('NaN');

/** Value::coerceToDecimal: exact for integers; doubles with 15 (default) or 34 digits. */
export function toDecimal(value: BsonNumber, doublePrecision: 15 | 34 = 15): Decimal128 {
  switch (value._bsontype) {
    case 'Decimal128':
      return value;
    case 'Double':
      return doubleToDecimal(value.value, doublePrecision);
    case 'Int32':
      return Decimal128.fromString(String(value.value));
    case 'Long':
      return Decimal128.fromString(value.toString());
  }
}

export function decimalFromBigInt(value: bigint): Decimal128 {
  return Decimal128.fromString(value.toString());
}

export function decimalIsNaN(value: Decimal128): boolean {
  return decimalToParts(value).kind === 'nan';
}

export function decimalIsInfinite(value: Decimal128): boolean {
  return decimalToParts(value).kind === 'infinity';
}

export function decimalIsZero(value: Decimal128): boolean {
  const parts = decimalToParts(value);
  return parts.kind === 'finite' && parts.coefficient === 0n;
}

/** Sign of a decimal: -1, 0 or 1 (NaN is 0 here; callers test NaN first). */
export function decimalSign(value: Decimal128): -1 | 0 | 1 {
  const parts = decimalToParts(value);
  if (parts.kind === 'nan') return 0;
  if (parts.kind === 'infinity') return parts.negative ? -1 : 1;
  if (parts.coefficient === 0n) return 0;
  return parts.negative ? -1 : 1;
}

/** Nearest double (JS string-to-number conversion is correctly rounded). */
export function decimalToDouble(value: Decimal128): number {
  return Number(value.toString());
}

/**
 * IEEE 754 quantize: the value with exponent `exponent`, rounded by `mode`. NaN, infinities
 * and results needing more than 34 digits are invalid and give NaN, as Intel's library does.
 */
export function decimalQuantize(
  value: Decimal128,
  exponent: number,
  mode: RoundingMode,
): Decimal128 {
  const parts = decimalToParts(value);
  if (parts.kind !== 'finite') return nan;
  const result = quantizeTriple(parts, exponent, mode);
  return result === undefined ? nan : encode(result);
}

/** Quantize on a triple; undefined when the coefficient would not fit in 34 digits. */
export function quantizeTriple(
  triple: DecimalTriple,
  exponent: number,
  mode: RoundingMode,
): DecimalTriple | undefined {
  let coefficient: bigint;
  if (triple.exponent >= exponent) {
    const shift = triple.exponent - exponent;
    if (shift > 34 && triple.coefficient !== 0n) return undefined;
    coefficient = triple.coefficient * 10n ** BigInt(shift);
  } else {
    coefficient = roundDivide(triple, exponent - triple.exponent, mode);
  }
  if (coefficient > decimalCoefficientMax) return undefined;
  return { negative: triple.negative, coefficient, exponent };
}

function roundDivide(triple: DecimalTriple, places: number, mode: RoundingMode): bigint {
  if (places > 40) return roundAway(0n, triple.coefficient !== 0n, false, triple.negative, mode);
  const divisor = 10n ** BigInt(places);
  const quotient = triple.coefficient / divisor;
  const remainder = triple.coefficient % divisor;
  if (remainder === 0n) return quotient;
  const twice = remainder * 2n;
  const aboveHalf = twice > divisor;
  const isHalf = twice === divisor;
  if (mode === 'halfEven') {
    return aboveHalf || (isHalf && quotient % 2n === 1n) ? quotient + 1n : quotient;
  }
  return roundAway(quotient, true, isHalf, triple.negative, mode);
}

/** Directed rounding of a magnitude with a nonzero discarded part. */
function roundAway(
  quotient: bigint,
  inexact: boolean,
  _isHalf: boolean,
  negative: boolean,
  mode: RoundingMode,
): bigint {
  if (!inexact) return quotient;
  switch (mode) {
    case 'towardZero':
    case 'halfEven':
      return quotient;
    case 'floor':
      return negative ? quotient + 1n : quotient;
    case 'ceiling':
      return negative ? quotient : quotient + 1n;
  }
}

function encode(triple: DecimalTriple): Decimal128 {
  let { coefficient, exponent } = triple;
  // Clamp exponents the encoding cannot hold (only reachable for zero coefficients here).
  if (exponent > decimalExponentMax) {
    if (coefficient !== 0n) return nan;
    exponent = decimalExponentMax;
  }
  if (exponent < decimalExponentMin) {
    if (coefficient !== 0n) return nan;
    exponent = decimalExponentMin;
    coefficient = 0n;
  }
  return decimalFromParts({ kind: 'finite', negative: triple.negative, coefficient, exponent });
}

/**
 * $round/$trunc on a double: Decimal128(value, 34 digits) quantized to 10^-places, then back
 * to double; NaN when the quantized coefficient would exceed 34 digits.
 */
export function roundDoubleAtPlaces(value: number, places: number, mode: RoundingMode): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const triple = roundToDigits(doubleToTriple(value), 34);
  const result = quantizeTriple(triple, -places, mode);
  if (result === undefined) return NaN;
  const text = `${result.negative ? '-' : ''}${result.coefficient}e${result.exponent}`;
  return Number(text);
}

/** Decimal128::toLong (ties to even); invalid conversions give int64 min as Intel's does. */
export function decimalToLongOrMin(value: Decimal128): bigint {
  const rounded = decimalRoundHalfEven(value);
  if (rounded === undefined || rounded < int64Min || rounded > int64Max) return int64Min;
  return rounded;
}
