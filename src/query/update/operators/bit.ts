/**
 * $bit (bit_node.cpp): and/or/xor with Int32 or Int64 operands, applied in the order
 * given, on an integral field; a missing field starts from Int32(0).
 */
import { Int32 } from 'bson';
import type { Long } from 'bson';
import type { BsonValue } from '../../../bson/types.js';
import { bsonTypeName, bsonTypeOf, isDocument } from '../../../bson/types.js';
import { MongoError } from '../../../errors/mongo-error.js';
import { bsonElementToString } from '../../../bson/to-string.js';
import type { Modifier } from '../modifier.js';
import { unchanged } from '../modifier.js';
import type { BitOperator } from '../safe-number.js';
import { isIdentical, safeBitwise } from '../safe-number.js';

interface BitOperation {
  readonly operator: BitOperator;
  readonly operand: Int32 | Long;
}

const usage = '{$bit: {field: {and/or/xor: #}}';

export function bitModifier(value: BsonValue): Modifier {
  const operations = parseOperations(value);
  const run = (start: Int32 | Long): Int32 | Long =>
    operations.reduce((acc, op) => safeBitwise(acc, op.operand, op.operator), start);
  return {
    allowCreation: true,
    updateExisting(current, target) {
      if (!isIntegral(current)) {
        throw new MongoError(
          'BadValue',
          `Cannot apply $bit to a value of non-integral type.${target.doc.idDescription()} has ` +
            `the field ${target.name} of non-integer type ${bsonTypeName(bsonTypeOf(current))}`,
        );
      }
      const result = run(current);
      return isIdentical(result, current) ? unchanged : result;
    },
    valueForNew: () => run(new Int32(0)),
  };
}

function isIntegral(value: BsonValue): value is Int32 | Long {
  const tag = (value as { _bsontype?: unknown } | null)?._bsontype;
  return tag === 'Int32' || tag === 'Long';
}

function parseOperations(value: BsonValue): BitOperation[] {
  if (!isDocument(value)) {
    throw new MongoError(
      'BadValue',
      `The $bit modifier is not compatible with a ${bsonTypeName(bsonTypeOf(value))}. ` +
        `You must pass in an embedded document: ${usage}`,
    );
  }
  const operations: BitOperation[] = [];
  for (const [name, operand] of Object.entries(value)) {
    const element = bsonElementToString(name, operand);
    if (name !== 'and' && name !== 'or' && name !== 'xor') {
      throw new MongoError(
        'BadValue',
        `The $bit modifier only supports 'and', 'or', and 'xor', not '${name}' which is an ` +
          `unknown operator: {${element}}`,
      );
    }
    if (!isIntegral(operand)) {
      throw new MongoError(
        'BadValue',
        `The $bit modifier field must be an Integer(32/64 bit); a ` +
          `'${bsonTypeName(bsonTypeOf(operand))}' is not supported here: {${element}}`,
      );
    }
    operations.push({ operator: name, operand });
  }
  if (operations.length === 0) {
    throw new MongoError(
      'BadValue',
      `You must pass in at least one bitwise operation. The format is: ${usage}`,
    );
  }
  return operations;
}
