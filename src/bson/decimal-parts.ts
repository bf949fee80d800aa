/**
 * Decoding of IEEE 754-2008 decimal128 (BID encoding, as BSON stores it) into an exact
 * sign/coefficient/exponent triple. The bson package only converts Decimal128 to and from
 * strings; comparison and arithmetic need the parts.
 */
import { Decimal128 } from 'bson';

export type DecimalParts =
  | { kind: 'nan' }
  | { kind: 'infinity'; negative: boolean }
  | { kind: 'finite'; negative: boolean; coefficient: bigint; exponent: number };

export const decimalExponentBias = 6176;
export const decimalExponentMin = -6176;
export const decimalExponentMax = 6111;
export const decimalDigitsMax = 34;
export const decimalCoefficientMax = 10n ** 34n - 1n;

function readUint64LE(bytes: Uint8Array, offset: number): bigint {
  let value = 0n;
  for (let i = 7; i >= 0; i--) value = (value << 8n) | BigInt(bytes[offset + i] ?? 0);
  return value;
}

function writeUint64LE(bytes: Uint8Array, offset: number, value: bigint): void {
  let rest = value;
  for (let i = 0; i < 8; i++) {
    bytes[offset + i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

export function decimalToParts(value: Decimal128): DecimalParts {
  const bytes = value.bytes;
  const low = readUint64LE(bytes, 0);
  const high = readUint64LE(bytes, 8);
  const negative = high >> 63n === 1n;
  const combination = (high >> 58n) & 0x1fn;
  if (combination === 0x1fn) return { kind: 'nan' };
  if (combination === 0x1en) return { kind: 'infinity', negative };
  let exponent: number;
  let coefficient: bigint;
  if (((high >> 61n) & 0x3n) === 0x3n) {
    // The "11" form encodes coefficients above 2^113, all beyond 10^34: non-canonical zero.
    exponent = Number((high >> 47n) & 0x3fffn) - decimalExponentBias;
    coefficient = 0n;
  } else {
    exponent = Number((high >> 49n) & 0x3fffn) - decimalExponentBias;
    coefficient = ((high & 0x1ffffffffffffn) << 64n) | low;
    if (coefficient > decimalCoefficientMax) coefficient = 0n;
  }
  return { kind: 'finite', negative, coefficient, exponent };
}

/** Encodes parts that are already within range (coefficient ≤ 34 digits, exponent in range). */
export function decimalFromParts(parts: DecimalParts): Decimal128 {
  const bytes = new Uint8Array(16);
  let high: bigint;
  let low = 0n;
  switch (parts.kind) {
    case 'nan':
      high = 0x7c00000000000000n;
      break;
    case 'infinity':
      high = parts.negative ? 0xf800000000000000n : 0x7800000000000000n;
      break;
    case 'finite': {
      if (parts.coefficient < 0n || parts.coefficient > decimalCoefficientMax) {
        throw new RangeError('decimal coefficient out of range');
      }
      if (parts.exponent < decimalExponentMin || parts.exponent > decimalExponentMax) {
        throw new RangeError('decimal exponent out of range');
      }
      const biased = BigInt(parts.exponent + decimalExponentBias);
      high = (biased << 49n) | (parts.coefficient >> 64n);
      if (parts.negative) high |= 1n << 63n;
      low = parts.coefficient & 0xffffffffffffffffn;
      break;
    }
  }
  writeUint64LE(bytes, 0, low);
  writeUint64LE(bytes, 8, high);
  return new Decimal128(bytes);
}
