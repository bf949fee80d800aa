/**
 * Arithmetic over BSON numbers with MongoDB's result types: Int32 op Int32 stays Int32
 * and widens to Int64 on overflow; Int64 overflow widens to Double; any Double makes a
 * Double; any Decimal128 makes a Decimal128. No value is rounded through a JS number
 * unless the result type is Double.
 */
import { Decimal128, Double, Int32, Long } from 'bson';
import { decimalAdd, decimalMultiply, toDecimal } from './decimal.js';
import type { BsonNumber } from './compare-numbers.js';

const int32Min = -(2 ** 31);
const int32Max = 2 ** 31 - 1;
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/** The widest type among the operands: 0 Int32, 1 Int64, 2 Double, 3 Decimal128. */
export function numericRank(value: BsonNumber): 0 | 1 | 2 | 3 {
  switch (value._bsontype) {
    case 'Int32':
      return 0;
    case 'Long':
      return 1;
    case 'Double':
      return 2;
    case 'Decimal128':
      return 3;
  }
}

/** The value as a JS number; exact for Int32 and Double, rounded for the others. */
export function toDouble(value: BsonNumber): number {
  switch (value._bsontype) {
    case 'Int32':
    case 'Double':
      return value.value;
    case 'Long':
      return value.toNumber();
    case 'Decimal128':
      return Number(value.toString());
  }
}

/** The value as a bigint, for integral types only. */
export function toBigInt(value: Int32 | Long): bigint {
  return value._bsontype === 'Int32' ? BigInt(value.value) : value.toBigInt();
}

/** Narrowest integral result: Int32 when it fits and allowed, else Int64, else Double. */
function integralResult(result: bigint, allowInt32: boolean): BsonNumber {
  if (allowInt32 && result >= BigInt(int32Min) && result <= BigInt(int32Max)) {
    return new Int32(Number(result));
  }
  if (result >= int64Min && result <= int64Max) return Long.fromBigInt(result);
  return new Double(Number(result));
}

export function add(a: BsonNumber, b: BsonNumber): BsonNumber {
  const rank = Math.max(numericRank(a), numericRank(b));
  if (rank === 3) return decimalAdd(toDecimal(a), toDecimal(b));
  if (rank === 2) return new Double(toDouble(a) + toDouble(b));
  const result = toBigInt(a as Int32 | Long) + toBigInt(b as Int32 | Long);
  return integralResult(result, rank === 0);
}

export function subtract(a: BsonNumber, b: BsonNumber): BsonNumber {
  return add(a, negate(b));
}

export function multiply(a: BsonNumber, b: BsonNumber): BsonNumber {
  const rank = Math.max(numericRank(a), numericRank(b));
  if (rank === 3) return decimalMultiply(toDecimal(a), toDecimal(b));
  if (rank === 2) return new Double(toDouble(a) * toDouble(b));
  const result = toBigInt(a as Int32 | Long) * toBigInt(b as Int32 | Long);
  return integralResult(result, rank === 0);
}

export function negate(value: BsonNumber): BsonNumber {
  switch (value._bsontype) {
    case 'Int32':
      return integralResult(-BigInt(value.value), true);
    case 'Long':
      return integralResult(-value.toBigInt(), false);
    case 'Double':
      return new Double(-value.value);
    case 'Decimal128':
      return Decimal128.fromString(
        value.toString().startsWith('-') ? value.toString().slice(1) : `-${value.toString()}`,
      );
  }
}
