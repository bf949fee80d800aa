/**
 * The projection tree (projection_ast): one node per path component, leaves saying what
 * happens at that path. Children keep specification order, which is the order computed
 * fields are added in.
 */
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { MongoError } from '../errors/mongo-error.js';
import type { Matcher } from './filter/compile-filter.js';

export interface ProjectionPathNode {
  readonly kind: 'path';
  readonly children: Map<string, ProjectionNode>;
}

export type ProjectionNode =
  | ProjectionPathNode
  | { readonly kind: 'include' }
  | { readonly kind: 'exclude' }
  /** A computed field: an aggregation expression evaluated against the whole document. */
  | { readonly kind: 'expression'; readonly evaluate: (root: BsonDocument) => BsonValue }
  /** find()'s $slice; `skip` undefined for the one-number form. */
  | { readonly kind: 'slice'; readonly skip: number | undefined; readonly limit: number }
  /** find()'s $elemMatch: the first element matching the filter (a top-level field). */
  | { readonly kind: 'elemMatch'; readonly matcher: Matcher }
  /** a.b.$: the array element the query matched. */
  | { readonly kind: 'positional' };

export function newPathNode(): ProjectionPathNode {
  return { kind: 'path', children: new Map() };
}

/** addNodeAtPathHelper: adds `node` at `parts`, creating path nodes, rejecting collisions. */
export function addNodeAtPath(
  root: ProjectionPathNode,
  parts: readonly string[],
  node: ProjectionNode,
): void {
  const full = parts.join('.');
  let parent = root;
  parts.forEach((part, i) => {
    const child = parent.children.get(part);
    if (i === parts.length - 1) {
      if (child !== undefined) throw new MongoError(31250, `Path collision at ${full}`);
      parent.children.set(part, node);
      return;
    }
    if (child === undefined) {
      const created = newPathNode();
      parent.children.set(part, created);
      parent = created;
    } else if (child.kind === 'path') {
      parent = child;
    } else {
      throw new MongoError(
        31249,
        `Path collision at ${full} remaining portion ${parts.slice(1).join('.')}`,
      );
    }
  });
}

/** Whether a subtree computes any field, so it must be visited even where the input has none. */
export function hasComputedFields(node: ProjectionNode): boolean {
  if (node.kind === 'expression' || node.kind === 'elemMatch') return true;
  if (node.kind !== 'path') return false;
  for (const child of node.children.values()) if (hasComputedFields(child)) return true;
  return false;
}
