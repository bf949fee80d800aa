/**
 * Single-number math: $abs $ceil $floor $exp $ln $log $log10 $pow $sqrt $round $trunc, with
 * the server's result types (ExpressionSingleNumericArg and friends in expression.cpp).
 * Decimal inputs stay decimal; integral $pow stays integral while the result fits in int64.
 */
import type { Decimal128 } from 'bson';
import { Double, Int32, Long } from 'bson';
import { numericRank, toDouble } from '../../bson/arith.js';
import type { BsonNumber } from '../../bson/compare-numbers.js';
import { compareNumbers } from '../../bson/compare-numbers.js';
import { isNumber } from '../../bson/types.js';
import type { BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { binary, rangedArity, unary } from './arguments.js';
import {
  decimalAbs,
  decimalDivide,
  decimalExp,
  decimalLn,
  decimalLog10,
  decimalPow,
  decimalSqrt,
} from './decimal-bridge.js';
import {
  decimalIsInfinite,
  decimalIsNaN,
  decimalIsZero,
  decimalQuantize,
  decimalSign,
  roundDoubleAtPlaces,
  toDecimal,
} from './decimal-math.js';
import type { RoundingMode } from './decimal-math.js';
import { formatDouble } from './number-format.js';
import type { CompiledExpression, OperatorContext, OperatorTable } from './types.js';
import {
  coerceToLong,
  int32Max,
  int32Min,
  int64Max,
  int64Min,
  integral32,
  intOrLong,
  isNullish,
  typeName,
} from './values.js';

/** ExpressionSingleNumericArg: null stays null, non-numbers fail with 28765. */
function singleNumeric(
  evaluateNumber: (value: BsonNumber) => BsonValue,
): (argument: BsonValue, context: OperatorContext) => CompiledExpression {
  return (argument, context) => {
    const operand = unary(argument, context);
    return (root, variables) => {
      const value = operand(root, variables);
      if (isNullish(value)) return null;
      if (!isNumber(value)) {
        throw new MongoError(
          28765,
          `${context.name} only supports numeric types, not ${typeName(value)}`,
        );
      }
      return evaluateNumber(value);
    };
  };
}

function abs(value: BsonNumber): BsonValue {
  switch (value._bsontype) {
    case 'Double':
      return new Double(Math.abs(value.value));
    case 'Decimal128':
      return decimalAbs(value);
    case 'Int32':
      return intOrLong(BigInt(Math.abs(value.value)));
    case 'Long': {
      const big = value.toBigInt();
      if (big === int64Min) throw new MongoError(28680, "can't take $abs of long long min");
      return Long.fromBigInt(big < 0n ? -big : big);
    }
  }
}

function roundToInteger(mode: 'floor' | 'ceiling'): (value: BsonNumber) => BsonValue {
  return (value) => {
    switch (value._bsontype) {
      case 'Double':
        return new Double(mode === 'floor' ? Math.floor(value.value) : Math.ceil(value.value));
      case 'Decimal128':
        return decimalQuantize(value, 0, mode);
      case 'Int32':
      case 'Long':
        return value;
    }
  };
}

function exp(value: BsonNumber): BsonValue {
  if (value._bsontype === 'Decimal128') return decimalExp(value);
  return new Double(Math.exp(toDouble(value)));
}

/** $ln and $log10: decimals above zero stay decimal; everything else goes through double. */
function logarithm(
  code: number,
  name: string,
  decimalLog: (value: Decimal128) => Decimal128,
  doubleLog: (value: number) => number,
): (value: BsonNumber) => BsonValue {
  return (value) => {
    if (value._bsontype === 'Decimal128' && decimalSign(value) > 0 && !decimalIsNaN(value)) {
      return decimalLog(value);
    }
    const asDouble = toDouble(value);
    if (!(asDouble > 0 || Number.isNaN(asDouble))) {
      throw new MongoError(
        code,
        `${name}'s argument must be a positive number, but is ${formatDouble(asDouble)}`,
      );
    }
    return new Double(doubleLog(asDouble));
  };
}

function sqrt(value: BsonNumber): BsonValue {
  if (value._bsontype === 'Decimal128') {
    if (decimalSign(value) < 0) throw negativeSqrt();
    return decimalSqrt(value);
  }
  const asDouble = toDouble(value);
  if (asDouble < 0) throw negativeSqrt();
  return new Double(Math.sqrt(asDouble));
}

function negativeSqrt(): MongoError {
  return new MongoError(28714, "$sqrt's argument must be greater than or equal to 0");
}

function compileLog(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const [argumentExpression, baseExpression] = binary(argument, context);
  return (root, variables) => {
    const value = argumentExpression(root, variables);
    const base = baseExpression(root, variables);
    if (isNullish(value) || isNullish(base)) return null;
    if (!isNumber(value)) {
      throw new MongoError(28756, `$log's argument must be numeric, not ${typeName(value)}`);
    }
    if (!isNumber(base)) {
      throw new MongoError(28757, `$log's base must be numeric, not ${typeName(base)}`);
    }
    if (value._bsontype === 'Decimal128' || base._bsontype === 'Decimal128') {
      const decimalValue = toDecimal(value);
      const decimalBase = toDecimal(base);
      const baseIsOne = isDecimalOne(decimalBase);
      if (decimalSign(decimalValue) > 0 && decimalSign(decimalBase) > 0 && !baseIsOne) {
        return decimalDivide(decimalLn(decimalValue), decimalLn(decimalBase));
      }
    }
    const valueDouble = toDouble(value);
    const baseDouble = toDouble(base);
    if (!(valueDouble > 0 || Number.isNaN(valueDouble))) {
      throw new MongoError(
        28758,
        `$log's argument must be a positive number, but is ${formatDouble(valueDouble)}`,
      );
    }
    if (!((baseDouble > 0 && baseDouble !== 1) || Number.isNaN(baseDouble))) {
      throw new MongoError(
        28759,
        `$log's base must be a positive number not equal to 1, but is ${formatDouble(baseDouble)}`,
      );
    }
    return new Double(Math.log(valueDouble) / Math.log(baseDouble));
  };
}

function isDecimalOne(value: Decimal128): boolean {
  return compareNumbers(value, new Int32(1)) === 0;
}

/** C's pow: JS disagrees for pow(1, NaN) and pow(-1, ±Infinity), which C defines as 1. */
function cPow(base: number, exponent: number): number {
  if (base === 1) return 1;
  if (base === -1 && (exponent === Infinity || exponent === -Infinity)) return 1;
  return Math.pow(base, exponent);
}

function compilePow(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const [baseExpression, exponentExpression] = binary(argument, context);
  return (root, variables) => {
    const base = baseExpression(root, variables);
    const exponent = exponentExpression(root, variables);
    if (isNullish(base) || isNullish(exponent)) return null;
    if (!isNumber(base)) {
      throw new MongoError(28762, `$pow's base must be numeric, not ${typeName(base)}`);
    }
    if (!isNumber(exponent)) {
      throw new MongoError(28763, `$pow's exponent must be numeric, not ${typeName(exponent)}`);
    }
    return power(base, exponent);
  };
}

function zeroToNegative(): MongoError {
  return new MongoError(28764, '$pow cannot take a base of 0 and a negative exponent');
}

function power(base: BsonNumber, exponent: BsonNumber): BsonValue {
  if (base._bsontype === 'Decimal128' || exponent._bsontype === 'Decimal128') {
    const decimalBase = toDecimal(base);
    const decimalExponent = toDecimal(exponent);
    if (decimalIsZero(decimalBase) && decimalSign(decimalExponent) < 0) throw zeroToNegative();
    return decimalPow(decimalBase, decimalExponent);
  }
  const baseDouble = toDouble(base);
  const exponentDouble = toDouble(exponent);
  if (baseDouble === 0 && exponentDouble < 0) throw zeroToNegative();
  if (base._bsontype === 'Double' || exponent._bsontype === 'Double') {
    return new Double(cPow(baseDouble, exponentDouble));
  }
  return integralPower(
    coerceToLong(base),
    coerceToLong(exponent),
    Math.max(numericRank(base), numericRank(exponent)) === 1,
  );
}

function integralPower(base: bigint, exponent: bigint, anyLong: boolean): BsonValue {
  const format = (result: bigint): BsonValue =>
    anyLong ? Long.fromBigInt(result) : intOrLong(result);
  if (base === 0n) return format(exponent === 0n ? 1n : 0n);
  if (base === 1n) return format(1n);
  if (base === -1n) return format(exponent % 2n === 0n ? 1n : -1n);
  const asDouble = (): BsonValue => new Double(cPow(Number(base), Number(exponent)));
  if (exponent > 63n || exponent < 0n) return asDouble();
  const result = base ** exponent;
  return result >= int64Min && result <= int64Max ? format(result) : asDouble();
}

const maxPrecision = 100n;
const minPrecision = -20n;

/** $round and $trunc (evaluateRoundOrTrunc). */
function roundOrTrunc(
  mode: RoundingMode,
): (argument: BsonValue, context: OperatorContext) => CompiledExpression {
  return (argument, context) => {
    const [valueExpression, precisionExpression] = rangedArity(argument, context, 1, 2);
    return (root, variables) => {
      const value = (valueExpression as CompiledExpression)(root, variables);
      if (isNullish(value)) return null;
      if (!isNumber(value)) {
        throw new MongoError(
          51081,
          `${context.name} only supports numeric types, not ${typeName(value)}`,
        );
      }
      let places = 0n;
      if (precisionExpression !== undefined) {
        const precision = precisionExpression(root, variables);
        if (isNullish(precision)) return null;
        places = coercePrecision(precision, context.name);
      }
      return roundAtPlaces(value, Number(places), mode, context.name);
    };
  };
}

function coercePrecision(precision: BsonValue, name: string): bigint {
  if (!isNumber(precision)) {
    throw new MongoError(16004, `can't convert from BSON type ${typeName(precision)} to long`);
  }
  const places = coerceToLong(precision);
  if (integral32(precision) === undefined) {
    throw new MongoError(51082, `precision argument to  ${name} must be a integral value`);
  }
  if (places < minPrecision || places > maxPrecision) {
    throw new MongoError(
      51083,
      `cannot apply ${name} with precision value ${places} value must be in [-20, 100]`,
    );
  }
  return places;
}

function roundAtPlaces(
  value: BsonNumber,
  places: number,
  mode: RoundingMode,
  name: string,
): BsonValue {
  switch (value._bsontype) {
    case 'Decimal128':
      return decimalIsInfinite(value) ? value : decimalQuantize(value, -places, mode);
    case 'Double':
      return new Double(roundDoubleAtPlaces(value.value, places, mode));
    case 'Int32':
    case 'Long': {
      if (places >= 0) return value;
      const integer = coerceToLong(value);
      const result = roundInteger(integer, -places, mode);
      if (result < int64Min || result > int64Max) {
        throw new MongoError(
          51080,
          `invalid conversion from Decimal128 result in ${name} resulting from arguments: [${integer}, ${places}]`,
        );
      }
      if (value._bsontype === 'Long' || result > BigInt(int32Max) || result < BigInt(int32Min)) {
        return Long.fromBigInt(result);
      }
      return intOrLong(result);
    }
  }
}

/** An integer rounded to a multiple of 10^digits (Decimal128 quantize on an integer). */
function roundInteger(integer: bigint, digits: number, mode: RoundingMode): bigint {
  const unit = 10n ** BigInt(digits);
  let quotient = integer / unit;
  const remainder = integer % unit;
  if (remainder !== 0n) {
    const away = integer < 0n ? -1n : 1n;
    const twice = (remainder < 0n ? -remainder : remainder) * 2n;
    if (mode === 'halfEven' && (twice > unit || (twice === unit && quotient % 2n !== 0n))) {
      quotient += away;
    } else if ((mode === 'floor' && integer < 0n) || (mode === 'ceiling' && integer > 0n)) {
      quotient += away;
    }
  }
  return quotient * unit;
}

export const mathOperators: OperatorTable = {
  $abs: singleNumeric(abs),
  $ceil: singleNumeric(roundToInteger('ceiling')),
  $floor: singleNumeric(roundToInteger('floor')),
  $exp: singleNumeric(exp),
  $ln: singleNumeric(logarithm(28766, '$ln', decimalLn, Math.log)),
  $log10: singleNumeric(logarithm(28761, '$log10', decimalLog10, Math.log10)),
  $sqrt: singleNumeric(sqrt),
  $log: compileLog,
  $pow: compilePow,
  $round: roundOrTrunc('halfEven'),
  $trunc: roundOrTrunc('towardZero'),
};
