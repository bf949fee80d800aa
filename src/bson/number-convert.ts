/**
 * Conversions between BSON number types with MongoDB's rules. Doubles become decimals the
 * way the server's Decimal128(double) constructor does (15 significant digits by default,
 * so 0.1 becomes 0.100000000000000), decimals become doubles by correct rounding, and the
 * integer conversions report failure as `undefined` so that callers raise their own
 * error ($convert's ConversionFailure, $round's 51080, ...).
 */
import type { Decimal128 } from 'bson';
import { assert } from '../util/assert.js';
import type { BsonNumber } from './compare-numbers.js';
import { decimalFromParts, decimalToParts } from './decimal-parts.js';
import {
  decimalQuantize,
  decimalZero,
  finishDecimal,
  infinity,
  nanDecimal,
  pow10,
  roundCoefficient,
} from './decimal-round.js';
import type { RoundingMode } from './decimal-round.js';

const int32Min = -(2 ** 31);
const int32Max = 2 ** 31 - 1;
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;
const twoPow63 = 2 ** 63;

/** Decimal128(int64): the integer with exponent 0 (bid128_from_int64). */
export function int64ToDecimal(value: bigint): Decimal128 {
  const negative = value < 0n;
  return decimalFromParts({
    kind: 'finite',
    negative,
    coefficient: negative ? -value : value,
    exponent: 0,
  });
}

/** MongoDB's Value::coerceToDecimal: integers exactly, doubles rounded to 15 digits. */
export function toDecimal(value: BsonNumber): Decimal128 {
  switch (value._bsontype) {
    case 'Decimal128':
      return value;
    case 'Int32':
      return int64ToDecimal(BigInt(value.value));
    case 'Long':
      return int64ToDecimal(value.toBigInt());
    case 'Double':
      return doubleToDecimal(value.value);
  }
}

interface DoubleBits {
  negative: boolean;
  /** Odd (or zero) integer significand. */
  significand: number;
  /** Power of two of the significand's last bit. */
  exponent: number;
  /** floor(log2(|value|)), what frexp reports minus one. */
  binaryExponent: number;
}

const bitsView = new DataView(new ArrayBuffer(8));

function doubleBits(value: number): DoubleBits {
  assert(Number.isFinite(value) && value !== 0);
  bitsView.setFloat64(0, value);
  const high = bitsView.getUint32(0);
  const low = bitsView.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  let significand = (high & 0xfffff) * 2 ** 32 + low;
  let exponent: number;
  let binaryExponent: number;
  if (biased === 0) {
    exponent = -1074;
    const bitLength =
      (high & 0xfffff) !== 0 ? 64 - Math.clz32(high & 0xfffff) : 32 - Math.clz32(low);
    binaryExponent = exponent + bitLength - 1;
  } else {
    significand += 2 ** 52;
    exponent = biased - 1075;
    binaryExponent = biased - 1023;
  }
  while (significand % 2 === 0) {
    significand /= 2;
    exponent += 1;
  }
  return { negative: value < 0, significand, exponent, binaryExponent };
}

/**
 * Decimal128(double). With 34 digits this is binary64_to_bid128: the exact binary value,
 * rounded to 34 digits when it has more. With 15 digits (the server's default, used by
 * every mixed double/decimal operation and by $convert) that result is then quantized to
 * exactly 15 significant digits, retrying one exponent up when rounding carries.
 */
export function doubleToDecimal(
  value: number,
  precision: 15 | 34 = 15,
  mode: RoundingMode = 'halfEven',
): Decimal128 {
  if (Number.isNaN(value)) return nanDecimal;
  if (!Number.isFinite(value)) return infinity(value < 0);
  if (value === 0) return decimalZero(Object.is(value, -0), 0);
  const bits = doubleBits(value);
  const significand = BigInt(bits.significand);
  const converted =
    bits.exponent >= 0
      ? finishDecimal(bits.negative, significand << BigInt(bits.exponent), 0, false, mode)
      : finishDecimal(
          bits.negative,
          significand * 5n ** BigInt(-bits.exponent),
          bits.exponent,
          false,
          mode,
        );
  if (precision === 34) return converted;
  // floor(base2Exp × log10(2)), computed as the server does with C++ integer division.
  let base10Exponent = Math.trunc((bits.binaryExponent * 30103) / 100000);
  if (bits.binaryExponent < 0) base10Exponent -= 1;
  let result = decimalQuantize(converted, base10Exponent - 14, mode);
  const parts = decimalToParts(result);
  assert(parts.kind === 'finite');
  if (parts.coefficient > 999999999999999n)
    result = decimalQuantize(converted, base10Exponent - 13, mode);
  return result;
}

export interface DoubleConversion {
  value: number;
  inexact: boolean;
  /** The value was finite but beyond the double range. */
  overflow: boolean;
  /** The value was nonzero, below the normal range and not exact. */
  underflow: boolean;
}

function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}

