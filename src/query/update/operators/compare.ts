/**
 * $min and $max (compare_node.cpp): replace the value only when the new one sorts strictly
 * below (or above) it in MongoDB's total order, so values of different types compare by
 * canonical type order and Int32(1) against Double(1) is a no-op.
 */
import { compareValues } from '../../../bson/compare.js';
import type { BsonValue } from '../../../bson/types.js';
import type { Modifier } from '../modifier.js';
import { unchanged } from '../modifier.js';

export function compareModifier(value: BsonValue, mode: '$min' | '$max'): Modifier {
  return {
    allowCreation: true,
    updateExisting(current) {
      const order = compareValues(current, value);
      if (order === 0) return unchanged;
      return (mode === '$max' ? order > 0 : order < 0) ? unchanged : value;
    },
    valueForNew: () => value,
  };
}
