/**
 * Trigonometric operators ($sin ... $atanh, $atan2, $degreesToRadians, $radiansToDegrees):
 * doubles and integers give doubles; decimals give decimals. Inputs outside an operator's
 * domain fail with 50989 (expression_trigonometric.h). Decimal results are computed through
 * double precision, since Shoal has no decimal transcendental functions.
 */
import type { Decimal128 } from 'bson';
import { Double } from 'bson';
import { toDouble } from '../../bson/arith.js';
import type { BsonNumber } from '../../bson/compare-numbers.js';
import { isNumber } from '../../bson/types.js';
import type { BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { binary, unary } from './arguments.js';
import { decimalToDouble, toDecimal } from './decimal-math.js';
import { formatDouble } from './number-format.js';
import type { CompiledExpression, OperatorContext, OperatorTable } from './types.js';
import { isNullish, typeName } from './values.js';

interface Bounds {
  text: string;
  contains(value: number): boolean;
}

const anyFinite: Bounds = { text: '(-inf,inf)', contains: (x) => Number.isFinite(x) };
const unitInterval: Bounds = { text: '[-1,1]', contains: (x) => x >= -1 && x <= 1 };
const atLeastOne: Bounds = { text: '[1,inf]', contains: (x) => x >= 1 };

function trigonometric(fn: (x: number) => number, bounds?: Bounds) {
  return (argument: BsonValue, context: OperatorContext): CompiledExpression => {
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
      const input = value._bsontype === 'Decimal128' ? decimalToDouble(value) : toDouble(value);
      if (Number.isNaN(input))
        return value._bsontype === 'Int32' || value._bsontype === 'Long' ? new Double(NaN) : value;
      if (bounds !== undefined && !bounds.contains(input)) {
        const shown = value._bsontype === 'Decimal128' ? value.toString() : formatDouble(input);
        throw new MongoError(
          50989,
          `cannot apply ${context.name} to ${shown}, value must be in ${bounds.text}`,
        );
      }
      return result(fn(input), value);
    };
  };
}

function result(output: number, input: BsonNumber): BsonValue {
  return input._bsontype === 'Decimal128' ? asDecimal(output) : new Double(output);
}

function asDecimal(value: number): Decimal128 {
  return toDecimal(new Double(value), 34);
}

function compileAtan2(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const [yExpression, xExpression] = binary(argument, context);
  return (root, variables) => {
    const y = yExpression(root, variables);
    if (isNullish(y)) return null;
    if (!isNumber(y))
      throw new MongoError(51044, `$atan2 only supports numeric types, not ${typeName(y)}`);
    const x = xExpression(root, variables);
    if (isNullish(x)) return null;
    if (!isNumber(x))
      throw new MongoError(51045, `$atan2 only supports numeric types, not ${typeName(x)}`);
    const value = Math.atan2(toDouble(y), toDouble(x));
    return y._bsontype === 'Decimal128' || x._bsontype === 'Decimal128'
      ? asDecimal(value)
      : new Double(value);
  };
}

export const trigonometryOperators: OperatorTable = {
  $sin: trigonometric(Math.sin, anyFinite),
  $cos: trigonometric(Math.cos, anyFinite),
  $tan: trigonometric(Math.tan, anyFinite),
  $asin: trigonometric(Math.asin, unitInterval),
  $acos: trigonometric(Math.acos, unitInterval),
  $atan: trigonometric(Math.atan),
  $atan2: compileAtan2,
  $sinh: trigonometric(Math.sinh),
  $cosh: trigonometric(Math.cosh),
  $tanh: trigonometric(Math.tanh),
  $asinh: trigonometric(Math.asinh),
  $acosh: trigonometric(Math.acosh, atLeastOne),
  $atanh: trigonometric(Math.atanh, unitInterval),
  $degreesToRadians: trigonometric((x) => (x * Math.PI) / 180),
  $radiansToDegrees: trigonometric((x) => (x * 180) / Math.PI),
};
