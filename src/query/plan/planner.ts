/**
 * Choosing a plan, as MongoDB does in spirit: an `_id` equality goes straight to the
 * `_id` index; otherwise every index whose bounds narrow the scan (or that provides the
 * requested order) is a candidate, and the collection scan is used only when none is.
 * Several candidates race for a bounded amount of work (the multi-planner): the plan
 * that produced the most results per unit of work wins, reaching EOF counts as a win,
 * and ties go to plans that need no blocking sort. The winner is cached per query shape
 * until the collection's indexes change.
 */
import { BSONRegExp } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { compareDocuments } from '../../bson/compare.js';
import { documentToString } from '../../bson/to-string.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { CollectionEntry, IndexEntry } from '../../storage/catalog-entry.js';
import type { StorageEngine } from '../../storage/storage-engine.js';
import type { PlanStage } from '../exec/plan-stage.js';
import type { FindRequest } from './find-request.js';
import type { AccessPath, Candidate } from './plan-candidates.js';
import { candidate } from './plan-candidates.js';
import { boundsForIndex, conjunctsOf } from './index-bounds.js';
import type { IndexBounds } from './index-bounds.js';
import { allValues } from './intervals.js';
import { sortScanDirection } from './sort-analysis.js';
import { coverable } from './covering.js';
import { runTrials } from './trial.js';
import { cachedPlan, cachePlan, queryShape } from './plan-cache.js';

export interface QueryPlan {
  stage: PlanStage;
  summary: string;
  /** Trial-run stages of the plans that lost, for explain. */
  rejected: { summary: string; stage: PlanStage }[];
  /** Every candidate's trial run, winner included, when the plan was raced. */
  trials?: { summary: string; stage: PlanStage }[];
  index: IndexEntry | undefined;
  fromCache: boolean;
}

function isOperatorDocument(value: BsonValue): boolean {
  return isDocument(value) && Object.keys(value).some((key) => key.startsWith('$'));
}

/** The `_id` values a filter pins by equality alone (MongoDB's IDHACK eligibility). */
export function idLookupValues(filter: BsonDocument): BsonValue[] | undefined {
  const keys = Object.keys(filter);
  if (keys.length !== 1 || keys[0] !== '_id') return undefined;
  const id = filter._id;
  if (id instanceof BSONRegExp || Array.isArray(id)) return undefined;
  if (!isOperatorDocument(id)) return [id];
  const operators = id as BsonDocument;
  const names = Object.keys(operators);
  if (
    names.length === 1 &&
    names[0] === '$eq' &&
    !(operators.$eq instanceof BSONRegExp) &&
    !Array.isArray(operators.$eq)
  ) {
    return [operators.$eq];
  }
  return undefined;
}

function findHintedIndex(entry: CollectionEntry, hint: string | BsonDocument): IndexEntry {
  const matches = entry.indexes.filter(
    (candidateIndex) =>
      !candidateIndex.hidden &&
      !candidateIndex.building &&
      (typeof hint === 'string'
        ? candidateIndex.name === hint
        : compareDocuments(candidateIndex.spec.key as BsonDocument, hint) === 0),
  );
  const [index, other] = matches;
  if (index === undefined) {
    throw new MongoError(
      'BadValue',
      'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
    );
  }
  // query_planner.cpp: indexes sharing a key pattern (partial filters differ) need a name.
  if (other !== undefined) {
    throw new MongoError(
      'IndexNotFound',
      `error processing query: planner returned error :: caused by :: Hint matched multiple indexes, must hint by index name. Matched: ${describeIndex(index)} and ${describeIndex(other)}`,
    );
  }
  return index;
}

function describeIndex(index: IndexEntry): string {
  return `kp: ${documentToString(index.spec.key as BsonDocument)} name: '${index.name}'`;
}

function indexAccess(index: IndexEntry, bounds: IndexBounds, request: FindRequest): AccessPath {
  const sortDirection = sortScanDirection(index, bounds.fields, request.sortFields);
  const providesSort = request.comparator !== undefined && sortDirection !== undefined;
  return {
    kind: 'ixscan',
    index,
    bounds,
    direction: providesSort ? sortDirection : 1,
    providesSort,
    covered: coverable(index, bounds, request),
  };
}

function indexCandidates(
  storage: StorageEngine,
  entry: CollectionEntry,
  request: FindRequest,
): Candidate[] {
  const conjuncts = conjunctsOf(request.filterNode);
  const candidates: Candidate[] = [];
  for (const index of entry.indexes) {
    if (index.hidden || index.building) continue;
    const bounds = boundsForIndex(index, conjuncts);
    if (bounds === undefined) continue;
    const access = indexAccess(index, bounds, request);
    if (!bounds.leadingBounded && !(access.kind === 'ixscan' && access.providesSort)) continue;
    candidates.push(candidate(storage, entry, access, request));
  }
  return candidates;
}

function hintedCandidate(
  storage: StorageEngine,
  entry: CollectionEntry,
  request: FindRequest,
  hint: string | BsonDocument,
): Candidate {
  const index = findHintedIndex(entry, hint);
  const bounds = boundsForIndex(
    { ...index, sparse: false, partialFilter: undefined },
    conjunctsOf(request.filterNode),
  ) ?? {
    fields: index.fields.map(() => [allValues]),
    leadingBounded: false,
    exact: false,
  };
  return candidate(storage, entry, indexAccess(index, bounds, request), request);
}

function planOf(
  chosen: Candidate,
  rejected: QueryPlan['rejected'],
  fromCache: boolean,
  trials: QueryPlan['rejected'] = [],
): QueryPlan {
  const index = chosen.access.kind === 'ixscan' ? chosen.access.index : undefined;
  if (index !== undefined) index.accesses.ops++;
  return { stage: chosen.build(), summary: chosen.summary, rejected, trials, index, fromCache };
}

export function planFind(
  storage: StorageEngine,
  entry: CollectionEntry,
  request: FindRequest,
): QueryPlan {
  const hint = request.hint;
  if (request.naturalDirection !== undefined) {
    return planOf(
      candidate(storage, entry, { kind: 'collscan', direction: request.naturalDirection }, request),
      [],
      false,
    );
  }
  if (hint !== undefined) return planOf(hintedCandidate(storage, entry, request, hint), [], false);
  const ids = idLookupValues(request.filter);
  if (ids !== undefined && entry.indexes.some((index) => index.name === '_id_')) {
    return planOf(candidate(storage, entry, { kind: 'idhack', ids }, request), [], false);
  }
  const candidates = indexCandidates(storage, entry, request);
  if (candidates.length === 0)
    return planOf(
      candidate(storage, entry, { kind: 'collscan', direction: 1 }, request),
      [],
      false,
    );
  if (candidates.length === 1) return planOf(candidates[0] as Candidate, [], false);
  const shape = queryShape(request, candidates);
  const cached = cachedPlan(entry, shape, candidates);
  if (cached !== undefined) return planOf(cached, [], true);
  const { winner, losers, trials } = runTrials(candidates, entry.count);
  cachePlan(entry, shape, winner);
  return planOf(winner, losers, false, trials);
}
