/**
 * $inc and $mul (arithmetic_node.cpp) with SafeNum's result types: Int32 overflow widens
 * to Int64, Int64 overflow fails, a missing field gets the increment ($inc) or a zero of
 * the multiplier's type ($mul). A result identical in type and value is a no-op.
 */
import { Int32 } from 'bson';
import type { BsonNumber } from '../../../bson/compare-numbers.js';
import type { BsonValue } from '../../../bson/types.js';
import { bsonTypeName, bsonTypeOf, isNumber } from '../../../bson/types.js';
import { MongoError } from '../../../errors/mongo-error.js';
import { bsonElementToString } from '../../../bson/to-string.js';
import type { Modifier, ModifierTarget } from '../modifier.js';
import { unchanged } from '../modifier.js';
import { isIdentical, safeAdd, safeMultiply, safeNumDebugString } from '../safe-number.js';

export type ArithmeticOperator = '$inc' | '$mul';

export function arithmeticModifier(
  operator: ArithmeticOperator,
  field: string,
  operand: BsonValue,
): Modifier {
  if (!isNumber(operand)) {
    const verb = operator === '$inc' ? 'increment' : 'multiply';
    throw new MongoError(
      'TypeMismatch',
      `Cannot ${verb} with non-numeric argument: {${bsonElementToString(field, operand)}}`,
    );
  }
  const apply = operator === '$inc' ? safeAdd : safeMultiply;
  return {
    allowCreation: true,
    updateExisting(current, target) {
      if (!isNumber(current)) throw nonNumeric(operator, current, target);
      const result = apply(operand, current);
      if (result !== undefined && isIdentical(result, current)) return unchanged;
      if (result === undefined) throw overflow(operator, current, target);
      return result;
    },
    valueForNew(target) {
      if (operator === '$inc') return operand;
      const zero = safeMultiply(operand, new Int32(0));
      if (zero === undefined) throw overflow(operator, operand, target);
      return zero;
    },
  };
}

function nonNumeric(operator: string, current: BsonValue, target: ModifierTarget): MongoError {
  return new MongoError(
    'TypeMismatch',
    `Cannot apply ${operator} to a value of non-numeric type. {${target.doc.idDescription()}} ` +
      `has the field '${target.name}' of non-numeric type ${bsonTypeName(bsonTypeOf(current))}`,
  );
}

function overflow(operator: string, current: BsonNumber, target: ModifierTarget): MongoError {
  return new MongoError(
    'BadValue',
    `Failed to apply ${operator} operations to current value (${safeNumDebugString(current)}) ` +
      `for document {${target.doc.idDescription()}}`,
  );
}
