/**
 * $add, $subtract, $multiply, $divide and $mod with the server's result types and error
 * codes (expression.cpp AddState/MultiplyState/ExpressionSubtract::apply/...): int stays int
 * unless it overflows to long, long overflows to double, any double makes a double, any
 * decimal makes a decimal. Integer arithmetic is done in bigint, never through a JS number.
 */
import { Decimal128, Double, Long } from 'bson';
import type { Int32 } from 'bson';
import { numericRank, toDouble } from '../../bson/arith.js';
import type { BsonNumber } from '../../bson/compare-numbers.js';
import { isNumber } from '../../bson/types.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { binary, variadic } from './arguments.js';
import {
  decimalAdd,
  decimalDivide,
  decimalMod,
  decimalMultiply,
  decimalSubtract,
} from './decimal-bridge.js';
import { decimalFromBigInt, decimalIsZero, decimalToLongOrMin, toDecimal } from './decimal-math.js';
import type { CompiledExpression, OperatorContext, OperatorTable, Variables } from './types.js';
import {
  coerceToInt,
  coerceToLong,
  int64Max,
  int64Min,
  integral32,
  intOrLong,
  isNullish,
  typeName,
} from './values.js';
import type { Value } from './values.js';

type Rank = 0 | 1 | 2 | 3;

function fitsInt64(value: bigint): boolean {
  return value >= int64Min && value <= int64Max;
}

/** The running state of $add (AddState): one total per width, widened as operands arrive. */
class AddState {
  private longTotal = 0n;
  private doubleTotal = 0;
  private decimalTotal = Decimal128.fromString('0');
  private widest: Rank = 0;
  private isDate = false;

  add(operand: BsonNumber | Date): void {
    const old = this.widest;
    let addend: BsonNumber;
    if (operand instanceof Date) {
      if (this.isDate) throw new MongoError(16612, 'only one date allowed in an $add expression');
      this.isDate = true;
      addend = Long.fromNumber(operand.getTime());
    } else {
      this.widest = Math.max(this.widest, numericRank(operand)) as Rank;
      addend = operand;
    }
    if (old !== this.widest) this.widen(old);
    switch (this.widest) {
      case 0:
      case 1: {
        const sum = this.longTotal + coerceToLong(addend);
        if (fitsInt64(sum)) {
          this.longTotal = sum;
        } else {
          this.widest = 2;
          this.doubleTotal = Number(this.longTotal) + toDouble(addend);
        }
        break;
      }
      case 2:
        this.doubleTotal += toDouble(addend);
        break;
      case 3:
        this.decimalTotal = decimalAdd(this.decimalTotal, toDecimal(addend));
        break;
    }
  }

  private widen(old: Rank): void {
    if (this.widest === 2) {
      this.doubleTotal = Number(this.longTotal);
    } else if (this.widest === 3) {
      // The running double total converts with 34 digits; later double operands with 15.
      this.decimalTotal =
        old === 2 ? toDecimal(new Double(this.doubleTotal), 34) : decimalFromBigInt(this.longTotal);
    }
  }

  value(): BsonValue {
    if (this.isDate) return new Date(this.dateMillis());
    switch (this.widest) {
      case 0:
        return intOrLong(this.longTotal);
      case 1:
        return Long.fromBigInt(this.longTotal);
      case 2:
        return new Double(this.doubleTotal);
      case 3:
        return this.decimalTotal;
    }
  }

  private dateMillis(): number {
    switch (this.widest) {
      case 0:
      case 1:
        return Number(this.longTotal);
      case 2:
        if (!(this.doubleTotal >= -(2 ** 63) && this.doubleTotal < 2 ** 63)) {
          throw new MongoError('Overflow', 'date overflow in $add');
        }
        return roundHalfAwayFromZero(this.doubleTotal);
      case 3:
        // Decimal dates are not checked for overflow; invalid conversions give int64 min.
        return Number(decimalToLongOrMin(this.decimalTotal));
    }
  }
}

/** llround: nearest integer, halfway cases away from zero. */
export function roundHalfAwayFromZero(value: number): number {
  return value < 0 ? -Math.round(-value) : Math.round(value);
}

function addTypeError(value: Value): MongoError {
  return new MongoError(
    'TypeMismatch',
    `$add only supports numeric or date types, not ${typeName(value)}`,
  );
}

