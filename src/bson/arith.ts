/**
 * Arithmetic over BSON numbers with MongoDB's result types: Int32 op Int32 stays Int32
 * and widens to Int64 on overflow; Int64 overflow widens to Double; any Double makes a
 * Double; any Decimal128 makes a Decimal128. No value is rounded through a JS number
 * unless the result type is Double.
 *
 * The functions mirror the server's expression evaluators (src/mongo/db/exec/expression/
 * evaluate_math.cpp: AddState, MultiplyState, evaluateSubtract, evaluateDivide,
 * evaluateMod), including their quirks: a double meeting a decimal is first rounded to 15
 * digits, and an Int64 overflow is redone on the operands converted to doubles.
 */
import { Double, Int32, Long } from 'bson';
import { MongoError } from '../errors/mongo-error.js';
import type { BsonNumber } from './compare-numbers.js';
import {
  decimalAbs,
  decimalAdd,
  decimalDivide,
  decimalIsZero,
  decimalMod,
  decimalMultiply,
} from './decimal.js';
import { decimalNegate, decimalSubtract } from './decimal.js';
import { decimalToDouble, doubleToDecimal, int64ToDecimal, toDecimal } from './number-convert.js';

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

/** The value as a JS number (Value::coerceToDouble): nearest double for Int64 and Decimal128. */
export function toDouble(value: BsonNumber): number {
  switch (value._bsontype) {
    case 'Int32':
    case 'Double':
      return value.value;
    case 'Long':
      // high × 2^32 is exact, so the one addition rounds the exact value correctly.
      return value.toNumber();
    case 'Decimal128':
      return decimalToDouble(value);
  }
}

/** The value as a bigint, for integral types only. */
export function toBigInt(value: Int32 | Long): bigint {
  return value._bsontype === 'Int32' ? BigInt(value.value) : value.toBigInt();
}

function fitsInt64(value: bigint): boolean {
  return value >= int64Min && value <= int64Max;
}

/** Value::createIntOrLong: Int32 when the value fits, else Int64. */
function intOrLong(value: bigint): Int32 | Long {
  if (value >= BigInt(int32Min) && value <= BigInt(int32Max)) return new Int32(Number(value));
  return Long.fromBigInt(value);
}

/**
 * $add over any number of operands (dates excluded), exactly as the server's AddState:
 * separate Int64, double and decimal totals, widened as wider operands arrive. Note that
 * the decimal total starts as 0E0, so $add of one NumberDecimal("1E+3") is 1000.
 */
export function addAll(values: readonly BsonNumber[]): BsonNumber {
  let widest = 0;
  let longTotal = 0n;
  let doubleTotal = 0;
  let decimalTotal = int64ToDecimal(0n);
  for (const value of values) {
    const previous = widest;
    widest = Math.max(widest, numericRank(value));
    if (previous !== widest) {
      if (widest === 2) doubleTotal = Number(longTotal);
      if (widest === 3)
        decimalTotal = previous === 2 ? doubleToDecimal(doubleTotal) : int64ToDecimal(longTotal);
    }
    if (widest <= 1) {
      const sum = longTotal + toBigInt(value as Int32 | Long);
      if (fitsInt64(sum)) {
        longTotal = sum;
      } else {
        // overflow::add failed: the server redoes the sum as double(total) + double(value).
        widest = 2;
        doubleTotal = Number(longTotal) + toDouble(value);
      }
    } else if (widest === 2) {
      doubleTotal += toDouble(value);
    } else {
      decimalTotal = decimalAdd(decimalTotal, toDecimal(value));
    }
  }
  if (widest === 0) return intOrLong(longTotal);
  if (widest === 1) return Long.fromBigInt(longTotal);
  if (widest === 2) return new Double(doubleTotal);
  return decimalTotal;
}

export function add(a: BsonNumber, b: BsonNumber): BsonNumber {
  return addAll([a, b]);
}

/**
 * $multiply as the server's MultiplyState: a double product is kept alongside the
 * integral one and takes over when Int64 overflows, so the result after overflow is the
 * product of the operands as doubles.
 */
