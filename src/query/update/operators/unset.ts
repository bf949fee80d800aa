/**
 * $unset (unset_node.cpp): removes a field; an array element becomes null so the indexes
 * of its siblings do not shift. Missing and unreachable paths are silently ignored.
 */
import { AssertionError } from '../../../util/assert.js';
import type { Modifier } from '../modifier.js';
import { removed } from '../modifier.js';

export const unsetModifier: Modifier = {
  allowCreation: false,
  allowNonViablePath: true,
  skipStorageValidation: true,
  updateExisting: () => removed,
  valueForNew: () => {
    throw new AssertionError('$unset never creates a field');
  },
};
