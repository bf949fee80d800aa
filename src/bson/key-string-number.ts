/**
 * KeyString encoding of numbers. Every number is encoded by its exact value, whatever its
 * type, so 42, Long(42), 42.0 and Decimal128("42.00") produce the same bytes; TypeBits
 * record the type (and a decimal's exponent, and -0) for decoding.
 *
 * Layout after the class byte (NaN, -Infinity, negative, zero, positive, +Infinity):
 *   |x| = 2^E × (1 + F / 2^63), F the first 63 fraction bits
 *   [E + 0x8000: 2 bytes] [F in 7-bit groups, high bit first, low bit "more follows"]
 * Groups stop after the last nonzero one, so small integers take one or two bytes. Every
 * Int32, Int64 and Double fits in 64 significant bits; a decimal that does not is
 * written with all 9 groups, the last one flagged "more", followed by its exact decimal
 * digits (adjusted exponent, then BCD nibbles digit+1 ended by a 0 nibble). Among equal
 * 63-bit prefixes, exact values (flag clear) sort before inexact ones, which sort among
 * themselves by their digits. Negative numbers invert the whole magnitude.
 */
import type { Decimal128, Long } from 'bson';
import { assert } from '../util/assert.js';
import type { BsonNumber } from './compare-numbers.js';
import { decimalExponentBias, decimalToParts } from './decimal-parts.js';
import type { KeyWriter, TypeBitsWriter } from './key-string-buffer.js';

/** Class bytes: the KeyString type bytes of numbers, in numeric order. */
export const numberClass = {
  nan: 0x1e,
  negativeInfinity: 0x1f,
  negative: 0x20,
  zero: 0x21,
  positive: 0x22,
  positiveInfinity: 0x23,
} as const;

/** The 2-bit TypeBits code of each number type. */
export const typeCode = { int: 0, long: 1, double: 2, decimal: 3 } as const;
export const exponentBias = 0x8000;
export const groupsMax = 9;
const twoPow63 = 1n << 63n;

/** A finite nonzero magnitude as 2^exponent × (1 + fraction / 2^63). */
interface Magnitude {
  exponent: number;
  /** The 63 fraction bits as two integers: high 31 bits and low 32 bits. */
  high: number;
  low: number;
  /** Digits of an inexact decimal: normalized coefficient and adjusted exponent. */
  decimal?: { digits: string; adjusted: number };
}

function bitLength(value: bigint): number {
  return value.toString(2).length;
}

function magnitudeOfBigInt(value: bigint): Magnitude {
  const exponent = bitLength(value) - 1;
  assert(exponent <= 63, 'integer beyond 64 bits');
  const fraction = (value - (1n << BigInt(exponent))) << BigInt(63 - exponent);
  return { exponent, high: Number(fraction >> 32n), low: Number(fraction & 0xffffffffn) };
}

const powersOfTwo = Array.from({ length: 33 }, (_, i) => 2 ** i);

function magnitudeOfInt32(value: number): Magnitude {
  const magnitude = Math.abs(value);
  const exponent = 31 - Math.clz32(magnitude);
  // E <= 31, so the fraction shifted to 63 bits lies entirely in the high word.
  const fraction = magnitude - (powersOfTwo[exponent] as number);
  return { exponent, high: fraction * (powersOfTwo[31 - exponent] as number), low: 0 };
}

/** |value| of an Int64 from its two 32-bit words, without going through a bigint. */
function magnitudeOfLong(value: Long): Magnitude {
  let high = value.high >>> 0;
  let low = value.low >>> 0;
  if (value.high < 0) {
    // Two's complement negation; Int64 min becomes 2^63, which still fits unsigned.
    low = (~low + 1) >>> 0;
    high = (~high + (low === 0 ? 1 : 0)) >>> 0;
  }
  if (high === 0) return magnitudeOfInt32(low);
  const exponent = 63 - Math.clz32(high);
  const shift = 63 - exponent;
  // Shift the leading one up to bit 63 and drop it: the rest is the 63-bit fraction.
  const shiftedHigh = shift === 0 ? high : ((high << shift) | (low >>> (32 - shift))) >>> 0;
  const shiftedLow = (low << shift) >>> 0;
  return { exponent, high: shiftedHigh & 0x7fffffff, low: shiftedLow };
}

