/**
 * The find plan for collections without secondary indexes: an `_id` point lookup when
 * the filter pins `_id` by equality or $in, otherwise a collection scan; then filter,
 * sort, skip, limit and projection stages, as MongoDB orders them.
 */
import { BSONRegExp } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import type { StorageEngine } from '../../storage/storage-engine.js';
import {
  FilterStage,
  LimitStage,
  ProjectionStage,
  SkipStage,
  ValuesStage,
} from './basic-stages.js';
import type { MemberMatcher } from './basic-stages.js';
import { CollectionScanStage } from './collection-scan-stage.js';
import { IdLookupStage } from './id-lookup-stage.js';
import type { PlanStage } from './plan-stage.js';
import { SortStage } from './sort-stage.js';
import type { DocumentComparator } from './sort-stage.js';

export interface FindPlanOptions {
  filter: BsonDocument;
  matcher: MemberMatcher | undefined;
  sortPattern: BsonDocument | undefined;
  comparator: DocumentComparator | undefined;
  /** From a {$natural: ±1} sort or hint. */
  naturalDirection: 1 | -1;
  project: ((doc: BsonDocument, details: { arrayIndex?: number }) => BsonDocument) | undefined;
  skip: number;
  limit: number | undefined;
  allowDiskUse: boolean;
}

function isOperatorDocument(value: BsonValue): boolean {
  return isDocument(value) && Object.keys(value).some((key) => key.startsWith('$'));
}

/** The `_id` values a filter restricts to by equality, or undefined when it does not. */
export function idLookupValues(filter: BsonDocument): BsonValue[] | undefined {
  const id = filter._id;
  if (id === undefined) return undefined;
  if (id instanceof BSONRegExp) return undefined;
  if (!isOperatorDocument(id)) return [id];
  const operators = id as BsonDocument;
  const keys = Object.keys(operators);
  if (keys.length !== 1) return undefined;
  if (keys[0] === '$eq') return [operators.$eq];
  const values = operators.$in;
  if (
    keys[0] === '$in' &&
    Array.isArray(values) &&
    !values.some((value) => value instanceof BSONRegExp)
  ) {
    return values;
  }
  return undefined;
}

export function buildFindPlan(
  storage: StorageEngine,
  entry: CollectionEntry | undefined,
  options: FindPlanOptions,
): PlanStage {
  if (entry === undefined) return new ValuesStage([]);
  const ids = idLookupValues(options.filter);
  let stage: PlanStage =
    ids === undefined
      ? new CollectionScanStage(storage, entry, options.naturalDirection)
      : new IdLookupStage(storage, entry, ids);
  if (options.matcher !== undefined && Object.keys(options.filter).length > 0) {
    stage = new FilterStage(stage, options.matcher);
  }
  if (options.comparator !== undefined) {
    const limit = options.limit === undefined ? undefined : options.skip + options.limit;
    stage = new SortStage(stage, options.comparator, {
      allowDiskUse: options.allowDiskUse,
      sortPattern: options.sortPattern ?? {},
      ...(limit === undefined ? {} : { limit }),
    });
  }
  if (options.skip > 0) stage = new SkipStage(stage, options.skip);
  if (options.limit !== undefined && options.limit > 0)
    stage = new LimitStage(stage, options.limit);
  if (options.project !== undefined) stage = new ProjectionStage(stage, options.project);
  return stage;
}