/**
 * $add. Int32 and Double operands, the common case, are summed in JS numbers, which gives the
 * server's answer exactly: ints stay below 2^53, and once a double appears the server also
 * adds in double, left to right. Any other operand hands the partial sum to AddState.
 */
function compileAdd(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operands = variadic(argument, context);
  return (root, variables) => {
    let sum = 0;
    let sawDouble = false;
    let i = 0;
    let value: Value;
    for (; i < operands.length; i++) {
      value = (operands[i] as CompiledExpression)(root, variables);
      const tag = (value as { _bsontype?: string } | null | undefined)?._bsontype;
      if (tag === 'Int32') sum += (value as Int32).value;
      else if (tag === 'Double') [sum, sawDouble] = [sum + (value as Double).value, true];
      else break;
    }
    if (i === operands.length) return sawDouble ? new Double(sum) : intOrLong(BigInt(sum));
    const state = new AddState();
    if (i > 0) state.add(sawDouble ? new Double(sum) : intOrLong(BigInt(sum)));
    for (;;) {
      if (isNullish(value)) return null;
      if (!isNumber(value) && !(value instanceof Date)) throw addTypeError(value);
      state.add(value);
      if (++i === operands.length) return state.value();
      value = (operands[i] as CompiledExpression)(root, variables);
    }
  };
}

/** The running state of $multiply (MultiplyState). */
class MultiplyState {
  private doubleProduct = 1;
  private longProduct = 1n;
  private decimalProduct = Decimal128.fromString('1');
  private type: Rank = 0;

  multiply(operand: BsonNumber): void {
    const old = this.type;
    this.type = Math.max(this.type, numericRank(operand)) as Rank;
    if (this.type === 3) {
      if (old !== 3) {
        this.decimalProduct =
          old === 2
            ? toDecimal(new Double(this.doubleProduct), 15)
            : decimalFromBigInt(this.longProduct);
      }
      this.decimalProduct = decimalMultiply(this.decimalProduct, toDecimal(operand));
      return;
    }
    this.doubleProduct *= toDouble(operand);
    if (this.type !== 2) {
      const product = this.longProduct * coerceToLong(operand);
      if (fitsInt64(product)) this.longProduct = product;
      else this.type = 2;
    }
  }

  value(): BsonValue {
    switch (this.type) {
      case 0:
        return intOrLong(this.longProduct);
      case 1:
        return Long.fromBigInt(this.longProduct);
      case 2:
        return new Double(this.doubleProduct);
      case 3:
        return this.decimalProduct;
    }
  }
}

function multiplyTypeError(value: Value): MongoError {
  return new MongoError(
    'TypeMismatch',
    `$multiply only supports numeric types, not ${typeName(value)}`,
  );
}

/** MultiplyState over operands already evaluated, then the rest of them. */
function multiplySlowly(
  seen: Value[],
  operands: CompiledExpression[],
  root: BsonDocument,
  variables: Variables,
): BsonValue {
  const state = new MultiplyState();
  for (let i = 0; i < operands.length; i++) {
    const value = i < seen.length ? seen[i] : (operands[i] as CompiledExpression)(root, variables);
    if (isNullish(value)) return null;
    if (!isNumber(value)) throw multiplyTypeError(value);
    state.multiply(value);
  }
  return state.value();
}

/**
 * $multiply. Int32 and Double operands multiply in JS numbers while an all-integer product
 * stays exact (below 2^53); the server's double product is also left to right from 1, so
 * doubles agree bit for bit. Anything else goes through MultiplyState.
 */
function compileMultiply(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operands = variadic(argument, context);
  return (root, variables) => {
    const seen: Value[] = [];
    let product = 1;
    let sawDouble = false;
    for (const operand of operands) {
      const value = operand(root, variables);
      seen.push(value);
      const tag = (value as { _bsontype?: string } | null | undefined)?._bsontype;
      if (tag === 'Double') {
        product *= (value as Double).value;
        sawDouble = true;
      } else if (tag === 'Int32') {
        product *= (value as Int32).value;
      } else {
        return multiplySlowly(seen, operands, root, variables);
      }
      if (!sawDouble && Math.abs(product) > 2 ** 53)
        return multiplySlowly(seen, operands, root, variables);
    }
    return sawDouble ? new Double(product) : intOrLong(BigInt(product));
  };
}

