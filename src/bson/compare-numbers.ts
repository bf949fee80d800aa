/**
 * Exact comparison of BSON numbers across Int32, Int64, Double and Decimal128, as
 * MongoDB does it: NaN equals NaN and sorts below every other number, -0 equals 0, and
 * no value is rounded through a JS number on the way (2^53 + 1 as Int64 is greater than
 * the double 2^53).
 */
import { Decimal128, Double, Int32, Long } from 'bson';
import { decimalToParts } from './decimal-parts.js';

export type BsonNumber = Int32 | Long | Double | Decimal128;

/** An exact rational, or one of the non-finite values. */
export type ExactNumber =
  | { kind: 'nan' }
  | { kind: 'infinity'; negative: boolean }
  | { kind: 'finite'; numerator: bigint; denominator: bigint };

const twoPow53 = 2 ** 53;

function sign(value: number): -1 | 0 | 1 {
  return value < 0 ? -1 : value > 0 ? 1 : 0;
}

function compareJsNumbers(a: number, b: number): -1 | 0 | 1 {
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  if (aNaN || bNaN) return aNaN && bNaN ? 0 : aNaN ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The exact value of a finite double as a rational with a power-of-two denominator. */
export function doubleToExact(value: number): ExactNumber {
  if (Number.isNaN(value)) return { kind: 'nan' };
  if (!Number.isFinite(value)) return { kind: 'infinity', negative: value < 0 };
  if (Number.isInteger(value)) return { kind: 'finite', numerator: BigInt(value), denominator: 1n };
  let scaled = value;
  let denominator = 1n;
  // Each doubling is exact; a finite double becomes an integer after at most 1074 steps.
  while (!Number.isInteger(scaled)) {
    scaled *= 2;
    denominator *= 2n;
  }
  return { kind: 'finite', numerator: BigInt(scaled), denominator };
}

export function toExact(value: BsonNumber): ExactNumber {
  if (value instanceof Int32) return { kind: 'finite', numerator: BigInt(value.value), denominator: 1n };
  if (value instanceof Long) {
    return { kind: 'finite', numerator: BigInt(value.toString()), denominator: 1n };
  }
  if (value instanceof Double) return doubleToExact(value.value);
  const parts = decimalToParts(value);
  if (parts.kind !== 'finite') return parts;
  const signed = parts.negative ? -parts.coefficient : parts.coefficient;
  if (parts.exponent >= 0) {
    return { kind: 'finite', numerator: signed * 10n ** BigInt(parts.exponent), denominator: 1n };
  }
  return { kind: 'finite', numerator: signed, denominator: 10n ** BigInt(-parts.exponent) };
}

export function compareExact(a: ExactNumber, b: ExactNumber): -1 | 0 | 1 {
  if (a.kind === 'nan' || b.kind === 'nan') {
    return a.kind === b.kind ? 0 : a.kind === 'nan' ? -1 : 1;
  }
  if (a.kind === 'infinity' || b.kind === 'infinity') {
    const aRank = a.kind === 'infinity' ? (a.negative ? -1 : 1) : 0;
    const bRank = b.kind === 'infinity' ? (b.negative ? -1 : 1) : 0;
    return aRank < bRank ? -1 : aRank > bRank ? 1 : 0;
  }
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

function compareLongWithDouble(a: Long, b: number): -1 | 0 | 1 {
  if (Number.isNaN(b)) return 1;
  const aNumber = a.toNumber();
  // Rounding is monotonic, so |aNumber| < 2^53 means |a| < 2^53 and aNumber is exact;
  // Long(2^53 + 1) rounds to 2^53 and must take the exact path below.
  if (Math.abs(aNumber) < twoPow53) return compareJsNumbers(aNumber, b);
  if (!Number.isFinite(b)) return b > 0 ? -1 : 1;
  // |a| >= 2^53, so only doubles of similar magnitude can tie, and those are integers.
  if (Math.abs(b) < twoPow53) return sign(aNumber);
  const left = BigInt(a.toString());
  const right = BigInt(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** MongoDB's numeric comparison: -1, 0 or 1. */
export function compareNumbers(a: BsonNumber, b: BsonNumber): -1 | 0 | 1 {
  if (a instanceof Decimal128 || b instanceof Decimal128) return compareExact(toExact(a), toExact(b));
  if (a instanceof Long) {
    if (b instanceof Long) return a.compare(b);
    return compareLongWithDouble(a, b.value);
  }
  if (b instanceof Long) return (-compareLongWithDouble(b, a.value) || 0) as -1 | 0 | 1;
  return compareJsNumbers(a.value, b.value);
}
