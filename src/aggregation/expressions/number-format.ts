/**
 * Exact number formatting and double-to-decimal conversion as the server does them. The server
 * prints doubles with printf("%g") (6 significant digits, ties to even on the exact binary
 * value) and converts doubles to Decimal128 through Intel's binary64_to_bid128 (exact, then
 * rounded to 34 digits) optionally quantized to 15 digits. JS's toPrecision rounds ties away
 * from zero, so ties are detected on the exact value and corrected.
 */
import { Decimal128 } from 'bson';
import { doubleToExact } from '../../bson/compare-numbers.js';
import { decimalFromParts } from '../../bson/decimal-parts.js';

/** printf("%g", value) with the given precision (default 6), as glibc prints it. */
export function formatDouble(value: number, precision = 6): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const negative = value < 0;
  const { digits, exponent } = roundedDigits(Math.abs(value), precision);
  const body =
    exponent < -4 || exponent >= precision ? scientific(digits, exponent) : fixed(digits, exponent);
  return negative ? `-${body}` : body;
}

/** The first `precision` significant digits of |value| rounded half to even, and the exponent. */
function roundedDigits(value: number, precision: number): { digits: string; exponent: number } {
  const text = value.toExponential(precision - 1);
  const mark = text.indexOf('e');
  let digits = text.slice(0, mark).replace('.', '');
  const exponent = Number(text.slice(mark + 1));
  // toExponential rounds an exact tie up; %g rounds it to even. A tie means the value is
  // exactly the midpoint below the chosen digits.
  const last = Number(digits[digits.length - 1]);
  if (last % 2 === 1 && isExactMidpointBelow(value, BigInt(digits), exponent - precision + 1)) {
    // An odd last digit can be lowered without a borrow, so the digit count stays the same.
    digits = (BigInt(digits) - 1n).toString();
  }
  return { digits, exponent };
}

/** Whether value === (coefficient - 0.5) * 10^scale exactly. */
function isExactMidpointBelow(value: number, coefficient: bigint, scale: number): boolean {
  const midpointTimesTwo = coefficient * 2n - 1n;
  const approximate = Number(`${midpointTimesTwo}e${scale}`) / 2;
  if (approximate !== value) return false;
  const exact = doubleToExact(value);
  if (exact.kind !== 'finite') return false;
  // value = n / d; midpoint = m * 10^scale / 2.
  const left = exact.numerator * 2n * (scale < 0 ? 10n ** BigInt(-scale) : 1n);
  const right = midpointTimesTwo * exact.denominator * (scale > 0 ? 10n ** BigInt(scale) : 1n);
  return left === right;
}

function stripZeros(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/\.?0+$/, '');
}

function scientific(digits: string, exponent: number): string {
  const mantissa = stripZeros(digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits);
  const sign = exponent < 0 ? '-' : '+';
  const magnitude = Math.abs(exponent).toString().padStart(2, '0');
  return `${mantissa}e${sign}${magnitude}`;
}

function fixed(digits: string, exponent: number): string {
  if (exponent < 0) return stripZeros(`0.${'0'.repeat(-exponent - 1)}${digits}`);
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return stripZeros(fraction.length > 0 ? `${whole}.${fraction}` : whole);
}

/** A finite decimal as sign, integer coefficient and base-10 exponent. */
export interface DecimalTriple {
  negative: boolean;
  coefficient: bigint;
  exponent: number;
}

/** The exact decimal value of a finite double (binary64_to_bid128 before rounding). */
export function doubleToTriple(value: number): DecimalTriple {
  const exact = doubleToExact(value);
  if (exact.kind !== 'finite') throw new RangeError('not a finite double');
  const negative = exact.numerator < 0n || Object.is(value, -0);
  const magnitude = exact.numerator < 0n ? -exact.numerator : exact.numerator;
  let twos = 0;
  for (let d = exact.denominator; d > 1n; d >>= 1n) twos += 1;
  return { negative, coefficient: magnitude * 5n ** BigInt(twos), exponent: -twos };
}

export function digitCount(value: bigint): number {
  return value === 0n ? 1 : value.toString().length;
}

/** Rounds to at most `digits` significant digits, ties to even. */
export function roundToDigits(triple: DecimalTriple, digits: number): DecimalTriple {
  const excess = digitCount(triple.coefficient) - digits;
  if (excess <= 0) return triple;
  const rounded = divideHalfEven(triple.coefficient, excess, triple.exponent);
  // Rounding 99..9 up carries into one more digit; that number is a power of ten.
  if (digitCount(rounded.coefficient) > digits) {
    return { ...triple, coefficient: rounded.coefficient / 10n, exponent: rounded.exponent + 1 };
  }
  return { ...triple, ...rounded };
}

/** coefficient / 10^places rounded half to even, with the exponent adjusted. */
export function divideHalfEven(
  coefficient: bigint,
  places: number,
  exponent: number,
): { coefficient: bigint; exponent: number } {
  const divisor = 10n ** BigInt(places);
  let quotient = coefficient / divisor;
  const twiceRemainder = (coefficient % divisor) * 2n;
  if (twiceRemainder > divisor || (twiceRemainder === divisor && quotient % 2n === 1n)) {
    quotient += 1n;
  }
  return { coefficient: quotient, exponent: exponent + places };
}

/**
 * Decimal128(double, precision): exact conversion rounded to 34 digits, then for 15-digit
 * precision quantized so the coefficient has exactly 15 digits (0.1 -> 0.100000000000000).
 */
export function doubleToDecimal(value: number, precision: 15 | 34): Decimal128 {
  if (Number.isNaN(value)) return Decimal128.fromString('NaN');
  if (!Number.isFinite(value)) return Decimal128.fromString(value > 0 ? 'Infinity' : '-Infinity');
  if (value === 0) return Decimal128.fromString(Object.is(value, -0) ? '-0' : '0');
  let triple = roundToDigits(doubleToTriple(value), 34);
  if (precision === 15) triple = quantizeToDigits(triple, 15);
  return decimalFromParts({ kind: 'finite', ...triple });
}

function quantizeToDigits(triple: DecimalTriple, digits: number): DecimalTriple {
  const count = digitCount(triple.coefficient);
  if (count > digits) return roundToDigits(triple, digits);
  const pad = digits - count;
  return {
    ...triple,
    coefficient: triple.coefficient * 10n ** BigInt(pad),
    exponent: triple.exponent - pad,
  };
}
