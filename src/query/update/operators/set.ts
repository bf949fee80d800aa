/**
 * $set and $setOnInsert (set_node.cpp): setting a value that is already there with the
 * same type and bytes is a no-op, so it does not count as a modification.
 */
import type { BsonValue } from '../../../bson/types.js';
import { binaryEqual } from '../binary-equal.js';
import type { Modifier } from '../modifier.js';
import { unchanged } from '../modifier.js';

export function setModifier(value: BsonValue, insertOnly: boolean): Modifier {
  return {
    insertOnly,
    allowCreation: true,
    canSetObjectValue: true,
    updateExisting: (current) => (binaryEqual(current, value) ? unchanged : value),
    valueForNew: () => value,
  };
}
