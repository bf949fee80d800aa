/**
 * Decoding of KeyString numbers (the layout is described in key-string-number.ts): the
 * magnitude is read back as an exact binary or decimal value and rebuilt in the type that
 * TypeBits recorded, so Int32, Int64, Double (-0 included) and Decimal128 (with its
 * exponent) come back exactly as they were encoded.
 */
import { Double, Int32, Long } from 'bson';
import { assert } from '../util/assert.js';
import type { BsonNumber } from './compare-numbers.js';
import { decimalExponentBias, decimalFromParts } from './decimal-parts.js';
import type { KeyReader, TypeBitsReader } from './key-string-buffer.js';
import { exponentBias, groupsMax, numberClass, typeCode } from './key-string-number.js';

const twoPow63 = 1n << 63n;

interface ReadMagnitude {
  exponent: number;
  /** 2^63 + F: the magnitude is significand × 2^(exponent - 63). */
  significand: bigint;
  decimal?: { digits: string; adjusted: number };
}

function readMagnitude(reader: KeyReader): ReadMagnitude {
  const exponent = reader.uint16() - exponentBias;
  let fraction = 0n;
  let groups = 0;
  let more = 1;
  while (more === 1 && groups < groupsMax) {
    const byte = reader.byte();
    fraction = (fraction << 7n) | BigInt(byte >> 1);
    more = byte & 1;
    groups += 1;
  }
  fraction <<= BigInt(7 * (groupsMax - groups));
  const magnitude: ReadMagnitude = { exponent, significand: twoPow63 + fraction };
  if (more === 0) return magnitude;
  const adjusted = reader.uint16() - exponentBias;
  let digits = '';
  for (;;) {
    const byte = reader.byte();
    const first = byte >> 4;
    const second = byte & 0x0f;
    if (first === 0) break;
    digits += String(first - 1);
    if (second === 0) break;
    digits += String(second - 1);
  }
  magnitude.decimal = { digits, adjusted };
  return magnitude;
}

/** The integer a magnitude stands for; only called for Int32 and Int64 keys. */
function integerOf(magnitude: ReadMagnitude): bigint {
  assert(magnitude.exponent >= 0 && magnitude.exponent <= 63, 'integer key out of range');
  const shift = BigInt(63 - magnitude.exponent);
  assert(magnitude.significand % (1n << shift) === 0n, 'integer key with a fraction');
  return magnitude.significand >> shift;
}

function doubleOf(magnitude: ReadMagnitude): number {
  const significand = Number(magnitude.significand >> 11n);
  assert(magnitude.significand % 2048n === 0n, 'double key with more than 53 bits');
  const power = magnitude.exponent - 52;
  // Split the scaling so that neither factor underflows: both products are exact.
  return power < -1000 ? significand * 2 ** (power + 200) * 2 ** -200 : significand * 2 ** power;
}

/** The coefficient that gives the magnitude at 10^exponent (exact by construction). */
function decimalCoefficientOf(magnitude: ReadMagnitude, exponent: number): bigint {
  if (magnitude.decimal !== undefined) {
    const { digits, adjusted } = magnitude.decimal;
    const shift = adjusted - (digits.length - 1) - exponent;
    assert(shift >= 0, 'decimal key exponent above its digits');
    return BigInt(digits) * 10n ** BigInt(shift);
  }
  const binaryShift = magnitude.exponent - 63;
  let numerator = magnitude.significand << BigInt(Math.max(binaryShift, 0));
  let denominator = 1n << BigInt(Math.max(-binaryShift, 0));
  if (exponent < 0) numerator *= 10n ** BigInt(-exponent);
  else denominator *= 10n ** BigInt(exponent);
  assert(numerator % denominator === 0n, 'decimal key not a multiple of its exponent');
  return numerator / denominator;
}

/** Reads a number whose class byte was `klass`, restoring its type from `typeBits`. */
export function readNumber(reader: KeyReader, typeBits: TypeBitsReader, klass: number): BsonNumber {
  const type = typeBits.bits(2);
  const negative = klass === numberClass.negative || klass === numberClass.negativeInfinity;
  if (type === typeCode.int || type === typeCode.long) {
    let integer = 0n;
    if (klass !== numberClass.zero) {
      assert(
        klass === numberClass.negative || klass === numberClass.positive,
        'integer key not finite',
      );
      integer = integerOf(readSignedMagnitude(reader, negative));
      if (negative) integer = -integer;
    }
    return type === typeCode.int ? new Int32(Number(integer)) : Long.fromBigInt(integer);
  }
  if (type === typeCode.double) {
    if (klass === numberClass.nan) return new Double(NaN);
    if (klass === numberClass.zero) return new Double(typeBits.bits(1) === 1 ? -0 : 0);
    if (klass !== numberClass.negative && klass !== numberClass.positive) {
      return new Double(negative ? -Infinity : Infinity);
    }
    const value = doubleOf(readSignedMagnitude(reader, negative));
    return new Double(negative ? -value : value);
  }
  if (klass === numberClass.nan) return decimalFromParts({ kind: 'nan' });
  if (klass === numberClass.negativeInfinity || klass === numberClass.positiveInfinity) {
    return decimalFromParts({ kind: 'infinity', negative });
  }
  const exponent = typeBits.bits(14) - decimalExponentBias;
  if (klass === numberClass.zero) {
    return decimalFromParts({
      kind: 'finite',
      negative: typeBits.bits(1) === 1,
      coefficient: 0n,
      exponent,
    });
  }
  const coefficient = decimalCoefficientOf(readSignedMagnitude(reader, negative), exponent);
  return decimalFromParts({ kind: 'finite', negative, coefficient, exponent });
}

function readSignedMagnitude(reader: KeyReader, negative: boolean): ReadMagnitude {
  if (!negative) return readMagnitude(reader);
  reader.mask ^= 0xff;
  try {
    return readMagnitude(reader);
  } finally {
    reader.mask ^= 0xff;
  }
}
