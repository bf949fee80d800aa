/**
 * The plan cache: the winning candidate per query shape (the filter's operators and
 * paths without their values, the sort and the projection), per collection, valid while
 * the collection's indexes stay the same.
 */
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import type { FilterNode } from '../filter/index.js';
import type { FindRequest } from './find-request.js';
import type { Candidate } from './plan-candidates.js';

interface CacheEntries {
  indexSignature: string;
  plans: Map<string, string>;
}

const caches = new WeakMap<CollectionEntry, CacheEntries>();
export const planCacheEntriesMax = 5000;

function indexSignature(entry: CollectionEntry): string {
  return entry.indexes
    .map(
      (index) =>
        `${index.indexId}:${index.multikey ? 1 : 0}${index.longKeys ? 1 : 0}${index.hidden ? 1 : 0}`,
    )
    .join(',');
}

function shapeOf(node: FilterNode): unknown {
  switch (node.kind) {
    case 'and':
    case 'or':
    case 'nor':
      return [node.kind, node.children.map(shapeOf)];
    case 'not':
      return ['not', shapeOf(node.child)];
    case 'compare':
      return [
        'compare',
        node.path,
        node.op,
        node.value === null ? 'null' : Array.isArray(node.value) ? 'array' : 'value',
      ];
    case 'in':
      return ['in', node.path, node.values.length, node.regexes.length];
    default:
      return 'path' in node ? [node.kind, node.path] : [node.kind];
  }
}

export function queryShape(request: FindRequest): string {
  return JSON.stringify([
    shapeOf(request.filterNode),
    request.sortPattern ?? null,
    request.projection?.fields ?? null,
  ]);
}

function entriesOf(entry: CollectionEntry): CacheEntries {
  const signature = indexSignature(entry);
  let cache = caches.get(entry);
  if (cache === undefined || cache.indexSignature !== signature) {
    cache = { indexSignature: signature, plans: new Map() };
    caches.set(entry, cache);
  }
  return cache;
}

/** Candidates are identified by their index's name: unique within a collection. */
function candidateKey(candidate: Candidate): string {
  return candidate.access.kind === 'ixscan' ? candidate.access.index.name : candidate.summary;
}

export function cachedPlan(
  entry: CollectionEntry,
  shape: string,
  candidates: readonly Candidate[],
): Candidate | undefined {
  const key = entriesOf(entry).plans.get(shape);
  return key === undefined
    ? undefined
    : candidates.find((candidate) => candidateKey(candidate) === key);
}

export function cachePlan(entry: CollectionEntry, shape: string, winner: Candidate): void {
  const plans = entriesOf(entry).plans;
  if (plans.size >= planCacheEntriesMax) plans.clear();
  plans.set(shape, candidateKey(winner));
}

/** planCacheClear. */
export function clearPlanCache(entry: CollectionEntry): void {
  caches.delete(entry);
}

export function planCacheSize(entry: CollectionEntry): number {
  return entriesOf(entry).plans.size;
}
