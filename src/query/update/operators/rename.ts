/**
 * $rename (rename_node.cpp): a $set of the source value at the destination followed by
 * an $unset of the source. The leaf sits at the destination path, so renames are ordered
 * by destination with the other operators; neither path may run through an array.
 */
import type { BsonValue } from '../../../bson/types.js';
import { isDocument } from '../../../bson/types.js';
import { MongoError } from '../../../errors/mongo-error.js';
import { assert } from '../../../util/assert.js';
import { bsonElementToString } from '../../../bson/to-string.js';
import { parseArrayIndex } from '../field-path.js';
import type { Modifier } from '../modifier.js';
import { applyModifier, immutableIdError } from '../modifier.js';
import type { Leaf, Position } from '../update-node.js';
import type { Slot, WorkingDocument } from '../working-document.js';
import { readChild } from '../working-document.js';

export function renameLeaf(from: readonly string[], to: readonly string[]): Leaf {
  return { apply: (position, doc) => applyRename(from, to, position, doc) };
}

function applyRename(
  from: readonly string[],
  to: readonly string[],
  position: Position,
  doc: WorkingDocument,
): boolean {
  const chain = findSource(doc.root, from);
  if (chain === undefined) return false;
  const value = chain.at(-1);
  checkNoArrayAbove('source', from, chain.slice(0, -1), from, doc);
  const destinationChain = valuesAlong(doc, position.pathTaken);
  const above =
    position.pathToCreate.length === 0 ? destinationChain.slice(0, -1) : destinationChain;
  checkNoArrayAbove('destination', to, above, position.pathTaken, doc);
  applyModifier(setElementModifier(value), position, doc);
  removeSource(doc, from);
  return true;
}

/** SetElementNode: overwrites or creates, never a no-op. */
function setElementModifier(value: BsonValue): Modifier {
  return {
    allowCreation: true,
    canSetObjectValue: true,
    updateExisting: () => value,
    valueForNew: () => value,
  };
}

/**
 * pathsupport::findLongestPrefix for the source: the values along the path when it all
 * exists, undefined when some part is missing, an error when it runs through a scalar.
 */
function findSource(root: BsonValue, parts: readonly string[]): BsonValue[] | undefined {
  const chain: BsonValue[] = [];
  let current = root;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const traversable =
      isDocument(current) || (Array.isArray(current) && parseArrayIndex(part) !== undefined);
    if (!traversable && i > 0) {
      const previous = parts[i - 1] as string;
      throw new MongoError(
        'PathNotViable',
        `cannot use the part (${previous} of ${parts.join('.')}) to traverse the element ` +
          `({${bsonElementToString(previous, current)}})`,
      );
    }
    const next = readChild(current, part);
    if (next === undefined) return undefined;
    chain.push(next.value);
    current = next.value;
  }
  return chain;
}

function valuesAlong(doc: WorkingDocument, parts: readonly string[]): BsonValue[] {
  const values: BsonValue[] = [];
  let current: BsonValue = doc.root;
  for (const part of parts) {
    const next = readChild(current, part);
    assert(next !== undefined, 'the path taken must exist');
    values.push(next.value);
    current = next.value;
  }
  return values;
}

function checkNoArrayAbove(
  role: 'source' | 'destination',
  path: readonly string[],
  ancestors: readonly BsonValue[],
  names: readonly string[],
  doc: WorkingDocument,
): void {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    if (!Array.isArray(ancestors[i])) continue;
    throw new MongoError(
      'BadValue',
      `The ${role} field cannot be an array element, '${path.join('.')}' in doc with ` +
        `${doc.idDescription()} has an array field called '${names[i]}'`,
    );
  }
}

function removeSource(doc: WorkingDocument, from: readonly string[]): void {
  let slot: Slot | undefined = doc.rootSlot();
  for (let i = 0; i < from.length; i++) {
    slot = doc.child(slot, from[i] as string, i < from.length - 1);
    assert(slot !== undefined, 'the $rename source disappeared');
  }
  doc.unset(slot);
  if (from[0] === '_id') throw immutableIdError(from);
}
