/**
 * Decimal128 arithmetic with IEEE 754-2008 semantics, as MongoDB gets them from the Intel
 * BID library: exact intermediate results on bigints, one rounding to 34 digits (half to
 * even), IEEE's preferred exponents (1.0 + 2.00 = 3.00, 1.00 / 2.000 = 0.5), NaN and
 * infinity propagation, and the subnormal and overflow rules of `finishDecimal`.
 */
import { Decimal128 } from 'bson';
import { assert } from '../util/assert.js';
import type { DecimalParts } from './decimal-parts.js';
import {
  decimalDigitsMax,
  decimalExponentBias,
  decimalExponentMin,
  decimalFromParts,
  decimalToParts,
} from './decimal-parts.js';
import {
  decimalQuantize,
  decimalZero,
  digitCount,
  finishDecimal,
  infinity,
  nanDecimal,
  pow10,
} from './decimal-round.js';
import type { RoundingMode } from './decimal-round.js';

export { toDecimal } from './number-convert.js';
export { decimalQuantize } from './decimal-round.js';
export type { RoundingMode } from './decimal-round.js';

type Finite = Extract<DecimalParts, { kind: 'finite' }>;

function leadingPosition(parts: Finite): number {
  return parts.exponent + digitCount(parts.coefficient) - 1;
}

function fromFinite(parts: Finite): Decimal128 {
  return decimalFromParts(parts);
}

export function decimalAdd(a: Decimal128, b: Decimal128): Decimal128 {
  const x = decimalToParts(a);
  const y = decimalToParts(b);
  if (x.kind === 'nan' || y.kind === 'nan') return nanDecimal;
  if (x.kind === 'infinity') {
    if (y.kind === 'infinity' && y.negative !== x.negative) return nanDecimal;
    return infinity(x.negative);
  }
  if (y.kind === 'infinity') return infinity(y.negative);
  return addFinite(x, y);
}

export function decimalSubtract(a: Decimal128, b: Decimal128): Decimal128 {
  return decimalAdd(a, decimalNegate(b));
}

function addFinite(x: Finite, y: Finite): Decimal128 {
  if (x.coefficient === 0n && y.coefficient === 0n) {
    // The sum of zeros is -0 only when both are -0 (round-half-even rules).
    return decimalZero(x.negative && y.negative, Math.min(x.exponent, y.exponent));
  }
  if (x.coefficient === 0n) return widenTowardExponent(y, x.exponent);
  if (y.coefficient === 0n) return widenTowardExponent(x, y.exponent);
  let big = x;
  let small = y;
  if (leadingPosition(y) > leadingPosition(x)) {
    big = y;
    small = x;
  }
  // Digits of `small` that lie far below the 34-digit window of the result only decide
  // the rounding direction, and a single unit at a lower position decides it the same
  // way; this keeps 1E+6000 + 1E-6000 from building a 12,000-digit bigint.
  const floorPosition = leadingPosition(big) - decimalDigitsMax - 2;
  if (leadingPosition(small) < floorPosition) {
    small = { kind: 'finite', negative: small.negative, coefficient: 1n, exponent: floorPosition };
  }
  const exponent = Math.min(big.exponent, small.exponent);
  const bigValue = big.coefficient * pow10(big.exponent - exponent);
  const smallValue = small.coefficient * pow10(small.exponent - exponent);
  const sum = (big.negative ? -bigValue : bigValue) + (small.negative ? -smallValue : smallValue);
  if (sum === 0n) return decimalZero(false, exponent);
  return finishDecimal(sum < 0n, sum < 0n ? -sum : sum, exponent);
}

/** x + 0E(exponent): exact, so the result moves toward the smaller exponent while it fits. */
function widenTowardExponent(x: Finite, exponent: number): Decimal128 {
  if (exponent >= x.exponent) return fromFinite(x);
  const shift = Math.min(x.exponent - exponent, decimalDigitsMax - digitCount(x.coefficient));
  return fromFinite({
    kind: 'finite',
    negative: x.negative,
    coefficient: x.coefficient * pow10(shift),
    exponent: x.exponent - shift,
  });
}

