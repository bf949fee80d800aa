/**
 * $pop (pop_node.cpp): 1 removes the last element, -1 the first; an empty array or a
 * missing path is a no-op, but a path through a scalar is an error.
 */
import type { BsonValue } from '../../../bson/types.js';
import { bsonTypeName, bsonTypeOf } from '../../../bson/types.js';
import { MongoError } from '../../../errors/mongo-error.js';
import { AssertionError } from '../../../util/assert.js';
import type { Modifier } from '../modifier.js';
import { unchanged } from '../modifier.js';
import { parseIntegerToLong } from '../parse-integer.js';

export function popModifier(field: string, value: BsonValue): Modifier {
  const direction = parseIntegerToLong(field, value);
  if (direction !== 1n && direction !== -1n) {
    throw new MongoError('FailedToParse', `$pop expects 1 or -1, found: ${direction}`);
  }
  return {
    allowCreation: false,
    skipStorageValidation: true,
    updateExisting(current, target) {
      if (!Array.isArray(current)) {
        throw new MongoError(
          'TypeMismatch',
          `Path '${target.path.join('.')}' contains an element of non-array type ` +
            `'${bsonTypeName(bsonTypeOf(current))}'`,
        );
      }
      if (current.length === 0) return unchanged;
      return direction === -1n ? current.slice(1) : current.slice(0, -1);
    },
    valueForNew: () => {
      throw new AssertionError('$pop never creates a field');
    },
  };
}