const bitsView = new DataView(new ArrayBuffer(8));

function magnitudeOfDouble(value: number): Magnitude {
  bitsView.setFloat64(0, value);
  const high = bitsView.getUint32(0);
  const low = bitsView.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  if (biased === 0) {
    // Subnormal: normalize the bare fraction as an integer times 2^-1074.
    const integer = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
    const magnitude = magnitudeOfBigInt(integer);
    return { ...magnitude, exponent: magnitude.exponent - 1074 };
  }
  // The 52 fraction bits, shifted left by 11 into the 63-bit field.
  return {
    exponent: biased - 1023,
    high: (high & 0xfffff) * 2048 + (low >>> 21),
    low: (low & 0x1fffff) * 2048,
  };
}

function magnitudeOfDecimal(coefficient: bigint, exponent: number): Magnitude {
  let top: bigint;
  let binaryExponent: number;
  let exact: boolean;
  if (exponent >= 0) {
    const integer = coefficient * 10n ** BigInt(exponent);
    binaryExponent = bitLength(integer) - 1;
    if (binaryExponent <= 63) return magnitudeOfBigInt(integer);
    top = integer >> BigInt(binaryExponent - 63);
    exact = top << BigInt(binaryExponent - 63) === integer;
  } else {
    const divisor = 10n ** BigInt(-exponent);
    binaryExponent = bitLength(coefficient) - bitLength(divisor);
    const below =
      binaryExponent >= 0
        ? coefficient < divisor << BigInt(binaryExponent)
        : coefficient << BigInt(-binaryExponent) < divisor;
    if (below) binaryExponent -= 1;
    const shift = 63 - binaryExponent;
    const scaled = shift >= 0 ? coefficient << BigInt(shift) : coefficient;
    const scaledDivisor = shift >= 0 ? divisor : divisor << BigInt(-shift);
    top = scaled / scaledDivisor;
    exact = scaled % scaledDivisor === 0n;
  }
  assert(top >= twoPow63 && top < twoPow63 * 2n, 'decimal magnitude not normalized');
  const fraction = top - twoPow63;
  const magnitude: Magnitude = {
    exponent: binaryExponent,
    high: Number(fraction >> 32n),
    low: Number(fraction & 0xffffffffn),
  };
  if (!exact) magnitude.decimal = normalizedDigits(coefficient, exponent);
  return magnitude;
}

function normalizedDigits(
  coefficient: bigint,
  exponent: number,
): { digits: string; adjusted: number } {
  let digits = coefficient.toString();
  const trimmed = digits.replace(/0+$/, '');
  exponent += digits.length - trimmed.length;
  digits = trimmed;
  return { digits, adjusted: exponent + digits.length - 1 };
}

/** The 7-bit group `index` (0 = most significant) of the 63-bit fraction. */
function group(magnitude: Magnitude, index: number): number {
  const shift = 56 - 7 * index;
  if (shift >= 32) return (magnitude.high >>> (shift - 32)) & 0x7f;
  if (shift + 7 <= 32) return (magnitude.low >>> shift) & 0x7f;
  return ((magnitude.high << (32 - shift)) | (magnitude.low >>> shift)) & 0x7f;
}

