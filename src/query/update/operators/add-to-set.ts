/**
 * $addToSet (addtoset_node.cpp): appends the values not already in the array, where
 * "already in" is MongoDB equality (compareValues), so Int32(1) and Double(1.0) are the
 * same element. {$each: [...]} (as the first field) adds several, deduplicated first.
 */
import { compareValues } from '../../../bson/compare.js';
import type { BsonValue } from '../../../bson/types.js';
import { bsonTypeName, bsonTypeOf, isDocument } from '../../../bson/types.js';
import { MongoError } from '../../../errors/mongo-error.js';
import { documentToString } from '../../../bson/to-string.js';
import type { Modifier } from '../modifier.js';
import { unchanged } from '../modifier.js';

export function addToSetModifier(value: BsonValue): Modifier {
  const values = deduplicate(parseValues(value));
  return {
    allowCreation: true,
    updateExisting(current, target) {
      if (!Array.isArray(current)) {
        throw new MongoError(
          'BadValue',
          `Cannot apply $addToSet to non-array field. Field named '${target.name}' has ` +
            `non-array type ${bsonTypeName(bsonTypeOf(current))}`,
        );
      }
      const missing = values.filter(
        (item) => !current.some((old) => compareValues(old, item) === 0),
      );
      return missing.length === 0 ? unchanged : [...current, ...missing];
    },
    valueForNew: () => [...values],
  };
}

function parseValues(value: BsonValue): BsonValue[] {
  if (!isDocument(value)) return [value];
  const names = Object.keys(value);
  if (names[0] !== '$each') return [value];
  const each = value.$each;
  if (!Array.isArray(each)) {
    throw new MongoError(
      'TypeMismatch',
      'The argument to $each in $addToSet must be an array but it was of type ' +
        bsonTypeName(bsonTypeOf(each)),
    );
  }
  if (names.length > 1) {
    throw new MongoError(
      'BadValue',
      `Found unexpected fields after $each in $addToSet: ${documentToString(value)}`,
    );
  }
  return each;
}

function deduplicate(values: readonly BsonValue[]): BsonValue[] {
  const unique: BsonValue[] = [];
  for (const value of values) {
    if (!unique.some((seen) => compareValues(seen, value) === 0)) unique.push(value);
  }
  return unique;
}
