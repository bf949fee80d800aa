/**
 * Decimal128 arithmetic (IEEE 754-2008, 34 digits, round half to even), which the bson
 * package does not provide.
 */
import { Decimal128 } from 'bson';
import type { BsonNumber } from './compare-numbers.js';

export function toDecimal(value: BsonNumber): Decimal128 {
  if (value._bsontype === 'Decimal128') return value;
  throw new Error('toDecimal: not implemented yet');
}

export function decimalAdd(_a: Decimal128, _b: Decimal128): Decimal128 {
  throw new Error('decimalAdd: not implemented yet');
}

export function decimalMultiply(_a: Decimal128, _b: Decimal128): Decimal128 {
  throw new Error('decimalMultiply: not implemented yet');
}
