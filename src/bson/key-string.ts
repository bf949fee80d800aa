/**
 * TEMPORARY stand-in until the real KeyString encoding lands (branch `numeric`): equal
 * values encode equal (numbers across types included), but byte order is not yet
 * MongoDB's order, so only equality lookups may use it.
 */
import { canonicalTypeRank, isNumber } from './types.js';
import type { BsonValue } from './types.js';
import { toExact } from './compare-numbers.js';
import { encodeDocument } from './serialize.js';

export type Direction = 1 | -1;

function reduce(numerator: bigint, denominator: bigint): string {
  let a = numerator < 0n ? -numerator : numerator;
  let b = denominator;
  while (b !== 0n) [a, b] = [b, a % b];
  const divisor = a === 0n ? 1n : a;
  return `${numerator / divisor}/${denominator / divisor}`;
}

export function encodeKey(
  values: BsonValue[],
  _directions: Direction[],
): { key: Buffer; typeBits: Buffer } {
  const parts: Buffer[] = [];
  for (const value of values) {
    parts.push(Buffer.from([canonicalTypeRank(value) + 1]));
    if (isNumber(value)) {
      const exact = toExact(value);
      const text =
        exact.kind === 'finite'
          ? reduce(exact.numerator, exact.denominator)
          : exact.kind === 'nan'
            ? 'nan'
            : exact.negative
              ? '-inf'
              : 'inf';
      parts.push(Buffer.from(text));
    } else {
      parts.push(encodeDocument({ v: value }));
    }
  }
  return { key: Buffer.concat(parts), typeBits: Buffer.alloc(0) };
}
