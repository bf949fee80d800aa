/**
 * The rounding core of Decimal128 arithmetic: every operation computes an exact
 * sign/coefficient/exponent (plus a sticky flag when digits were discarded on the way)
 * and hands it to `finishDecimal`, which applies IEEE 754-2008's decimal128 rules in
 * one place: 34 significant digits, the subnormal range, clamping of large exponents and
 * overflow to infinity. Keeping a single rounding step is what makes results match the
 * Intel BID library MongoDB links (a second rounding could round a tie the other way).
 */
import type { Decimal128 } from 'bson';
import { assert } from '../util/assert.js';
import {
  decimalCoefficientMax,
  decimalDigitsMax,
  decimalExponentMax,
  decimalExponentMin,
  decimalFromParts,
  decimalToParts,
} from './decimal-parts.js';

/** IEEE 754 rounding directions, named after MongoDB's Decimal128::RoundingMode. */
export type RoundingMode =
  'halfEven' | 'halfAway' | 'towardZero' | 'towardNegative' | 'towardPositive';

const powersOfTen: bigint[] = [1n];

/** 10^n as a bigint; cached because coefficient alignment asks for the same few powers. */
export function pow10(n: number): bigint {
  assert(Number.isInteger(n) && n >= 0, 'pow10 needs a natural exponent');
  if (n < 128) {
    let cached = powersOfTen[n];
    if (cached !== undefined) return cached;
    for (let i = powersOfTen.length; i <= n; i++)
      powersOfTen[i] = (powersOfTen[i - 1] as bigint) * 10n;
    cached = powersOfTen[n];
    assert(cached !== undefined);
    return cached;
  }
  return 10n ** BigInt(n);
}

/** Number of decimal digits of a non-negative integer (0 has one digit). */
export function digitCount(value: bigint): number {
  assert(value >= 0n, 'digitCount of a negative number');
  if (value < 10n) return 1;
  if (value < 0x20000000000000n) return String(Number(value)).length;
  return value.toString().length;
}

export const nanDecimal: Decimal128 = decimalFromParts({ kind: 'nan' });
export const positiveInfinity: Decimal128 = decimalFromParts({ kind: 'infinity', negative: false });
export const negativeInfinity: Decimal128 = decimalFromParts({ kind: 'infinity', negative: true });

export function infinity(negative: boolean): Decimal128 {
  return negative ? negativeInfinity : positiveInfinity;
}

/**
 * Divides `coefficient` by 10^drop, rounding the quotient by `mode`. `sticky` says that
 * nonzero digits were already discarded below the ones given, so an exact half is really
 * a little more than half.
 */
export function roundCoefficient(
  coefficient: bigint,
  drop: number,
  negative: boolean,
  mode: RoundingMode,
  sticky = false,
): bigint {
  assert(drop >= 0 && coefficient >= 0n);
  if (drop === 0) {
    // Callers keep at least one guard digit whenever they pass a sticky flag.
    assert(!sticky, 'sticky rounding needs a guard digit');
    return coefficient;
  }
  let quotient: bigint;
  let comparedToHalf: -1 | 0 | 1;
  let inexact: boolean;
  if (drop > digitCount(coefficient)) {
    // Everything is discarded and what is discarded is below half a unit.
    quotient = 0n;
    inexact = coefficient !== 0n || sticky;
    comparedToHalf = -1;
  } else {
    const divisor = pow10(drop);
    quotient = coefficient / divisor;
    const remainder = coefficient % divisor;
    inexact = remainder !== 0n || sticky;
    const twice = remainder * 2n;
    comparedToHalf = twice < divisor ? -1 : twice > divisor ? 1 : sticky ? 1 : 0;
  }
  if (!inexact) return quotient;
  return roundsAway(mode, negative, comparedToHalf, (quotient & 1n) === 1n)
    ? quotient + 1n
    : quotient;
}

