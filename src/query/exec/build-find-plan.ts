/**
 * The find plan for any find-like command (find, count, distinct, update, delete,
 * findAndModify, aggregate's leading $match/$sort): the planner picks the access path
 * (collection scan, `_id` lookup or index scan) and adds filter, sort, skip, limit and
 * projection stages, as MongoDB orders them.
 */
import type { BsonDocument } from '../../bson/types.js';
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import type { StorageEngine } from '../../storage/storage-engine.js';
import { parseFilter } from '../filter/index.js';
import { parseSort } from '../sort.js';
import type { FindRequest } from '../plan/find-request.js';
import { planFind } from '../plan/planner.js';
import type { QueryPlan } from '../plan/planner.js';
import { ValuesStage } from './basic-stages.js';
import type { MemberMatcher } from './basic-stages.js';
import type { PlanStage } from './plan-stage.js';
import type { DocumentComparator } from './sort-stage.js';

export interface FindPlanOptions {
  filter: BsonDocument;
  matcher: MemberMatcher | undefined;
  sortPattern: BsonDocument | undefined;
  comparator: DocumentComparator | undefined;
  /** From a {$natural: ±1} sort or hint. */
  naturalDirection: 1 | -1;
  project: ((doc: BsonDocument, details: { arrayIndex?: number }) => BsonDocument) | undefined;
  /** The top-level fields the projection reads, when known (covered queries). */
  projectionFields?: readonly string[] | undefined;
  skip: number;
  limit: number | undefined;
  allowDiskUse: boolean;
  hint?: string | BsonDocument | undefined;
  /** The sort or hint named $natural explicitly. */
  natural?: boolean;
  returnKey?: boolean;
}

const emptyPlan = (): QueryPlan => ({
  stage: new ValuesStage([]),
  summary: 'EOF',
  rejected: [],
  index: undefined,
  fromCache: false,
});

export function planFindQuery(
  storage: StorageEngine,
  entry: CollectionEntry | undefined,
  options: FindPlanOptions,
): QueryPlan {
  if (entry === undefined) return emptyPlan();
  const request: FindRequest = {
    filter: options.filter,
    filterNode: parseFilter(options.filter),
    matcher: options.matcher ?? (() => true),
    sortPattern: options.sortPattern,
    sortFields:
      options.comparator === undefined || options.sortPattern === undefined
        ? []
        : parseSort(options.sortPattern),
    comparator: options.comparator,
    naturalDirection: options.natural ? options.naturalDirection : undefined,
    projection:
      options.project === undefined
        ? undefined
        : { apply: options.project, fields: options.projectionFields },
    skip: options.skip,
    limit: options.limit,
    allowDiskUse: options.allowDiskUse,
    hint: options.hint,
    returnKey: options.returnKey ?? false,
  };
  return planFind(storage, entry, request);
}

export function buildFindPlan(
  storage: StorageEngine,
  entry: CollectionEntry | undefined,
  options: FindPlanOptions,
): PlanStage {
  return planFindQuery(storage, entry, options).stage;
}
