/**
 * Bounds for one index from a filter's top-level conjunction, with MongoDB's rules for
 * when an index may be used at all: a sparse index only when the query cannot match a
 * document missing its fields, a partial index only when the query implies its filter,
 * and on a multikey index two predicates on one path are never intersected (each may be
 * satisfied by a different array element), nor are fields under a shared array prefix.
 */
import type { IndexEntry } from '../../storage/catalog-entry.js';
import type { FilterNode } from '../filter/index.js';
import { parseFilter } from '../filter/index.js';
import type { Interval } from './intervals.js';
import { allValues, intersect, isAllValues } from './intervals.js';
import { exactLeaf, leafIntervals, mayMatchMissing, negatesNull } from './leaf-bounds.js';
import { filterImplies } from './implication.js';

export interface IndexBounds {
  /** One ordered interval list per index field. */
  fields: Interval[][];
  /** Whether the leading field is constrained (the index narrows the scan). */
  leadingBounded: boolean;
  /**
   * Whether the scan returns exactly the filter's matches, so no filter is needed above
   * it (MongoDB's EXACT bounds): every conjunct is an exact predicate on an index field,
   * and the index has no arrays (multikey) and no truncated keys.
   */
  exact: boolean;
}

/** The conjuncts of a filter: the children of top-level (nested) $and, or the root. */
export function conjunctsOf(node: FilterNode): FilterNode[] {
  if (node.kind === 'and') return node.children.flatMap(conjunctsOf);
  if (node.kind === 'alwaysTrue') return [];
  return [node];
}

interface PathPredicate {
  path: string;
  node: FilterNode;
  /** Predicates inside one value-form $elemMatch apply to the same element. */
  sameElement: boolean;
}

function pathPredicates(conjuncts: readonly FilterNode[]): PathPredicate[] {
  const result: PathPredicate[] = [];
  for (const node of conjuncts) {
    if (node.kind === 'elemMatch' && node.form === 'value') {
      for (const child of node.children)
        result.push({ path: node.path, node: child, sameElement: true });
    } else if ('path' in node) {
      result.push({ path: node.path, node, sameElement: false });
    } else if (node.kind === 'not' && 'path' in node.child) {
      result.push({ path: node.child.path, node, sameElement: false });
    }
  }
  return result;
}

function firstComponent(path: string): string {
  const dot = path.indexOf('.');
  return dot < 0 ? path : path.slice(0, dot);
}

/**
 * A numeric component after an array selects one element in the index key ("a.0" keys
 * {a: [{}]} by its first element), while the matcher also looks for a field "0" in every
 * element, missing (so null) in each of them: null-matching predicates cannot bound it.
 */
function positionalUnderArray(index: IndexEntry, path: string): boolean {
  return index.multikey && path.split('.').some((part) => /^[0-9]+$/.test(part));
}

function fieldIntervals(index: IndexEntry, path: string, predicates: PathPredicate[]): Interval[] {
  const positional = positionalUnderArray(index, path);
  let bounds: Interval[] | undefined;
  let fromElemMatch = false;
  for (const predicate of predicates) {
    if (index.multikey && negatesNull(predicate.node)) continue;
    if (positional && mayMatchMissing(predicate.node)) continue;
    const intervals = leafIntervals(predicate.node);
    if (intervals === undefined) continue;
    if (bounds === undefined) {
      bounds = intervals;
      fromElemMatch = predicate.sameElement;
    } else if (!index.multikey || (fromElemMatch && predicate.sameElement)) {
      bounds = intersect(bounds, intervals);
    }
  }
  return bounds ?? [allValues];
}

const partialNodes = new WeakMap<object, FilterNode>();

function partialNode(index: IndexEntry): FilterNode | undefined {
  const filter = index.partialFilter;
  if (filter === undefined) return undefined;
  let node = partialNodes.get(filter);
  if (node === undefined) {
    node = parseFilter(filter);
    partialNodes.set(filter, node);
  }
  return node;
}

/** Bounds for the index, or undefined when the index cannot answer this query. */
export function boundsForIndex(
  index: IndexEntry,
  conjuncts: readonly FilterNode[],
): IndexBounds | undefined {
  const predicates = pathPredicates(conjuncts);
  const paths = index.fields.map((field) => field.path);
  if (index.sparse) {
    const guarantees = predicates.some((p) => paths.includes(p.path) && !mayMatchMissing(p.node));
    if (!guarantees) return undefined;
  }
  const partial = partialNode(index);
  if (partial !== undefined && !filterImplies(conjuncts, conjunctsOf(partial))) return undefined;
  const boundedPrefixes = new Set<string>();
  const fields = index.fields.map((field, i) => {
    const prefix = firstComponent(field.path);
    if (index.multikey && i > 0 && boundedPrefixes.has(prefix)) return [allValues];
    const intervals = fieldIntervals(
      index,
      field.path,
      predicates.filter((p) => p.path === field.path),
    );
    if (!isAllValues(intervals)) boundedPrefixes.add(prefix);
    return intervals;
  });
  return {
    fields,
    leadingBounded: !isAllValues(fields[0] ?? [allValues]),
    exact: exactBounds(index, paths, conjuncts),
  };
}

/**
 * Every bounded field is enforced by the scan (key ranges or checked keys), so when each
 * conjunct is exact and on an index field, a key in bounds is a match. A numeric path
 * component is left out: it may name an array element or a field.
 */
function exactBounds(
  index: IndexEntry,
  paths: readonly string[],
  conjuncts: readonly FilterNode[],
): boolean {
  if (index.multikey || index.longKeys) return false;
  return conjuncts.every(
    (node) =>
      exactLeaf(node) &&
      'path' in node &&
      paths.includes(node.path) &&
      !/(^|\.)[0-9]+(\.|$)/.test(node.path),
  );
}