function roundsAway(
  mode: RoundingMode,
  negative: boolean,
  comparedToHalf: -1 | 0 | 1,
  odd: boolean,
): boolean {
  switch (mode) {
    case 'halfEven':
      return comparedToHalf > 0 || (comparedToHalf === 0 && odd);
    case 'halfAway':
      return comparedToHalf >= 0;
    case 'towardZero':
      return false;
    case 'towardNegative':
      return negative;
    case 'towardPositive':
      return !negative;
  }
}

/**
 * The Decimal128 nearest to (-1)^negative × coefficient × 10^exponent (plus a sticky
 * remainder), with IEEE's range rules: results below the subnormal threshold round at
 * the minimum exponent, large exponents are clamped by padding the coefficient with
 * zeros when it fits, and anything larger overflows to infinity.
 */
export function finishDecimal(
  negative: boolean,
  coefficient: bigint,
  exponent: number,
  sticky = false,
  mode: RoundingMode = 'halfEven',
): Decimal128 {
  assert(coefficient >= 0n);
  const digits = digitCount(coefficient);
  const target = Math.max(exponent + Math.max(0, digits - decimalDigitsMax), decimalExponentMin);
  // A sticky remainder is only meaningful when some digits are rounded away.
  assert(!sticky || target > exponent, 'sticky result without a rounding position');
  if (target > exponent) {
    coefficient = roundCoefficient(coefficient, target - exponent, negative, mode, sticky);
    exponent = target;
    if (coefficient === pow10(decimalDigitsMax)) {
      coefficient = pow10(decimalDigitsMax - 1);
      exponent += 1;
    }
  }
  if (exponent > decimalExponentMax) {
    if (coefficient === 0n) {
      exponent = decimalExponentMax;
    } else {
      const pad = exponent - decimalExponentMax;
      if (digitCount(coefficient) + pad > decimalDigitsMax) return overflow(negative, mode);
      coefficient *= pow10(pad);
      exponent = decimalExponentMax;
    }
  }
  return decimalFromParts({ kind: 'finite', negative, coefficient, exponent });
}

/** Overflow goes to infinity, except in the directions that round toward zero. */
function overflow(negative: boolean, mode: RoundingMode): Decimal128 {
  const toLargest =
    mode === 'towardZero' ||
    (mode === 'towardNegative' && !negative) ||
    (mode === 'towardPositive' && negative);
  if (!toLargest) return infinity(negative);
  return decimalFromParts({
    kind: 'finite',
    negative,
    coefficient: pow10(decimalDigitsMax) - 1n,
    exponent: decimalExponentMax,
  });
}

/** Zero with an exponent clamped into range (zeros keep their exponent, as IEEE says). */
export function decimalZero(negative: boolean, exponent: number): Decimal128 {
  const clamped = Math.min(Math.max(exponent, decimalExponentMin), decimalExponentMax);
  return decimalFromParts({ kind: 'finite', negative, coefficient: 0n, exponent: clamped });
}

/**
 * IEEE 754 quantize: `value` rounded by `mode` to a multiple of 10^exponent and given
 * exactly that exponent. NaN when the result would need more than 34 digits or the value
 * is not finite (the reference quantum is always finite here).
 */
export function decimalQuantize(
  value: Decimal128,
  exponent: number,
  mode: RoundingMode,
): Decimal128 {
  assert(exponent >= decimalExponentMin && exponent <= decimalExponentMax, 'quantum out of range');
  const parts = decimalToParts(value);
  if (parts.kind !== 'finite') return nanDecimal;
  const { negative } = parts;
  let coefficient = parts.coefficient;
  if (parts.exponent >= exponent) {
    const pad = parts.exponent - exponent;
    if (coefficient !== 0n) {
      if (digitCount(coefficient) + pad > decimalDigitsMax) return nanDecimal;
      coefficient *= pow10(pad);
    }
  } else {
    coefficient = roundCoefficient(coefficient, exponent - parts.exponent, negative, mode);
    if (coefficient > decimalCoefficientMax) return nanDecimal;
  }
  return decimalFromParts({ kind: 'finite', negative, coefficient, exponent });
}
