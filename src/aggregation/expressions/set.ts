/**
 * Set operators over arrays with MongoDB equality (value-key.ts): $setEquals
 * $setIntersection $setUnion $setDifference $setIsSubset $anyElementTrue $allElementsTrue.
 * $setUnion and $setIntersection return their elements in MongoDB order, as the server's
 * ordered ValueSet does; $setDifference keeps the first array's order.
 */
import { compareValues } from '../../bson/compare.js';
import type { BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { binary, unary, variadic } from './arguments.js';
import { constantOf } from './constants.js';
import type { CompiledExpression, OperatorContext, OperatorTable } from './types.js';
import { ValueSet, valueKey } from './value-key.js';
import { coerceToBool, isNullish, typeName } from './values.js';

function sorted(values: BsonValue[]): BsonValue[] {
  return values.sort(compareValues);
}

function keySet(array: BsonValue[]): Set<string> {
  return new Set(array.map(valueKey));
}

function compileSetEquals(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operands = variadic(argument, context);
  if (operands.length < 2) {
    throw new MongoError(17045, `$setEquals needs at least two arguments had: ${operands.length}`);
  }
  return (root, variables) => {
    let first: Set<string> | undefined;
    for (let i = 0; i < operands.length; i++) {
      const value = (operands[i] as CompiledExpression)(root, variables);
      if (!Array.isArray(value)) {
        throw new MongoError(
          17044,
          `All operands of $setEquals must be arrays. ${i + 1}-th argument is of type: ${typeName(value)}`,
        );
      }
      const keys = keySet(value);
      if (first === undefined) {
        first = keys;
      } else if (keys.size !== first.size || ![...keys].every((key) => first?.has(key))) {
        return false;
      }
    }
    return true;
  };
}

function compileSetIntersection(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operands = variadic(argument, context);
  return (root, variables) => {
    let current: ValueSet | undefined;
    for (const operand of operands) {
      const value = operand(root, variables);
      if (isNullish(value)) return null;
      if (!Array.isArray(value)) {
        throw new MongoError(
          17047,
          `All operands of $setIntersection must be arrays. One argument is of type: ${typeName(value)}`,
        );
      }
      const next = new ValueSet();
      for (const element of value) next.add(element);
      if (current === undefined) {
        current = next;
        continue;
      }
      // Like the server, iterate the smaller set: equal values keep that set's representative.
      const [smaller, larger] = current.size > next.size ? [next, current] : [current, next];
      const kept = new ValueSet();
      for (const element of smaller.values()) if (larger.has(element)) kept.add(element);
      current = kept;
    }
    return sorted(current?.values() ?? []);
  };
}

function compileSetUnion(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operands = variadic(argument, context);
  return (root, variables) => {
    const union = new ValueSet();
    for (const operand of operands) {
      const value = operand(root, variables);
      if (isNullish(value)) return null;
      if (!Array.isArray(value)) {
        throw new MongoError(
          17043,
          `All operands of $setUnion must be arrays. One argument is of type: ${typeName(value)}`,
        );
      }
      for (const element of value) union.add(element);
    }
    return sorted(union.values());
  };
}

function compileSetDifference(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const [left, right] = binary(argument, context);
  return (root, variables) => {
    const lhs = left(root, variables);
    const rhs = right(root, variables);
    if (isNullish(lhs) || isNullish(rhs)) return null;
    if (!Array.isArray(lhs)) {
      throw new MongoError(
        17048,
        `both operands of $setDifference must be arrays. First argument is of type: ${typeName(lhs)}`,
      );
    }
    if (!Array.isArray(rhs)) {
      throw new MongoError(
        17049,
        `both operands of $setDifference must be arrays. Second argument is of type: ${typeName(rhs)}`,
      );
    }
    const seen = keySet(rhs);
    const result: BsonValue[] = [];
    for (const element of lhs) {
      const key = valueKey(element);
      if (seen.has(key)) continue;
      seen.add(key);
      result.push(element);
    }
    return result;
  };
}

function compileSetIsSubset(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const [left, right] = binary(argument, context);
  const constantRight = constantOf(right);
  const firstMessage = (value: BsonValue | undefined): string =>
    `both operands of $setIsSubset must be arrays. First argument is of type: ${typeName(value)}`;
  const secondMessage = (value: BsonValue | undefined): string =>
    `both operands of $setIsSubset must be arrays. Second argument is of type: ${typeName(value)}`;
  if (constantRight !== undefined && constantOf(left) === undefined) {
    // The server pre-hashes a constant right-hand side, with its own error codes.
    if (!Array.isArray(constantRight.value))
      throw new MongoError(17311, secondMessage(constantRight.value));
    const keys = keySet(constantRight.value);
    return (root, variables) => {
      const lhs = left(root, variables);
      if (!Array.isArray(lhs)) throw new MongoError(17310, firstMessage(lhs));
      return lhs.every((element) => keys.has(valueKey(element)));
    };
  }
  return (root, variables) => {
    const lhs = left(root, variables);
    const rhs = right(root, variables);
    if (!Array.isArray(lhs)) throw new MongoError(17046, firstMessage(lhs));
    if (!Array.isArray(rhs)) throw new MongoError(17042, secondMessage(rhs));
    const keys = keySet(rhs);
    return lhs.every((element) => keys.has(valueKey(element)));
  };
}

function compileElementsTrue(all: boolean) {
  return (argument: BsonValue, context: OperatorContext): CompiledExpression => {
    const operand = unary(argument, context);
    return (root, variables) => {
      const value = operand(root, variables);
      if (!Array.isArray(value)) {
        throw new MongoError(
          all ? 17040 : 17041,
          `${context.name}'s argument must be an array, but is ${typeName(value)}`,
        );
      }
      return all ? value.every(coerceToBool) : value.some(coerceToBool);
    };
  };
}

export const setOperators: OperatorTable = {
  $setEquals: compileSetEquals,
  $setIntersection: compileSetIntersection,
  $setUnion: compileSetUnion,
  $setDifference: compileSetDifference,
  $setIsSubset: compileSetIsSubset,
  $anyElementTrue: compileElementsTrue(false),
  $allElementsTrue: compileElementsTrue(true),
};
