/**
 * Decimal128 square root, exponential, logarithms and power ($sqrt, $exp, $ln, $log10,
 * $log, $pow on decimals). The server calls the Intel library's bid128_sqrt, _exp, _log,
 * _log10 and _pow; here the square root is exact (integer square root, one rounding) and
 * the others are computed in 110-digit fixed point and rounded once to 34 digits. That
 * is not a proof of correct rounding in every case (Intel's transcendental functions make
 * no such promise either), but the error is some 70 digits below the 34th.
 */
import type { Decimal128 } from 'bson';
import type { DecimalParts } from './decimal-parts.js';
import {
  decimalDigitsMax,
  decimalExponentMin,
  decimalFromParts,
  decimalToParts,
} from './decimal-parts.js';
import { decimalAdd } from './decimal.js';
import {
  decimalZero,
  digitCount,
  finishDecimal,
  infinity,
  nanDecimal,
  pow10,
} from './decimal-round.js';

type Finite = Extract<DecimalParts, { kind: 'finite' }>;

const workingDigits = 110;
const unit = pow10(workingDigits);
const one = decimalFromParts({ kind: 'finite', negative: false, coefficient: 1n, exponent: 0 });

function isqrt(value: bigint): bigint {
  if (value < 2n) return value;
  let x = 1n << BigInt(Math.ceil(value.toString(2).length / 2));
  for (;;) {
    const next = (x + value / x) >> 1n;
    if (next >= x) return x;
    x = next;
  }
}

/**
 * IEEE squareRoot: exact results take the exponent closest to floor(q / 2), so
 * sqrt(0.25) = 0.5 and sqrt(100) = 10; sqrt(-0) = -0; other negatives are NaN.
 */
export function decimalSqrt(value: Decimal128): Decimal128 {
  const x = decimalToParts(value);
  if (x.kind === 'nan') return nanDecimal;
  if (x.kind === 'infinity') return x.negative ? nanDecimal : infinity(false);
  const ideal = Math.floor(x.exponent / 2);
  if (x.coefficient === 0n) return decimalZero(x.negative, ideal);
  if (x.negative) return nanDecimal;
  let coefficient = x.coefficient;
  let exponent = x.exponent;
  if (exponent - 2 * ideal === 1) {
    coefficient *= 10n;
    exponent -= 1;
  }
  // Scale by an even power of ten so the root has at least 35 digits: one to round with.
  const pairs = Math.max(0, Math.ceil((2 * decimalDigitsMax + 1 - digitCount(coefficient)) / 2));
  const scaled = coefficient * pow10(2 * pairs);
  let root = isqrt(scaled);
  let rootExponent = exponent / 2 - pairs;
  if (root * root !== scaled) return finishDecimal(false, root, rootExponent, true);
  while (rootExponent < ideal && root % 10n === 0n) {
    root /= 10n;
    rootExponent += 1;
  }
  return finishDecimal(false, root, rootExponent);
}

/** atanh(t) for a fixed-point t (|t| well below 1) by its odd power series. */
function atanhFixed(t: bigint): bigint {
  const square = (t * t) / unit;
  let term = t;
  let sum = t;
  for (let k = 3n; ; k += 2n) {
    term = (term * square) / unit;
    const next = term / k;
    if (next === 0n) return sum;
    sum += next;
  }
}

let constants: { ln2: bigint; ln10: bigint } | undefined;

/** ln 2 = 2 atanh(1/3) and ln 10 = 3 ln 2 + 2 atanh(1/9), computed once. */
function logConstants(): { ln2: bigint; ln10: bigint } {
  if (constants === undefined) {
    const ln2 = 2n * atanhFixed(unit / 3n);
    constants = { ln2, ln10: 3n * ln2 + 2n * atanhFixed(unit / 9n) };
  }
  return constants;
}

/** ln(c × 10^q) in fixed point, for c > 0. */
function lnFixed(coefficient: bigint, exponent: number): bigint {
  const { ln2, ln10 } = logConstants();
  const digits = digitCount(coefficient);
  // m = c / 10^(digits-1) lies in [1, 10); halve it into [0.75, 1.5) for fast convergence.
  let m = coefficient * pow10(workingDigits - digits + 1);
  let halvings = 0n;
  const limit = (unit * 3n) / 2n;
  while (m >= limit) {
    m /= 2n;
    halvings += 1n;
  }
  const t = ((m - unit) * unit) / (m + unit);
  return 2n * atanhFixed(t) + halvings * ln2 + BigInt(exponent + digits - 1) * ln10;
}

