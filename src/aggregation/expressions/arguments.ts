/**
 * Operand-list parsing shared by the n-ary operators (ExpressionNary::parseArguments): an
 * array argument is the operand list, anything else is a single operand. Arity errors use the
 * server's codes and wording.
 */
import type { BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { CompiledExpression, OperatorContext } from './types.js';

export function operandList(argument: BsonValue): BsonValue[] {
  return Array.isArray(argument) ? argument : [argument];
}

/** All operands compiled, any count. */
export function variadic(argument: BsonValue, context: OperatorContext): CompiledExpression[] {
  return operandList(argument).map((operand) => context.compile(operand));
}

/** Exactly `count` operands (16020). */
export function fixedArity(
  argument: BsonValue,
  context: OperatorContext,
  count: number,
): CompiledExpression[] {
  const operands = operandList(argument);
  if (operands.length !== count) {
    throw new MongoError(
      16020,
      `Expression ${context.name} takes exactly ${count} arguments. ${operands.length} were passed in.`,
    );
  }
  return operands.map((operand) => context.compile(operand));
}

/** Between `min` and `max` operands (28667). */
export function rangedArity(
  argument: BsonValue,
  context: OperatorContext,
  min: number,
  max: number,
): CompiledExpression[] {
  const operands = operandList(argument);
  if (operands.length < min || operands.length > max) {
    throw new MongoError(
      28667,
      `Expression ${context.name} takes at least ${min} arguments, and at most ${max}, but ` +
        `${operands.length} were passed in.`,
    );
  }
  return operands.map((operand) => context.compile(operand));
}

/** The single operand of a one-argument operator. */
export function unary(argument: BsonValue, context: OperatorContext): CompiledExpression {
  return fixedArity(argument, context, 1)[0] as CompiledExpression;
}

/** Two operands, as a pair. */
export function binary(
  argument: BsonValue,
  context: OperatorContext,
): [CompiledExpression, CompiledExpression] {
  const [left, right] = fixedArity(argument, context, 2) as [
    CompiledExpression,
    CompiledExpression,
  ];
  return [left, right];
}
