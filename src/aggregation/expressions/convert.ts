/**
 * $convert with onError/onNull, its shorthands ($toBool $toInt $toLong $toDouble $toDecimal
 * $toString $toDate $toObjectId), $type and $isNumber. Only ConversionFailure is caught by
 * onError; errors in the 'to' argument or in the input expression itself propagate.
 */
import { BsonType, isDocument, isNumber } from '../../bson/types.js';
import type { BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { operandList, unary } from './arguments.js';
import { convertValue } from './conversions.js';
import type { CompiledExpression, OperatorContext, OperatorTable } from './types.js';
import { coerceToInt, integral32, isNullish, typeName } from './values.js';
import type { Value } from './values.js';

const validTypeNumbers = new Set([-1, 0, ...Array.from({ length: 19 }, (_, i) => i + 1), 127]);

/** computeTargetType: a type name ("missing" included) or number. */
function targetType(value: BsonValue): number {
  if (typeof value === 'string') {
    if (value === 'missing') return 0;
    const code = (BsonType as Readonly<Record<string, number>>)[value];
    if (code === undefined || !Object.hasOwn(BsonType, value)) {
      throw new MongoError('BadValue', `Unknown type name: ${value}`);
    }
    return code;
  }
  if (isNumber(value)) {
    if (integral32(value) === undefined) {
      throw new MongoError('FailedToParse', "In $convert, numeric 'to' argument is not an integer");
    }
    const code = coerceToInt(value);
    if (!validTypeNumbers.has(code)) {
      throw new MongoError(
        'FailedToParse',
        `In $convert, numeric value for 'to' does not correspond to a BSON type: ${code}`,
      );
    }
    return code;
  }
  throw new MongoError(
    'FailedToParse',
    `$convert's 'to' argument must be a string or number, but is ${typeName(value)}`,
  );
}

interface ConvertParts {
  input: CompiledExpression;
  to: CompiledExpression;
  onError: CompiledExpression | undefined;
  onNull: CompiledExpression | undefined;
}

function buildConvert({ input, to, onError, onNull }: ConvertParts): CompiledExpression {
  return (root, variables) => {
    const toValue: Value = to(root, variables);
    const value = input(root, variables);
    const target = isNullish(toValue) ? undefined : targetType(toValue);
    if (isNullish(value)) return onNull === undefined ? null : onNull(root, variables);
    if (target === undefined) return null;
    try {
      return convertValue(value, target);
    } catch (error) {
      if (
        onError !== undefined &&
        error instanceof MongoError &&
        error.codeName === 'ConversionFailure'
      ) {
        return onError(root, variables);
      }
      throw error;
    }
  };
}

function compileConvert(argument: BsonValue, context: OperatorContext): CompiledExpression {
  if (!isDocument(argument)) {
    throw new MongoError(
      'FailedToParse',
      `$convert expects an object of named arguments but found: ${typeName(argument)}`,
    );
  }
  const parts: Partial<ConvertParts> = {};
  for (const [key, value] of Object.entries(argument)) {
    if (key === 'input' || key === 'to' || key === 'onError' || key === 'onNull') {
      parts[key] = context.compile(value);
    } else {
      throw new MongoError('FailedToParse', `$convert found an unknown argument: ${key}`);
    }
  }
  if (parts.input === undefined)
    throw new MongoError('FailedToParse', "Missing 'input' parameter to $convert");
  if (parts.to === undefined)
    throw new MongoError('FailedToParse', "Missing 'to' parameter to $convert");
  return buildConvert({
    input: parts.input,
    to: parts.to,
    onError: parts.onError,
    onNull: parts.onNull,
  });
}

/** makeConversionAlias: one operand (optionally wrapped in an array), no onError/onNull. */
function conversionAlias(target: string) {
  return (argument: BsonValue, context: OperatorContext): CompiledExpression => {
    const operands = operandList(argument);
    if (operands.length !== 1) {
      throw new MongoError(
        50723,
        `${context.name} requires a single argument, got ${operands.length}`,
      );
    }
    const input = context.compile(operands[0]);
    const to = context.compile(target);
    return buildConvert({ input, to, onError: undefined, onNull: undefined });
  };
}

function compileType(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operand = unary(argument, context);
  return (root, variables) => typeName(operand(root, variables));
}

function compileIsNumber(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operand = unary(argument, context);
  return (root, variables) => isNumber(operand(root, variables));
}

export const conversionOperators: OperatorTable = {
  $convert: compileConvert,
  $toBool: conversionAlias('bool'),
  $toInt: conversionAlias('int'),
  $toLong: conversionAlias('long'),
  $toDouble: conversionAlias('double'),
  $toDecimal: conversionAlias('decimal'),
  $toString: conversionAlias('string'),
  $toDate: conversionAlias('date'),
  $toObjectId: conversionAlias('objectId'),
  $type: compileType,
  $isNumber: compileIsNumber,
};
