/**
 * Inserts one operator's path into the update tree (the tree walk of
 * UpdateObjectNode::parseAndMerge). Two paths conflict when one is a prefix of the other
 * or they are equal; the error names the first part where they collide.
 */
import { MongoError } from '../../errors/mongo-error.js';
import { arrayFilterIdentifier, isArrayFilterPart } from './field-path.js';
import type { ElementPredicate, InternalNode, ObjectNode, UpdateNode } from './update-node.js';
import { getChild, newArrayNode, newObjectNode, setChild } from './update-node.js';

export interface TreeBuildContext {
  readonly filters: ReadonlyMap<string, ElementPredicate>;
  /** Identifiers of '$[<identifier>]' parts seen so far; every array filter must be used. */
  readonly usedIdentifiers: Set<string>;
}

export function addUpdatePath(
  root: ObjectNode,
  parts: readonly string[],
  leaf: UpdateNode,
  context: TreeBuildContext,
): void {
  const dotted = parts.join('.');
  let current: InternalNode = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const name = childName(parts, i, dotted, context);
    const shouldBeArray = isArrayFilterPart(parts[i + 1] as string);
    let child = getChild(current, name);
    if (child === undefined) {
      child = shouldBeArray ? newArrayNode(context.filters) : newObjectNode();
      setChild(current, name, child);
    } else if (child.kind !== (shouldBeArray ? 'array' : 'object')) {
      throw conflict(dotted, parts.slice(0, i + 1).join('.'));
    }
    current = child;
  }
  const name = childName(parts, parts.length - 1, dotted, context);
  if (getChild(current, name) !== undefined) throw conflict(dotted, dotted);
  setChild(current, name, leaf);
}

function conflict(path: string, at: string): MongoError {
  return new MongoError(
    'ConflictingUpdateOperators',
    `Updating the path '${path}' would create a conflict at '${at}'`,
  );
}

/** The child key for part `index`: the identifier for '$[...]' parts, else the part. */
function childName(
  parts: readonly string[],
  index: number,
  dotted: string,
  context: TreeBuildContext,
): string {
  const part = parts[index] as string;
  if (!isArrayFilterPart(part)) return part;
  if (index === 0) {
    throw new MongoError(
      'BadValue',
      "Cannot have array filter identifier (i.e. '$[<id>]') element in the first position " +
        `in path '${dotted}'`,
    );
  }
  const identifier = arrayFilterIdentifier(part);
  if (identifier !== '') {
    if (!context.filters.has(identifier)) {
      throw new MongoError(
        'BadValue',
        `No array filter found for identifier '${identifier}' in path '${dotted}'`,
      );
    }
    context.usedIdentifiers.add(identifier);
  }
  return identifier;
}