/** ExpressionSubtract::apply. */
export function subtractValues(left: Value, right: Value): BsonValue {
  if (isNumber(left) && isNumber(right)) {
    switch (Math.max(numericRank(left), numericRank(right))) {
      case 3:
        return decimalSubtract(toDecimal(left), toDecimal(right));
      case 2:
        return new Double(toDouble(left) - toDouble(right));
      case 1: {
        const difference = coerceToLong(left) - coerceToLong(right);
        if (fitsInt64(difference)) return Long.fromBigInt(difference);
        return new Double(toDouble(left) - toDouble(right));
      }
      default:
        return intOrLong(coerceToLong(left) - coerceToLong(right));
    }
  }
  if (isNullish(left) || isNullish(right)) return null;
  if (left instanceof Date) {
    if (right instanceof Date) return Long.fromNumber(left.getTime() - right.getTime());
    if (isNumber(right)) return new Date(left.getTime() - Number(coerceToLong(right)));
    throw new MongoError('TypeMismatch', `can't $subtract ${typeName(right)} from Date`);
  }
  throw new MongoError('TypeMismatch', `can't $subtract ${typeName(right)} from ${typeName(left)}`);
}

function compileSubtract(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const [left, right] = binary(argument, context);
  return (root, variables) => subtractValues(left(root, variables), right(root, variables));
}

/** ExpressionDivide::apply. */
export function divideValues(left: Value, right: Value): BsonValue {
  if (isNumber(left) && isNumber(right)) {
    if (left._bsontype === 'Decimal128' || right._bsontype === 'Decimal128') {
      const denominator = toDecimal(right);
      if (decimalIsZero(denominator)) throw new MongoError('BadValue', "can't $divide by zero");
      return decimalDivide(toDecimal(left), denominator);
    }
    const denominator = toDouble(right);
    if (denominator === 0) throw new MongoError('BadValue', "can't $divide by zero");
    return new Double(toDouble(left) / denominator);
  }
  if (isNullish(left) || isNullish(right)) return null;
  throw new MongoError(
    'TypeMismatch',
    `$divide only supports numeric types, not ${typeName(left)} and ${typeName(right)}`,
  );
}

function compileDivide(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const [left, right] = binary(argument, context);
  return (root, variables) => divideValues(left(root, variables), right(root, variables));
}

/** ExpressionMod::apply, including its integral-double divisor rule. */
export function modValues(left: Value, right: Value): BsonValue {
  if (isNumber(left) && isNumber(right)) {
    if (left._bsontype === 'Decimal128' || right._bsontype === 'Decimal128') {
      const divisor = toDecimal(right);
      if (decimalIsZero(divisor)) throw new MongoError(5733415, "can't $mod by zero");
      return decimalMod(toDecimal(left), divisor);
    }
    const divisor = toDouble(right);
    if (divisor === 0) throw new MongoError(16610, "can't $mod by zero");
    if (
      left._bsontype === 'Double' ||
      (right._bsontype === 'Double' && integral32(right) === undefined)
    ) {
      return new Double(toDouble(left) % divisor);
    }
    if (left._bsontype === 'Long' || right._bsontype === 'Long') {
      const divisorLong = coerceToLong(right);
      // safeMod: x % -1 is 0, which also avoids the int64 min / -1 overflow.
      return Long.fromBigInt(divisorLong === -1n ? 0n : coerceToLong(left) % divisorLong);
    }
    const divisorInt = coerceToInt(right);
    return intOrLong(divisorInt === -1 ? 0n : BigInt(coerceToInt(left) % divisorInt));
  }
  if (isNullish(left) || isNullish(right)) return null;
  throw new MongoError(
    16611,
    `$mod only supports numeric types, not ${typeName(left)} and ${typeName(right)}`,
  );
}

function compileMod(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const [left, right] = binary(argument, context);
  return (root, variables) => modValues(left(root, variables), right(root, variables));
}

export const arithmeticOperators: OperatorTable = {
  $add: compileAdd,
  $subtract: compileSubtract,
  $multiply: compileMultiply,
  $divide: compileDivide,
  $mod: compileMod,
};