export function decimalMultiply(a: Decimal128, b: Decimal128): Decimal128 {
  const x = decimalToParts(a);
  const y = decimalToParts(b);
  if (x.kind === 'nan' || y.kind === 'nan') return nanDecimal;
  const negative = x.negative !== y.negative;
  if (x.kind === 'infinity' || y.kind === 'infinity') {
    const other = x.kind === 'infinity' ? y : x;
    if (other.kind === 'finite' && other.coefficient === 0n) return nanDecimal;
    return infinity(negative);
  }
  return finishDecimal(negative, x.coefficient * y.coefficient, x.exponent + y.exponent);
}

/**
 * The quotient rounded to 34 digits. Exact quotients take the exponent closest to the
 * ideal one (dividend exponent minus divisor exponent), so 2.40 / 2 = 1.20 and
 * 1000 / 10 = 100, while inexact ones always carry 34 digits.
 */
export function decimalDivide(a: Decimal128, b: Decimal128): Decimal128 {
  const x = decimalToParts(a);
  const y = decimalToParts(b);
  if (x.kind === 'nan' || y.kind === 'nan') return nanDecimal;
  const negative = x.negative !== y.negative;
  if (x.kind === 'infinity') return y.kind === 'infinity' ? nanDecimal : infinity(negative);
  // A finite number divided by infinity is a zero with the smallest exponent (Etiny).
  if (y.kind === 'infinity') return decimalZero(negative, decimalExponentMin);
  if (y.coefficient === 0n) return x.coefficient === 0n ? nanDecimal : infinity(negative);
  const ideal = x.exponent - y.exponent;
  if (x.coefficient === 0n) return decimalZero(negative, ideal);
  // Scale the dividend so the integer quotient has at least 35 digits: one guard digit
  // beyond the precision, plus the remainder as a sticky flag, rounds correctly.
  const shift = Math.max(
    0,
    decimalDigitsMax + 1 + digitCount(y.coefficient) - digitCount(x.coefficient),
  );
  const dividend = x.coefficient * pow10(shift);
  let quotient = dividend / y.coefficient;
  const remainder = dividend % y.coefficient;
  let exponent = ideal - shift;
  if (remainder !== 0n) return finishDecimal(negative, quotient, exponent, true);
  while (exponent < ideal && quotient % 10n === 0n) {
    quotient /= 10n;
    exponent += 1;
  }
  return finishDecimal(negative, quotient, exponent);
}