function writeMagnitude(writer: KeyWriter, magnitude: Magnitude): void {
  writer.uint16(magnitude.exponent + exponentBias);
  let groups = groupsMax;
  if (magnitude.decimal === undefined) {
    while (groups > 1 && group(magnitude, groups - 1) === 0) groups -= 1;
  }
  for (let i = 0; i < groups; i++) {
    const more = i < groups - 1 || magnitude.decimal !== undefined ? 1 : 0;
    writer.byte((group(magnitude, i) << 1) | more);
  }
  if (magnitude.decimal === undefined) return;
  writer.uint16(magnitude.decimal.adjusted + exponentBias);
  const { digits } = magnitude.decimal;
  for (let i = 0; i <= digits.length; i += 2) {
    const first = i < digits.length ? digits.charCodeAt(i) - 47 : 0;
    const second = i + 1 < digits.length ? digits.charCodeAt(i + 1) - 47 : 0;
    writer.byte((first << 4) | second);
  }
}

interface Classified {
  type: number;
  klass: number;
  magnitude?: Magnitude;
  /** Double -0 and decimal zeros keep their sign in TypeBits. */
  negativeZero?: boolean;
  /** A finite decimal's exponent, which its value alone does not determine. */
  decimalExponent?: number;
}

function classifyFloat(value: number, type: number): Classified {
  if (Number.isNaN(value)) return { type, klass: numberClass.nan };
  if (value === Infinity) return { type, klass: numberClass.positiveInfinity };
  if (value === -Infinity) return { type, klass: numberClass.negativeInfinity };
  if (value === 0) return { type, klass: numberClass.zero, negativeZero: Object.is(value, -0) };
  const klass = value < 0 ? numberClass.negative : numberClass.positive;
  return { type, klass, magnitude: magnitudeOfDouble(value) };
}

function classify(value: BsonNumber): Classified {
  switch (value._bsontype) {
    case 'Int32': {
      const type = typeCode.int;
      if (value.value === 0) return { type, klass: numberClass.zero };
      const klass = value.value < 0 ? numberClass.negative : numberClass.positive;
      return { type, klass, magnitude: magnitudeOfInt32(value.value) };
    }
    case 'Long': {
      const type = typeCode.long;
      if (value.high === 0 && value.low === 0) return { type, klass: numberClass.zero };
      const klass = value.high < 0 ? numberClass.negative : numberClass.positive;
      return { type, klass, magnitude: magnitudeOfLong(value) };
    }
    case 'Double':
      return classifyFloat(value.value, typeCode.double);
    case 'Decimal128':
      return classifyDecimal(value);
  }
}

function classifyDecimal(value: Decimal128): Classified {
  const type = typeCode.decimal;
  const parts = decimalToParts(value);
  if (parts.kind === 'nan') return { type, klass: numberClass.nan };
  if (parts.kind === 'infinity') {
    return {
      type,
      klass: parts.negative ? numberClass.negativeInfinity : numberClass.positiveInfinity,
    };
  }
  const decimalExponent = parts.exponent;
  if (parts.coefficient === 0n) {
    return { type, klass: numberClass.zero, negativeZero: parts.negative, decimalExponent };
  }
  const klass = parts.negative ? numberClass.negative : numberClass.positive;
  return {
    type,
    klass,
    magnitude: magnitudeOfDecimal(parts.coefficient, parts.exponent),
    decimalExponent,
  };
}

/** Writes the class byte and magnitude of `value`, and its type into `typeBits`. */
export function writeNumber(writer: KeyWriter, typeBits: TypeBitsWriter, value: BsonNumber): void {
  const classified = classify(value);
  writer.byte(classified.klass);
  if (classified.magnitude !== undefined) {
    const start = writer.length;
    writeMagnitude(writer, classified.magnitude);
    if (classified.klass === numberClass.negative) writer.invertFrom(start);
  }
  typeBits.bits(classified.type, 2);
  if (classified.type === typeCode.double && classified.klass === numberClass.zero) {
    typeBits.bits(classified.negativeZero === true ? 1 : 0, 1);
  }
  if (classified.decimalExponent !== undefined) {
    typeBits.bits(classified.decimalExponent + decimalExponentBias, 14);
    if (classified.klass === numberClass.zero)
      typeBits.bits(classified.negativeZero === true ? 1 : 0, 1);
  }
}
