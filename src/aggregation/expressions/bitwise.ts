/**
 * $bitAnd $bitOr $bitXor $bitNot (MongoDB 6.3+): int and long operands only, a long result
 * when any operand is a long. Done in bigint so 64-bit values never pass through a double.
 */
import { Int32, Long } from 'bson';
import type { BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { unary, variadic } from './arguments.js';
import type { CompiledExpression, OperatorContext, OperatorTable } from './types.js';
import { isNullish } from './values.js';
import type { Value } from './values.js';

function integer(value: Value, name: string): { value: bigint; long: boolean } {
  const tag = (value as { _bsontype?: string } | null | undefined)?._bsontype;
  if (tag === 'Int32') return { value: BigInt((value as Int32).value), long: false };
  if (tag === 'Long') return { value: (value as Long).toBigInt(), long: true };
  throw new MongoError('TypeMismatch', `${name} only supports int and long operands.`);
}

function pack(value: bigint, long: boolean): BsonValue {
  return long
    ? Long.fromBigInt(BigInt.asIntN(64, value))
    : new Int32(Number(BigInt.asIntN(32, value)));
}

function compileBitwise(identity: bigint, combine: (a: bigint, b: bigint) => bigint) {
  return (argument: BsonValue, context: OperatorContext): CompiledExpression => {
    const operands = variadic(argument, context);
    return (root, variables) => {
      let accumulated = identity;
      let long = false;
      for (const operand of operands) {
        const value = operand(root, variables);
        if (isNullish(value)) return null;
        const parsed = integer(value, context.name);
        long ||= parsed.long;
        accumulated = combine(accumulated, parsed.value);
      }
      return pack(accumulated, long);
    };
  };
}

function compileBitNot(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operand = unary(argument, context);
  return (root, variables) => {
    const value = operand(root, variables);
    if (isNullish(value)) return null;
    const parsed = integer(value, context.name);
    return pack(~parsed.value, parsed.long);
  };
}

export const bitwiseOperators: OperatorTable = {
  $bitAnd: compileBitwise(-1n, (a, b) => a & b),
  $bitOr: compileBitwise(0n, (a, b) => a | b),
  $bitXor: compileBitwise(0n, (a, b) => a ^ b),
  $bitNot: compileBitNot,
};