function powMod(base: bigint, exponent: number, modulus: bigint): bigint {
  let result = 1n % modulus;
  let square = base % modulus;
  for (let rest = exponent; rest > 0; rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}

/**
 * fmod: a - b × trunc(a / b), computed exactly; the result has the sign of `a` and the
 * smaller of the two exponents (bid128_fmod, used by MongoDB's $mod on decimals).
 */
export function decimalMod(a: Decimal128, b: Decimal128): Decimal128 {
  const x = decimalToParts(a);
  const y = decimalToParts(b);
  if (x.kind !== 'finite' || y.kind === 'nan') return nanDecimal;
  if (y.kind === 'infinity') return fromFinite(x);
  if (y.coefficient === 0n) return nanDecimal;
  const exponent = Math.min(x.exponent, y.exponent);
  let remainder: bigint;
  if (x.exponent >= y.exponent) {
    // x = cx × 10^k in units of 10^qy; reduce modulo cy without building 10^k.
    const scale = powMod(10n, x.exponent - y.exponent, y.coefficient);
    remainder = ((x.coefficient % y.coefficient) * scale) % y.coefficient;
  } else {
    const gap = y.exponent - x.exponent;
    // Beyond 34 digits of gap the divisor exceeds any coefficient: x is its own remainder.
    remainder =
      gap > decimalDigitsMax ? x.coefficient : x.coefficient % (y.coefficient * pow10(gap));
  }
  return finishDecimal(x.negative, remainder, exponent);
}

function withSignBit(value: Decimal128, negative: boolean | 'flip'): Decimal128 {
  const bytes = new Uint8Array(value.bytes);
  const top = bytes[15];
  assert(top !== undefined);
  bytes[15] = negative === 'flip' ? top ^ 0x80 : negative ? top | 0x80 : top & 0x7f;
  return new Decimal128(bytes);
}

/** The value with its sign bit cleared, as bid128_abs does (NaN payloads untouched). */
export function decimalAbs(value: Decimal128): Decimal128 {
  return withSignBit(value, false);
}

/** The value with its sign bit flipped (Decimal128::negate). */
export function decimalNegate(value: Decimal128): Decimal128 {
  return withSignBit(value, 'flip');
}

export function decimalIsZero(value: Decimal128): boolean {
  const parts = decimalToParts(value);
  return parts.kind === 'finite' && parts.coefficient === 0n;
}

export function decimalIsNaN(value: Decimal128): boolean {
  return decimalToParts(value).kind === 'nan';
}

export function decimalIsInfinite(value: Decimal128): boolean {
  return decimalToParts(value).kind === 'infinity';
}

/**
 * The value with the most digits its cohort allows (34, or fewer at the smallest
 * exponent): MongoDB's Decimal128::normalize, which adds 0E-6176.
 */
export function decimalNormalize(value: Decimal128): Decimal128 {
  const parts = decimalToParts(value);
  if (parts.kind === 'nan') return nanDecimal;
  if (parts.kind === 'infinity') return infinity(parts.negative);
  if (parts.coefficient === 0n) return decimalZero(false, decimalExponentMin);
  return widenTowardExponent(parts, decimalExponentMin);
}

/**
 * MongoDB's Decimal128::quantize: IEEE quantize, except that when the value has more
 * than 34 digits above the quantum (where IEEE answers NaN) it returns the value
 * normalized to 34 digits. $round, $trunc, $floor and $ceil on decimals go through it.
 */
export function decimalQuantizeLikeMongo(
  value: Decimal128,
  exponent: number,
  mode: RoundingMode,
): Decimal128 {
  const parts = decimalToParts(value);
  if (parts.kind === 'nan') return nanDecimal;
  if (parts.kind === 'infinity') return infinity(parts.negative);
  if (parts.coefficient !== 0n) {
    const normalizedShift = Math.min(
      parts.exponent - decimalExponentMin,
      decimalDigitsMax - digitCount(parts.coefficient),
    );
    const normalizedExponent = parts.exponent - normalizedShift;
    const referenceExponent =
      exponent - Math.min(exponent - decimalExponentMin, decimalDigitsMax - 1);
    if (
      referenceExponent + decimalExponentBias !== 0 &&
      normalizedExponent - referenceExponent > 33
    ) {
      return widenTowardExponent(parts, decimalExponentMin);
    }
  }
  return decimalQuantize(value, exponent, mode);
}

/** $round on a decimal: half to even at 10^-places (places in [-20, 100]). */
export function decimalRound(value: Decimal128, places: number): Decimal128 {
  return decimalQuantizeLikeMongo(value, -places, 'halfEven');
}

/** $trunc on a decimal: toward zero at 10^-places. */
export function decimalTrunc(value: Decimal128, places: number): Decimal128 {
  return decimalQuantizeLikeMongo(value, -places, 'towardZero');
}

/** $floor on a decimal: quantize to exponent 0 toward negative infinity. */
export function decimalFloor(value: Decimal128): Decimal128 {
  return decimalQuantizeLikeMongo(value, 0, 'towardNegative');
}

/** $ceil on a decimal: quantize to exponent 0 toward positive infinity. */
export function decimalCeil(value: Decimal128): Decimal128 {
  return decimalQuantizeLikeMongo(value, 0, 'towardPositive');
}
