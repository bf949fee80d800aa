/**
 * UpdateNode::createUpdateNodeByMerging: when two subtrees address the same element at
 * apply time ('a.$' and 'a.0' with the query matching index 0; 'a.$[i]' and 'a.$[j]'
 * both matching an element), they are merged; two operators on one path are a conflict.
 */
import { MongoError } from '../../errors/mongo-error.js';
import type { UpdateNode } from './update-node.js';
import { newArrayNode, newObjectNode, sortChildren } from './update-node.js';

/** `path` names the merge point for the error message; it is restored on return. */
export function mergeUpdateNodes(left: UpdateNode, right: UpdateNode, path: string[]): UpdateNode {
  const merged = mergeTrees(left, right, path);
  sortChildren(merged);
  return merged;
}

function mergeTrees(left: UpdateNode, right: UpdateNode, path: string[]): UpdateNode {
  if (left.kind === 'object' && right.kind === 'object') {
    const node = newObjectNode();
    mergeChildren(left.children, right.children, node.children, path, false);
    node.positional = mergeOptional(left.positional, right.positional, path, '$');
    return node;
  }
  if (left.kind === 'array' && right.kind === 'array') {
    const node = newArrayNode(left.filters);
    mergeChildren(left.children, right.children, node.children, path, true);
    return node;
  }
  throw new MongoError(
    'ConflictingUpdateOperators',
    `Update created a conflict at '${path.join('.')}'`,
  );
}

function mergeChildren(
  left: ReadonlyMap<string, UpdateNode>,
  right: ReadonlyMap<string, UpdateNode>,
  into: Map<string, UpdateNode>,
  path: string[],
  identifiers: boolean,
): void {
  const names = [...new Set([...left.keys(), ...right.keys()])].sort();
  for (const name of names) {
    const merged = mergeOptional(
      left.get(name),
      right.get(name),
      path,
      identifiers ? `$[${name}]` : name,
    );
    if (merged !== undefined) into.set(name, merged);
  }
}

function mergeOptional(
  left: UpdateNode | undefined,
  right: UpdateNode | undefined,
  path: string[],
  part: string,
): UpdateNode | undefined {
  if (left === undefined) return right;
  if (right === undefined) return left;
  path.push(part);
  try {
    return mergeTrees(left, right, path);
  } finally {
    path.pop();
  }
}
