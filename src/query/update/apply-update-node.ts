/**
 * Applies the update tree to a working document (UpdateObjectNode::apply and
 * UpdateArrayNode::apply). Children run in comparePathParts order, so fields an update
 * creates are appended in that order whatever order the operators were written in.
 */
import { compareStrings } from '../../bson/compare.js';
import type { BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { assert, assertNever } from '../../util/assert.js';
import { bsonElementToString } from '../../bson/to-string.js';
import { mergeUpdateNodes } from './merge-update-nodes.js';
import type { ArrayNode, ObjectNode, Position, UpdateNode } from './update-node.js';
import type { WorkingDocument } from './working-document.js';

/** Returns whether the document changed. */
export function applyUpdateNode(
  node: UpdateNode,
  position: Position,
  doc: WorkingDocument,
): boolean {
  switch (node.kind) {
    case 'object':
      return applyObjectNode(node, position, doc);
    case 'array':
      return applyArrayNode(node, position, doc);
    case 'leaf':
      return node.leaf.apply(position, doc);
    default:
      return assertNever(node);
  }
}

function applyObjectNode(node: ObjectNode, incoming: Position, doc: WorkingDocument): boolean {
  const matched = doc.settings.matchedField;
  const positional = node.positional;
  if (positional !== undefined && matched === undefined) {
    throw new MongoError(
      'BadValue',
      'The positional operator did not find the match needed from the query.',
    );
  }
  // Siblings share this position: one that creates a missing parent moves it forward.
  const position: Position = { ...incoming };
  let pending = positional !== undefined && matched !== undefined;
  let modified = false;
  for (const name of node.sortedKeys) {
    const child = node.children.get(name) as UpdateNode;
    if (pending && name === matched) {
      const merged = mergedWithPositional(node, name, position);
      if (applyChild(merged, name, position, doc)) modified = true;
      pending = false;
      continue;
    }
    if (pending && compareStrings(matched as string, name) < 0) {
      if (applyChild(positional as UpdateNode, matched as string, position, doc)) modified = true;
      pending = false;
    }
    if (applyChild(child, name, position, doc)) modified = true;
  }
  if (pending && applyChild(positional as UpdateNode, matched as string, position, doc)) {
    modified = true;
  }
  return modified;
}

function mergedWithPositional(node: ObjectNode, name: string, position: Position): UpdateNode {
  let merged = node.mergedWithPositional.get(name);
  if (merged === undefined) {
    const path = [...position.pathTaken, ...position.pathToCreate, name];
    merged = mergeUpdateNodes(node.positional as UpdateNode, node.children.get(name)!, path);
    node.mergedWithPositional.set(name, merged);
  }
  return merged;
}

/** Applies `child` at `field` below `position`, then follows any parent it created. */
function applyChild(
  child: UpdateNode,
  field: string,
  position: Position,
  doc: WorkingDocument,
): boolean {
  let childPosition: Position | undefined;
  if (position.pathToCreate.length === 0) {
    const slot = doc.child(position.element, field, child.kind !== 'leaf');
    if (slot !== undefined) {
      childPosition = {
        element: slot,
        pathTaken: [...position.pathTaken, field],
        pathToCreate: [],
      };
    }
  }
  childPosition ??= {
    element: position.element,
    pathTaken: position.pathTaken,
    pathToCreate: [...position.pathToCreate, field],
  };
  const modified = applyUpdateNode(child, childPosition, doc);
  if (position.pathToCreate.length > 0) followCreatedPath(position, doc);
  return modified;
}

/** A path is created whole or not at all; once it exists, later siblings descend into it. */
function followCreatedPath(position: Position, doc: WorkingDocument): void {
  let element = position.element;
  const pathTaken = [...position.pathTaken];
  for (const part of position.pathToCreate) {
    const next = doc.child(element, part);
    if (next === undefined) break;
    element = next;
    pathTaken.push(part);
  }
  const consumed = pathTaken.length - position.pathTaken.length;
  if (consumed === 0) return;
  assert(consumed === position.pathToCreate.length, 'a path was created only in part');
  position.element = element;
  position.pathTaken = pathTaken;
  position.pathToCreate = [];
}

function applyArrayNode(node: ArrayNode, position: Position, doc: WorkingDocument): boolean {
  if (position.pathToCreate.length > 0) {
    const path = [...position.pathTaken, ...position.pathToCreate].join('.');
    throw new MongoError(
      'BadValue',
      `The path '${path}' must exist in the document in order to apply array updates.`,
    );
  }
  const array = position.element.value;
  if (!Array.isArray(array)) {
    throw new MongoError(
      'BadValue',
      `Cannot apply array updates to non-array element ${bsonElementToString(position.element.name, array)}`,
    );
  }
  // Every filter sees the array as it was before any element is updated.
  const matches = array.map((element) => matchingChildren(node, element));
  let modified = false;
  for (let index = 0; index < matches.length; index++) {
    const children = matches[index];
    if (children === undefined) continue;
    const name = String(index);
    const pathTaken = [...position.pathTaken, name];
    const merged = mergeMatching(node, children, pathTaken);
    const slot = doc.child(position.element, name, merged.kind !== 'leaf');
    assert(slot !== undefined, 'array element vanished while applying array updates');
    if (applyUpdateNode(merged, { element: slot, pathTaken, pathToCreate: [] }, doc)) {
      modified = true;
    }
  }
  return modified;
}

function matchingChildren(node: ArrayNode, element: BsonValue): UpdateNode[] | undefined {
  let found: UpdateNode[] | undefined;
  for (const identifier of node.sortedKeys) {
    const filter = node.filters.get(identifier);
    if (identifier === '' || (filter !== undefined && filter(element))) {
      (found ??= []).push(node.children.get(identifier) as UpdateNode);
    }
  }
  return found;
}

function mergeMatching(
  node: ArrayNode,
  children: UpdateNode[],
  path: readonly string[],
): UpdateNode {
  let merged = children[0] as UpdateNode;
  for (let i = 1; i < children.length; i++) {
    const next = children[i] as UpdateNode;
    let cache = node.merged.get(merged);
    if (cache === undefined) {
      cache = new Map<UpdateNode, UpdateNode>();
      node.merged.set(merged, cache);
    }
    let result = cache.get(next);
    if (result === undefined) {
      result = mergeUpdateNodes(merged, next, [...path]);
      cache.set(next, result);
    }
    merged = result;
  }
  return merged;
}