export function multiplyAll(values: readonly BsonNumber[]): BsonNumber {
  let type = 0;
  let doubleProduct = 1;
  let longProduct = 1n;
  let decimalProduct = int64ToDecimal(1n);
  for (const value of values) {
    const previous = type;
    type = Math.max(type, numericRank(value));
    if (type === 3) {
      if (previous !== 3) {
        decimalProduct =
          previous === 2 ? doubleToDecimal(doubleProduct) : int64ToDecimal(longProduct);
      }
      decimalProduct = decimalMultiply(decimalProduct, toDecimal(value));
      continue;
    }
    doubleProduct *= toDouble(value);
    if (type !== 2) {
      const product = longProduct * toBigInt(value as Int32 | Long);
      if (fitsInt64(product)) longProduct = product;
      else type = 2;
    }
  }
  if (type === 0) return intOrLong(longProduct);
  if (type === 1) return Long.fromBigInt(longProduct);
  if (type === 2) return new Double(doubleProduct);
  return decimalProduct;
}

export function multiply(a: BsonNumber, b: BsonNumber): BsonNumber {
  return multiplyAll([a, b]);
}

/** $subtract on two numbers (evaluateSubtract). */
export function subtract(a: BsonNumber, b: BsonNumber): BsonNumber {
  const rank = Math.max(numericRank(a), numericRank(b));
  if (rank === 3) return decimalSubtract(toDecimal(a), toDecimal(b));
  if (rank === 2) return new Double(toDouble(a) - toDouble(b));
  const difference = toBigInt(a as Int32 | Long) - toBigInt(b as Int32 | Long);
  if (rank === 0) return intOrLong(difference);
  if (!fitsInt64(difference)) return new Double(toDouble(a) - toDouble(b));
  return Long.fromBigInt(difference);
}

/**
 * $divide: a Decimal128 when either side is one, else a Double (never an integer).
 * Division by a zero of any type is BadValue "can't $divide by zero".
 */
export function divide(a: BsonNumber, b: BsonNumber): BsonNumber {
  if (a._bsontype === 'Decimal128' || b._bsontype === 'Decimal128') {
    const denominator = toDecimal(b);
    if (decimalIsZero(denominator)) throw new MongoError('BadValue', "can't $divide by zero");
    return decimalDivide(toDecimal(a), denominator);
  }
  const denominator = toDouble(b);
  if (denominator === 0) throw new MongoError('BadValue', "can't $divide by zero");
  return new Double(toDouble(a) / denominator);
}

/**
 * $mod (evaluateMod): decimal if either side is decimal (fmod, code 5733415 on a zero
 * divisor), else double if either is double (C fmod), else Int64 if either is Int64,
 * else Int32; the remainder takes the dividend's sign. Zero divisors raise 16610.
 */
export function mod(a: BsonNumber, b: BsonNumber): BsonNumber {
  if (a._bsontype === 'Decimal128' || b._bsontype === 'Decimal128') {
    const divisor = toDecimal(b);
    if (decimalIsZero(divisor)) throw new MongoError(5733415, "can't $mod by zero");
    return decimalMod(toDecimal(a), divisor);
  }
  const divisor = toDouble(b);
  if (divisor === 0) throw new MongoError(16610, "can't $mod by zero");
  if (a._bsontype === 'Double' || b._bsontype === 'Double') {
    return new Double(toDouble(a) % divisor);
  }
  const left = toBigInt(a);
  const right = toBigInt(b);
  // overflow::safeMod: x % -1 is 0, which also avoids INT64_MIN % -1 overflowing.
  const remainder = right === -1n ? 0n : left % right;
  if (a._bsontype === 'Long' || b._bsontype === 'Long') return Long.fromBigInt(remainder);
  return new Int32(Number(remainder));
}

/** Unary minus with widening: -Int32 min is an Int64, -Int64 min a Double. */
export function negate(value: BsonNumber): BsonNumber {
  switch (value._bsontype) {
    case 'Int32':
      return intOrLong(-BigInt(value.value));
    case 'Long': {
      const negated = -value.toBigInt();
      return fitsInt64(negated) ? Long.fromBigInt(negated) : new Double(Number(negated));
    }
    case 'Double':
      return new Double(-value.value);
    case 'Decimal128':
      return decimalNegate(value);
  }
}

/** $abs: the absolute value of Int64 min is an error (28680); |Int32 min| widens to Int64. */
export function abs(value: BsonNumber): BsonNumber {
  switch (value._bsontype) {
    case 'Int32':
      return intOrLong(BigInt(Math.abs(value.value)));
    case 'Long': {
      const magnitude = value.toBigInt() < 0n ? -value.toBigInt() : value.toBigInt();
      if (!fitsInt64(magnitude)) throw new MongoError(28680, "can't take $abs of long long min");
      return Long.fromBigInt(magnitude);
    }
    case 'Double':
      return new Double(Math.abs(value.value));
    case 'Decimal128':
      return decimalAbs(value);
  }
}
