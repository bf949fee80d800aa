/**
 * ModifierNode: the shared behaviour of the operators that change one element. An
 * operator says what happens to an existing value and what value a missing path gets;
 * this file creates missing paths, keeps _id immutable and applies the storage checks,
 * in the order MongoDB does (modifier_node.cpp).
 */
import type { BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { assert } from '../../util/assert.js';
import { bsonElementToString } from '../../bson/to-string.js';
import { parseArrayIndex } from './field-path.js';
import { checkTopLevelField } from './storage-validation.js';
import type { Leaf, Position } from './update-node.js';
import type { Slot, WorkingDocument } from './working-document.js';

export const unchanged: unique symbol = Symbol('unchanged');
export const removed: unique symbol = Symbol('removed');
export type ModifyResult = BsonValue | typeof unchanged | typeof removed;

/** What an operator sees of the element it updates, for its error messages. */
export interface ModifierTarget {
  readonly doc: WorkingDocument;
  /** Full path of the element, as written in the update. */
  readonly path: readonly string[];
  /** The element's own field name (array elements: their index). */
  readonly name: string;
}

export interface Modifier {
  /** $setOnInsert: a no-op unless the update is inserting an upserted document. */
  readonly insertOnly?: boolean;
  /** Whether a missing path is created ($set, $inc, $push...) or left alone ($pop, $pull). */
  readonly allowCreation: boolean;
  /** $unset accepts paths that could never exist; $pop and $pull reject them. */
  readonly allowNonViablePath?: boolean;
  /** $set-like operators may overwrite _id with an equal value; the message differs. */
  readonly canSetObjectValue?: boolean;
  /** Removal-only operators cannot create a $-prefixed field, so they skip the check. */
  readonly skipStorageValidation?: boolean;
  updateExisting(value: BsonValue, target: ModifierTarget): ModifyResult;
  valueForNew(target: ModifierTarget): BsonValue;
}

export function modifierLeaf(modifier: Modifier): Leaf {
  return { apply: (position, doc) => applyModifier(modifier, position, doc) };
}

export function applyModifier(
  modifier: Modifier,
  position: Position,
  doc: WorkingDocument,
): boolean {
  if (modifier.insertOnly === true && !doc.settings.isInsert) return false;
  if (position.pathToCreate.length > 0) return applyToMissing(modifier, position, doc);
  return applyToExisting(modifier, position, doc);
}

function applyToExisting(modifier: Modifier, position: Position, doc: WorkingDocument): boolean {
  const element = position.element;
  const path = position.pathTaken;
  assert(path.length > 0 && element.holder !== undefined, 'a modifier never targets the root');
  const result = modifier.updateExisting(element.value, { doc, path, name: element.name });
  if (result === unchanged) return false;
  if (result === removed) {
    doc.unset(element);
  } else {
    doc.write(element, result);
  }
  checkIdUnchanged(modifier, path, element);
  if (result !== removed && modifier.skipStorageValidation !== true && path.length === 1) {
    validateTopLevel(doc, element.holder, element.name);
  }
  return true;
}

function applyToMissing(modifier: Modifier, position: Position, doc: WorkingDocument): boolean {
  const { element, pathTaken, pathToCreate } = position;
  if (!modifier.allowCreation) {
    if (modifier.allowNonViablePath !== true) checkViability(element, pathTaken, pathToCreate);
    return false;
  }
  const path = [...pathTaken, ...pathToCreate];
  const value = modifier.valueForNew({ doc, path, name: pathToCreate.at(-1) as string });
  doc.createPath(element, pathToCreate, value);
  if (pathTaken.length === 0) validateTopLevel(doc, doc.root, pathToCreate[0] as string);
  if (pathTaken[0] === '_id') {
    throw new MongoError(
      'ImmutableField',
      `Updating the path '${pathTaken.join('.')}' to ${bsonElementToString(element.name, element.value)} ` +
        "would modify the immutable field '_id'",
    );
  }
  return true;
}

/** _id is immutable: any real change at or below it fails (checkImmutablePathsNotModified). */
function checkIdUnchanged(modifier: Modifier, path: readonly string[], element: Slot): void {
  if (path[0] !== '_id') return;
  if (modifier.canSetObjectValue === true && path.length === 1) {
    throw new MongoError(
      'ImmutableField',
      `Updating the path '_id' to ${bsonElementToString(element.name, element.value)} ` +
        "would modify the immutable field '_id'",
    );
  }
  throw immutableIdError(path);
}

export function immutableIdError(path: readonly string[]): MongoError {
  return new MongoError(
    'ImmutableField',
    `Performing an update on the path '${path.join('.')}' would modify the immutable field '_id'`,
  );
}

function validateTopLevel(doc: WorkingDocument, holder: object, name: string): void {
  if (!doc.settings.validateForStorage || Array.isArray(holder)) return;
  checkTopLevelField(doc.root, name, name);
}

/**
 * UpdateLeafNode::checkViability: a missing path is fine for $pop and $pull only if it
 * could be created, that is, it does not run through a scalar.
 */
export function checkViability(
  element: Slot,
  pathTaken: readonly string[],
  pathToCreate: readonly string[],
): void {
  const value = element.value;
  const first = pathToCreate[0] as string;
  if (isContainerDocument(value)) return;
  if (Array.isArray(value) && parseArrayIndex(first) !== undefined) return;
  throw new MongoError(
    'PathNotViable',
    `Cannot use the part (${first}) of (${pathTaken.join('.')}.${pathToCreate.join('.')}) ` +
      `to traverse the element ({${bsonElementToString(element.name, value)}})`,
  );
}

function isContainerDocument(value: BsonValue): boolean {
  if (isDocument(value)) return true;
  return (value as { _bsontype?: unknown } | null)?._bsontype === 'DBRef';
}