/** num / den (both positive) rounded to the nearest double, ties to even. */
function ratioToDouble(num: bigint, den: bigint): DoubleConversion {
  let exponent = bitLength(num) - bitLength(den);
  if (exponent >= 0 ? num < den << BigInt(exponent) : num << BigInt(-exponent) < den) exponent -= 1;
  // 2^exponent <= num/den < 2^(exponent + 1); keep 53 bits, fewer below the normal range.
  let lastBit = Math.max(exponent - 52, -1074);
  const scaledNum = lastBit < 0 ? num << BigInt(-lastBit) : num;
  const scaledDen = lastBit > 0 ? den << BigInt(lastBit) : den;
  let significand = scaledNum / scaledDen;
  const remainder = scaledNum % scaledDen;
  const twice = remainder * 2n;
  if (twice > scaledDen || (twice === scaledDen && (significand & 1n) === 1n)) significand += 1n;
  if (significand === 2n ** 53n) {
    significand = 2n ** 52n;
    lastBit += 1;
  }
  const inexact = remainder !== 0n;
  const underflow = inexact && exponent < -1022;
  if (lastBit + 52 > 1023)
    return { value: Infinity, inexact: true, overflow: true, underflow: false };
  return { value: Number(significand) * 2 ** lastBit, inexact, overflow: false, underflow };
}

/** bid128_to_binary64 with round-half-even, plus the IEEE flags $convert inspects. */
export function decimalToDoubleWithFlags(value: Decimal128): DoubleConversion {
  const parts = decimalToParts(value);
  if (parts.kind === 'nan')
    return { value: NaN, inexact: false, overflow: false, underflow: false };
  if (parts.kind === 'infinity') {
    return {
      value: parts.negative ? -Infinity : Infinity,
      inexact: false,
      overflow: false,
      underflow: false,
    };
  }
  const sign = parts.negative ? -1 : 1;
  if (parts.coefficient === 0n)
    return { value: sign * 0, inexact: false, overflow: false, underflow: false };
  const adjusted = parts.exponent + parts.coefficient.toString().length - 1;
  let result: DoubleConversion;
  if (adjusted > 309) {
    result = { value: Infinity, inexact: true, overflow: true, underflow: false };
  } else if (adjusted < -326) {
    result = { value: 0, inexact: true, overflow: false, underflow: true };
  } else if (parts.exponent >= 0) {
    result = ratioToDouble(parts.coefficient * pow10(parts.exponent), 1n);
  } else {
    result = ratioToDouble(parts.coefficient, pow10(-parts.exponent));
  }
  return { ...result, value: sign * result.value };
}

/** The nearest double (ties to even); out-of-range values become ±Infinity or ±0. */
export function decimalToDouble(value: Decimal128): number {
  const parts = decimalToParts(value);
  if (parts.kind === 'finite' && parts.coefficient < 2n ** 53n && Math.abs(parts.exponent) <= 22) {
    // Both operands are exact doubles, so one IEEE operation rounds correctly.
    const coefficient = Number(parts.coefficient) * (parts.negative ? -1 : 1);
    return parts.exponent >= 0
      ? coefficient * 10 ** parts.exponent
      : coefficient / 10 ** -parts.exponent;
  }
  return decimalToDoubleWithFlags(value).value;
}

/**
 * The decimal rounded to an integer by `mode` (MongoDB uses towardZero for $toLong and
 * $convert, halfEven for date arithmetic), or undefined for NaN, infinity and results
 * outside Int64: the cases where bid128_to_int64_* raises the invalid flag.
 */
export function decimalToInt64(value: Decimal128, mode: RoundingMode): bigint | undefined {
  const parts = decimalToParts(value);
  if (parts.kind !== 'finite') return undefined;
  let magnitude: bigint;
  if (parts.coefficient === 0n) {
    magnitude = 0n;
  } else if (parts.exponent >= 0) {
    if (parts.exponent > 19) return undefined;
    magnitude = parts.coefficient * pow10(parts.exponent);
  } else {
    magnitude = roundCoefficient(parts.coefficient, -parts.exponent, parts.negative, mode);
  }
  const result = parts.negative ? -magnitude : magnitude;
  return result >= int64Min && result <= int64Max ? result : undefined;
}

/** As decimalToInt64, for the Int32 range. */
export function decimalToInt32(value: Decimal128, mode: RoundingMode): number | undefined {
  const result = decimalToInt64(value, mode);
  if (result === undefined || result < BigInt(int32Min) || result > BigInt(int32Max))
    return undefined;
  return Number(result);
}

/**
 * $convert from double to long: truncation, defined for -2^63 <= value < 2^63 (the
 * server compares against 2^63 as a double, so 2^63 itself overflows).
 */
export function doubleToInt64(value: number): bigint | undefined {
  if (!(value >= -twoPow63 && value < twoPow63)) return undefined;
  return BigInt(Math.trunc(value));
}

/**
 * $convert from double to int: the range check is on the untruncated double, so
 * 2147483647.5 overflows although its truncation would fit (performCastDoubleToInt).
 */
export function doubleToInt32(value: number): number | undefined {
  if (!(value >= int32Min && value <= int32Max)) return undefined;
  return Math.trunc(value) | 0;
}

export function int64ToInt32(value: bigint): number | undefined {
  return value >= BigInt(int32Min) && value <= BigInt(int32Max) ? Number(value) : undefined;
}
