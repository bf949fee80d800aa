/**
 * The compiled form of an operator update (UpdateObjectNode, UpdateArrayNode and leaf
 * nodes in src/mongo/db/update): a tree keyed by path part. Object nodes hold named
 * children plus the positional '$' child; array nodes hold one child per '$[<identifier>]'
 * ('' for '$[]'); leaves hold one operator for one path. Conflicting paths cannot both
 * be in the tree, which is how MongoDB detects {$set: {a: 1}, $inc: {'a.b': 1}}.
 */
import type { BsonValue } from '../../bson/types.js';
import { comparePathParts, isPositionalPart } from './field-path.js';
import type { Slot, WorkingDocument } from './working-document.js';

/** Where a node applies: the deepest existing element and the parts still missing. */
export interface Position {
  element: Slot;
  /** Parts from the root to `element`, as written in the update path. */
  pathTaken: readonly string[];
  /** Parts below `element` that do not exist (yet). */
  pathToCreate: readonly string[];
}

/** One operator at one path. Returns whether the document changed. */
export interface Leaf {
  apply(position: Position, doc: WorkingDocument): boolean;
}

/** An array filter compiled once: does this array element match? */
export type ElementPredicate = (element: BsonValue) => boolean;

export interface ObjectNode {
  readonly kind: 'object';
  readonly children: Map<string, UpdateNode>;
  positional: UpdateNode | undefined;
  /** Children in application order (comparePathParts), fixed by sortChildren. */
  sortedKeys: readonly string[];
  /** The merge of the positional child with a same-named child, computed once. */
  readonly mergedWithPositional: Map<string, UpdateNode>;
}

export interface ArrayNode {
  readonly kind: 'array';
  readonly children: Map<string, UpdateNode>;
  sortedKeys: readonly string[];
  readonly filters: ReadonlyMap<string, ElementPredicate>;
  /** Merges of the children matching one element, computed once per pair. */
  readonly merged: Map<UpdateNode, Map<UpdateNode, UpdateNode>>;
}

export interface LeafNode {
  readonly kind: 'leaf';
  readonly leaf: Leaf;
}

export type UpdateNode = ObjectNode | ArrayNode | LeafNode;
export type InternalNode = ObjectNode | ArrayNode;

export function newObjectNode(): ObjectNode {
  return {
    kind: 'object',
    children: new Map(),
    positional: undefined,
    sortedKeys: [],
    mergedWithPositional: new Map(),
  };
}

export function newArrayNode(filters: ReadonlyMap<string, ElementPredicate>): ArrayNode {
  return { kind: 'array', children: new Map(), sortedKeys: [], filters, merged: new Map() };
}

export function getChild(node: InternalNode, name: string): UpdateNode | undefined {
  if (node.kind === 'object' && isPositionalPart(name)) return node.positional;
  return node.children.get(name);
}

export function setChild(node: InternalNode, name: string, child: UpdateNode): void {
  if (node.kind === 'object' && isPositionalPart(name)) {
    node.positional = child;
  } else {
    node.children.set(name, child);
  }
}

/** Fixes the application order of every internal node below `node`, once built. */
export function sortChildren(node: UpdateNode): void {
  if (node.kind === 'leaf') return;
  node.sortedKeys = [...node.children.keys()].sort(comparePathParts);
  for (const child of node.children.values()) sortChildren(child);
  if (node.kind === 'object' && node.positional) sortChildren(node.positional);
}