/** A fixed-point approximation of an irrational value, rounded once to 34 digits. */
function fromFixed(value: bigint, extraExponent = 0): Decimal128 {
  const negative = value < 0n;
  return finishDecimal(negative, negative ? -value : value, extraExponent - workingDigits, true);
}

function isExactOne(x: Finite): boolean {
  return (
    !x.negative &&
    x.exponent <= 0 &&
    -x.exponent <= decimalDigitsMax &&
    x.coefficient === pow10(-x.exponent)
  );
}

/** The power of ten x is, if it is one (1, 10, 0.001, 1.000E+5). */
function powerOfTen(x: Finite): number | undefined {
  if (x.negative || x.coefficient === 0n) return undefined;
  const digits = x.coefficient.toString();
  if (!/^10*$/.test(digits)) return undefined;
  return x.exponent + digits.length - 1;
}

/** Natural logarithm: NaN for negatives, -Infinity for zeros, exactly 0 for 1. */
export function decimalLn(value: Decimal128): Decimal128 {
  const x = decimalToParts(value);
  if (x.kind === 'nan') return nanDecimal;
  if (x.kind === 'infinity') return x.negative ? nanDecimal : infinity(false);
  if (x.coefficient === 0n) return infinity(true);
  if (x.negative) return nanDecimal;
  if (isExactOne(x)) return decimalZero(false, 0);
  return fromFixed(lnFixed(x.coefficient, x.exponent));
}

/** Base-10 logarithm; exact integers for exact powers of ten. */
export function decimalLog10(value: Decimal128): Decimal128 {
  const x = decimalToParts(value);
  if (x.kind === 'nan') return nanDecimal;
  if (x.kind === 'infinity') return x.negative ? nanDecimal : infinity(false);
  if (x.coefficient === 0n) return infinity(true);
  if (x.negative) return nanDecimal;
  const power = powerOfTen(x);
  if (power !== undefined) {
    const negative = power < 0;
    return decimalFromParts({
      kind: 'finite',
      negative,
      coefficient: BigInt(Math.abs(power)),
      exponent: 0,
    });
  }
  const { ln10 } = logConstants();
  return fromFixed((lnFixed(x.coefficient, x.exponent) * unit) / ln10);
}

function roundedQuotient(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const twiceRemainder = 2n * (numerator % denominator);
  if (twiceRemainder >= denominator) return quotient + 1n;
  if (-twiceRemainder >= denominator) return quotient - 1n;
  return quotient;
}

/** e^x for a fixed-point x with |x| < 10^6: x = n ln 10 + r, e^r by halving and squaring. */
function expOfFixed(x: bigint): Decimal128 {
  const { ln10 } = logConstants();
  const tens = roundedQuotient(x, ln10);
  const halvings = 20;
  const reduced = (x - tens * ln10) / (1n << BigInt(halvings));
  let sum = unit;
  let term = unit;
  for (let i = 1n; ; i += 1n) {
    term = (term * reduced) / (unit * i);
    if (term === 0n) break;
    sum += term;
  }
  for (let i = 0; i < halvings; i++) sum = (sum * sum) / unit;
  return fromFixed(sum, Number(tens));
}

const expLimit = 10n ** 6n * unit;

/** e^x: exactly 1 for zeros, +0 for -Infinity, overflow to +Infinity. */
export function decimalExp(value: Decimal128): Decimal128 {
  const x = decimalToParts(value);
  if (x.kind === 'nan') return nanDecimal;
  if (x.kind === 'infinity') return x.negative ? decimalZero(false, 0) : infinity(false);
  if (x.coefficient === 0n) return one;
  const adjusted = x.exponent + digitCount(x.coefficient) - 1;
  if (adjusted < -45) {
    // |x| < 1E-45: e^x is within 1E-45 of 1, which rounds to 1 with 34 digits either side.
    return decimalFromParts({
      kind: 'finite',
      negative: false,
      coefficient: pow10(33),
      exponent: -33,
    });
  }
  if (adjusted > 5) return x.negative ? decimalZero(false, decimalExponentMin) : infinity(false);
  const shift = x.exponent + workingDigits;
  const magnitude = shift >= 0 ? x.coefficient * pow10(shift) : x.coefficient / pow10(-shift);
  return expOfFixed(x.negative ? -magnitude : magnitude);
}

function isInteger(x: Finite): boolean {
  if (x.exponent >= 0 || x.coefficient === 0n) return true;
  return -x.exponent <= decimalDigitsMax && x.coefficient % pow10(-x.exponent) === 0n;
}

