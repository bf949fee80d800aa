/**
 * $push (push_node.cpp) with $each, $position, $sort and $slice, applied in that order:
 * insert at the position, sort the whole array, then trim it. Sorting is stable and
 * uses MongoDB's value order; a sort that changes nothing is not a modification.
 */
import type { BsonArray, BsonValue } from '../../../bson/types.js';
import { bsonTypeName, bsonTypeOf, isDocument } from '../../../bson/types.js';
import { MongoError } from '../../../errors/mongo-error.js';
import type { Modifier } from '../modifier.js';
import { unchanged } from '../modifier.js';
import { parseIntegerToLong } from '../parse-integer.js';
import type { ArrayOrder } from './sort-pattern.js';
import { parseSortSpec } from './sort-pattern.js';

interface PushSpec {
  readonly values: readonly BsonValue[];
  readonly position: bigint | undefined;
  readonly slice: bigint | undefined;
  readonly sort: ArrayOrder | undefined;
}

const clauses = new Set(['$each', '$slice', '$sort', '$position']);

export function pushModifier(value: BsonValue): Modifier {
  const spec = parsePush(value);
  return {
    allowCreation: true,
    updateExisting(current, target) {
      if (!Array.isArray(current)) {
        throw new MongoError(
          'BadValue',
          `The field '${target.path.join('.')}' must be an array but is of type ` +
            `${bsonTypeName(bsonTypeOf(current))} in document {${target.doc.idDescription()}}`,
        );
      }
      return performPush(current, spec) ?? unchanged;
    },
    valueForNew: () => performPush([], spec) ?? [],
  };
}

function parsePush(value: BsonValue): PushSpec {
  if (!isDocument(value) || !Object.hasOwn(value, '$each')) {
    return { values: [value], position: undefined, slice: undefined, sort: undefined };
  }
  for (const name of Object.keys(value)) {
    if (!clauses.has(name))
      throw new MongoError('BadValue', `Unrecognized clause in $push: ${name}`);
  }
  const each = value.$each;
  if (!Array.isArray(each)) {
    throw new MongoError(
      'BadValue',
      'The argument to $each in $push must be an array but it was of type: ' +
        bsonTypeName(bsonTypeOf(each)),
    );
  }
  const slice = optionalInteger(
    value,
    '$slice',
    'The value for $slice must be an integer value but was given type: ',
  );
  const sort = Object.hasOwn(value, '$sort') ? parseSortSpec(value.$sort) : undefined;
  const position = optionalInteger(
    value,
    '$position',
    'The value for $position must be an integer value, not of type: ',
  );
  return { values: each, position, slice, sort };
}

function optionalInteger(
  spec: Record<string, BsonValue>,
  name: string,
  message: string,
): bigint | undefined {
  if (!Object.hasOwn(spec, name)) return undefined;
  const value = spec[name];
  try {
    return parseIntegerToLong(name, value);
  } catch {
    throw new MongoError('BadValue', `${message}${bsonTypeName(bsonTypeOf(value))}`);
  }
}

/** The pushed array, or undefined when nothing changed. */
function performPush(current: BsonArray, spec: PushSpec): BsonArray | undefined {
  let result = insertAt(current, spec.position, spec.values);
  let changed = spec.values.length > 0;
  if (spec.sort !== undefined) {
    const sorted = [...result].sort(spec.sort);
    if (sorted.some((item, i) => item !== result[i])) changed = true;
    result = sorted;
  }
  if (spec.slice !== undefined) {
    const keep = spec.slice < 0n ? -spec.slice : spec.slice;
    if (BigInt(result.length) > keep) {
      const count = Number(keep);
      result = spec.slice >= 0n ? result.slice(0, count) : result.slice(result.length - count);
      changed = true;
    }
  }
  return changed ? result : undefined;
}

/** PushNode::insertElementsWithPosition. */
function insertAt(
  array: BsonArray,
  position: bigint | undefined,
  values: readonly BsonValue[],
): BsonArray {
  const size = BigInt(array.length);
  let index: number;
  if (position === undefined || position > size) index = array.length;
  else if (position > 0n) index = Number(position);
  else if (position < 0n && -position < size) index = Number(size + position);
  else index = 0;
  return [...array.slice(0, index), ...values, ...array.slice(index)];
}
