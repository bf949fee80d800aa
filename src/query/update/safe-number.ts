/**
 * SafeNum (src/mongo/util/safe_num.cpp), the arithmetic behind $inc, $mul and $bit. It
 * differs from aggregation arithmetic: Int64 overflow is an error rather than a widening
 * to double, and a double meeting a Decimal128 is first rounded to 15 significant digits.
 * Results are `undefined` where SafeNum would be invalid (EOO).
 */
import { Decimal128, Double, Int32, Long } from 'bson';
import type { BsonNumber } from '../../bson/compare-numbers.js';
import { compareNumbers } from '../../bson/compare-numbers.js';
import { decimalAdd, decimalMultiply } from '../../bson/decimal.js';
import { toBigInt, toDouble } from '../../bson/arith.js';
import { formatG } from '../../bson/to-string.js';

const int32Min = -(2n ** 31n);
const int32Max = 2n ** 31n - 1n;
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

type Operation = 'add' | 'multiply';

export function safeAdd(a: BsonNumber, b: BsonNumber): BsonNumber | undefined {
  return combine(a, b, 'add');
}

export function safeMultiply(a: BsonNumber, b: BsonNumber): BsonNumber | undefined {
  return combine(a, b, 'multiply');
}

function combine(a: BsonNumber, b: BsonNumber, operation: Operation): BsonNumber | undefined {
  if (isIntegral(a) && isIntegral(b)) {
    const x = toBigInt(a);
    const y = toBigInt(b);
    const result = operation === 'add' ? x + y : x * y;
    const bothInt32 = a._bsontype === 'Int32' && b._bsontype === 'Int32';
    if (bothInt32 && result >= int32Min && result <= int32Max) return new Int32(Number(result));
    if (result < int64Min || result > int64Max) return undefined;
    return Long.fromBigInt(result);
  }
  if (a._bsontype === 'Decimal128' || b._bsontype === 'Decimal128') {
    const x = toSafeNumDecimal(a);
    const y = toSafeNumDecimal(b);
    return operation === 'add' ? decimalAdd(x, y) : decimalMultiply(x, y);
  }
  const x = toDouble(a);
  const y = toDouble(b);
  return new Double(operation === 'add' ? x + y : x * y);
}

function isIntegral(value: BsonNumber): value is Int32 | Long {
  return value._bsontype === 'Int32' || value._bsontype === 'Long';
}

/** SafeNum::getDecimal: integers exactly, doubles rounded to 15 significant digits. */
export function toSafeNumDecimal(value: BsonNumber): Decimal128 {
  switch (value._bsontype) {
    case 'Decimal128':
      return value;
    case 'Int32':
    case 'Long':
      return Decimal128.fromString(value.toString());
    case 'Double':
      return doubleToDecimal15(value.value);
  }
}

function doubleToDecimal15(value: number): Decimal128 {
  if (Number.isNaN(value)) return Decimal128.fromString('NaN');
  if (!Number.isFinite(value)) return Decimal128.fromString(value > 0 ? 'Infinity' : '-Infinity');
  const text = value.toPrecision(15);
  return Decimal128.fromString(Object.is(value, -0) ? `-${text}` : text);
}

export type BitOperator = 'and' | 'or' | 'xor';

/** SafeNum::bitAnd/bitOr/bitXor: Int32 with Int32 stays Int32, anything with Int64 is Int64. */
export function safeBitwise(a: Int32 | Long, b: Int32 | Long, operator: BitOperator): Int32 | Long {
  if (a._bsontype === 'Int32' && b._bsontype === 'Int32') {
    const x = a.value;
    const y = b.value;
    return new Int32(operator === 'and' ? x & y : operator === 'or' ? x | y : x ^ y);
  }
  const x = toBigInt(a);
  const y = toBigInt(b);
  const result = operator === 'and' ? x & y : operator === 'or' ? x | y : x ^ y;
  return Long.fromBigInt(BigInt.asIntN(64, result));
}

/** SafeNum::isIdentical: same type and same value; a NaN is never identical. */
export function isIdentical(a: BsonNumber, b: BsonNumber): boolean {
  if (a._bsontype !== b._bsontype) return false;
  if (a._bsontype === 'Double') return a.value === (b as Double).value;
  if (a._bsontype === 'Decimal128' && (isDecimalNaN(a) || isDecimalNaN(b as Decimal128))) {
    return false;
  }
  return compareNumbers(a, b) === 0;
}

function isDecimalNaN(value: Decimal128): boolean {
  return value.toString().endsWith('NaN');
}

/** SafeNum::debugString, e.g. "(NumberLong)9223372036854775807". */
export function safeNumDebugString(value: BsonNumber): string {
  switch (value._bsontype) {
    case 'Int32':
      return `(NumberInt)${value.value}`;
    case 'Long':
      return `(NumberLong)${value.toString()}`;
    case 'Double':
      return `(NumberDouble)${formatG(value.value, 6)}`;
    case 'Decimal128':
      return `(NumberDecimal)${value.toString()}`;
  }
}