function isOddInteger(x: Finite): boolean {
  if (!isInteger(x) || x.exponent > 0) return false;
  return (x.coefficient / pow10(-x.exponent)) % 2n === 1n;
}

/** -1, 0 or 1 as |x| is below, at or above 1. */
function compareMagnitudeWithOne(x: DecimalParts): number {
  if (x.kind === 'infinity') return 1;
  if (x.kind !== 'finite' || x.coefficient === 0n) return -1;
  const digits = digitCount(x.coefficient);
  const adjusted = x.exponent + digits - 1;
  if (adjusted !== 0) return Math.sign(adjusted);
  return x.coefficient === pow10(digits - 1) ? 0 : 1;
}

/**
 * MongoDB's Decimal128::power: bid128_pow (or exp10/exp2 for bases 10 and 2, which agree)
 * followed by adding 0E-6176, so finite results come back with 34 digits: $pow of
 * NumberDecimal(2) and 3 is 8.000000000000000000000000000000000.
 */
export function decimalPow(base: Decimal128, exponent: Decimal128): Decimal128 {
  return decimalAdd(
    ieeePow(decimalToParts(base), decimalToParts(exponent)),
    decimalZero(false, decimalExponentMin),
  );
}

function ieeePow(x: DecimalParts, y: DecimalParts): Decimal128 {
  if (y.kind === 'finite' && y.coefficient === 0n) return one;
  if (x.kind === 'finite' && isExactOne(x)) return one;
  if (x.kind === 'nan' || y.kind === 'nan') return nanDecimal;
  if (y.kind === 'infinity') {
    const magnitude = compareMagnitudeWithOne(x);
    if (magnitude === 0) return one;
    return magnitude < 0 === y.negative ? infinity(false) : decimalZero(false, 0);
  }
  const oddInteger = isOddInteger(y);
  if (x.kind === 'infinity') {
    if (!x.negative) return y.negative ? decimalZero(false, 0) : infinity(false);
    return y.negative ? decimalZero(oddInteger, 0) : infinity(oddInteger);
  }
  if (x.coefficient === 0n) {
    const negative = x.negative && oddInteger;
    return y.negative ? infinity(negative) : decimalZero(negative, 0);
  }
  if (x.negative && !isInteger(y)) return nanDecimal;
  return finitePower(x, y, x.negative && oddInteger);
}

function finitePower(x: Finite, y: Finite, negative: boolean): Decimal128 {
  if (isInteger(y) && y.exponent <= 4) {
    const power =
      y.exponent >= 0 ? y.coefficient * pow10(y.exponent) : y.coefficient / pow10(-y.exponent);
    if (power * BigInt(digitCount(x.coefficient)) <= 400n) {
      // Small integral powers are computed exactly and rounded once.
      const coefficient = x.coefficient ** power;
      const scale = x.exponent * Number(power);
      if (!y.negative) return finishDecimal(negative, coefficient, scale);
      return finishRatio(negative, 1n, coefficient, -scale);
    }
  }
  const logarithm = lnFixed(x.coefficient, x.exponent);
  const yAdjusted = y.exponent + digitCount(y.coefficient) - 1;
  let product: bigint;
  if (yAdjusted > 40) {
    product = logarithm === 0n ? 0n : expLimit * BigInt(Math.sign(Number(logarithm)));
  } else {
    product =
      y.exponent >= 0
        ? logarithm * y.coefficient * pow10(y.exponent)
        : (logarithm * y.coefficient) / pow10(-y.exponent);
  }
  if (y.negative) product = -product;
  if (product >= expLimit) return infinity(negative);
  if (product <= -expLimit) return decimalZero(negative, decimalExponentMin);
  const result = expOfFixed(product);
  return negative ? decimalFromParts(flipSign(decimalToParts(result))) : result;
}

function flipSign(parts: DecimalParts): DecimalParts {
  return parts.kind === 'nan' ? parts : { ...parts, negative: !parts.negative };
}

/** numerator / denominator × 10^exponent rounded to 34 digits. */
function finishRatio(
  negative: boolean,
  numerator: bigint,
  denominator: bigint,
  exponent: number,
): Decimal128 {
  const shift = Math.max(0, decimalDigitsMax + 1 + digitCount(denominator) - digitCount(numerator));
  const scaled = numerator * pow10(shift);
  const quotient = scaled / denominator;
  return finishDecimal(negative, quotient, exponent - shift, scaled % denominator !== 0n);
}
