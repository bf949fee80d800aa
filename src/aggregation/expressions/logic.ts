/**
 * Boolean and conditional operators: $and $or $not (coerceToBool semantics, short-circuit),
 * $cond (array and named forms), $ifNull (n arguments) and $switch.
 */
import { isDocument } from '../../bson/types.js';
import type { BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { fixedArity, unary, variadic } from './arguments.js';
import type { CompiledExpression, OperatorContext, OperatorTable } from './types.js';
import { coerceToBool, isNullish, typeName } from './values.js';

function compileAnd(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operands = variadic(argument, context);
  return (root, variables) => {
    for (const operand of operands) if (!coerceToBool(operand(root, variables))) return false;
    return true;
  };
}

function compileOr(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operands = variadic(argument, context);
  return (root, variables) => {
    for (const operand of operands) if (coerceToBool(operand(root, variables))) return true;
    return false;
  };
}

function compileNot(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operand = unary(argument, context);
  return (root, variables) => !coerceToBool(operand(root, variables));
}

function compileCond(argument: BsonValue, context: OperatorContext): CompiledExpression {
  let condition: CompiledExpression | undefined;
  let then: CompiledExpression | undefined;
  let otherwise: CompiledExpression | undefined;
  if (isDocument(argument)) {
    for (const [key, value] of Object.entries(argument)) {
      if (key === 'if') condition = context.compile(value);
      else if (key === 'then') then = context.compile(value);
      else if (key === 'else') otherwise = context.compile(value);
      else throw new MongoError(17083, `Unrecognized parameter to $cond: ${key}`);
    }
    if (condition === undefined) throw new MongoError(17080, "Missing 'if' parameter to $cond");
    if (then === undefined) throw new MongoError(17081, "Missing 'then' parameter to $cond");
    if (otherwise === undefined) throw new MongoError(17082, "Missing 'else' parameter to $cond");
  } else {
    [condition, then, otherwise] = fixedArity(argument, context, 3) as [
      CompiledExpression,
      CompiledExpression,
      CompiledExpression,
    ];
  }
  const [ifExpression, thenExpression, elseExpression] = [condition, then, otherwise];
  return (root, variables) =>
    coerceToBool(ifExpression(root, variables))
      ? thenExpression(root, variables)
      : elseExpression(root, variables);
}

function compileIfNull(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operands = variadic(argument, context);
  if (operands.length < 2) {
    throw new MongoError(1257300, `$ifNull needs at least two arguments, had: ${operands.length}`);
  }
  const last = operands.length - 1;
  return (root, variables) => {
    for (let i = 0; i < last; i++) {
      const value = (operands[i] as CompiledExpression)(root, variables);
      if (!isNullish(value)) return value;
    }
    return (operands[last] as CompiledExpression)(root, variables);
  };
}

interface Branch {
  condition: CompiledExpression;
  then: CompiledExpression;
}

function parseBranch(branch: BsonValue, context: OperatorContext): Branch {
  if (!isDocument(branch)) {
    throw new MongoError(
      40062,
      `$switch expected each branch to be an object, found: ${typeName(branch)}`,
    );
  }
  let condition: CompiledExpression | undefined;
  let then: CompiledExpression | undefined;
  for (const [key, value] of Object.entries(branch)) {
    if (key === 'case') condition = context.compile(value);
    else if (key === 'then') then = context.compile(value);
    else throw new MongoError(40063, `$switch found an unknown argument to a branch: ${key}`);
  }
  if (condition === undefined) {
    throw new MongoError(40064, "$switch requires each branch have a 'case' expression");
  }
  if (then === undefined) {
    throw new MongoError(40065, "$switch requires each branch have a 'then' expression.");
  }
  return { condition, then };
}

function compileSwitch(argument: BsonValue, context: OperatorContext): CompiledExpression {
  if (!isDocument(argument)) {
    throw new MongoError(
      40060,
      `$switch requires an object as an argument, found: ${typeName(argument)}`,
    );
  }
  const branches: Branch[] = [];
  let fallback: CompiledExpression | undefined;
  for (const [key, value] of Object.entries(argument)) {
    if (key === 'branches') {
      if (!Array.isArray(value)) {
        throw new MongoError(
          40061,
          `$switch expected an array for 'branches', found: ${typeName(value)}`,
        );
      }
      for (const branch of value) branches.push(parseBranch(branch, context));
    } else if (key === 'default') {
      fallback = context.compile(value);
    } else {
      throw new MongoError(40067, `$switch found an unknown argument: ${key}`);
    }
  }
  if (branches.length === 0) throw new MongoError(40068, '$switch requires at least one branch.');
  return (root, variables) => {
    for (const branch of branches) {
      if (coerceToBool(branch.condition(root, variables))) return branch.then(root, variables);
    }
    if (fallback === undefined) {
      throw new MongoError(
        40066,
        '$switch could not find a matching branch for an input, and no default was specified.',
      );
    }
    return fallback(root, variables);
  };
}

export const logicOperators: OperatorTable = {
  $and: compileAnd,
  $or: compileOr,
  $not: compileNot,
  $cond: compileCond,
  $ifNull: compileIfNull,
  $switch: compileSwitch,
};
