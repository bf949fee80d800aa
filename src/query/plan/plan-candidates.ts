/**
 * Building the stage tree of one candidate plan: an access path (collection scan, `_id`
 * lookup or index scan with bounds) followed by MongoDB's usual tail: FETCH and FILTER,
 * then SORT unless the index provides the order, SKIP, LIMIT and the projection.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import type { CollectionEntry, IndexEntry } from '../../storage/catalog-entry.js';
import type { StorageEngine } from '../../storage/storage-engine.js';
import { FilterStage, LimitStage, ProjectionStage, SkipStage } from '../exec/basic-stages.js';
import { CollectionScanStage } from '../exec/collection-scan-stage.js';
import { FetchStage } from '../exec/fetch-stage.js';
import { IdLookupStage } from '../exec/id-lookup-stage.js';
import { IndexScanStage } from '../exec/index-scan-stage.js';
import { CoveredProjectionStage } from '../exec/covered-projection-stage.js';
import type { PlanStage } from '../exec/plan-stage.js';
import { SortStage } from '../exec/sort-stage.js';
import type { FindRequest } from './find-request.js';
import type { IndexBounds } from './index-bounds.js';
import { keyRanges } from './key-ranges.js';
import { filterFields } from '../dependencies.js';

export type AccessPath =
  | { kind: 'collscan'; direction: 1 | -1 }
  | { kind: 'idhack'; ids: BsonValue[] }
  | {
      kind: 'ixscan';
      index: IndexEntry;
      bounds: IndexBounds;
      direction: 1 | -1;
      providesSort: boolean;
      covered: boolean;
    };

export interface Candidate {
  access: AccessPath;
  build: () => PlanStage;
  summary: string;
}

function hasFilter(request: FindRequest): boolean {
  return Object.keys(request.filter).length > 0;
}

function indexScan(
  storage: StorageEngine,
  entry: CollectionEntry,
  access: Extract<AccessPath, { kind: 'ixscan' }>,
  request: FindRequest,
): PlanStage {
  const directions = access.index.fields.map((field) => field.direction);
  const ranges = keyRanges(access.bounds.fields, directions);
  return new IndexScanStage(storage, entry, access.index, {
    ranges: ranges.ranges,
    direction: access.direction,
    bounds: access.bounds.fields,
    checkFields: ranges.checkFields,
    decodeKeys: access.covered || request.returnKey,
  });
}

function accessStage(
  storage: StorageEngine,
  entry: CollectionEntry,
  access: AccessPath,
  request: FindRequest,
): PlanStage {
  switch (access.kind) {
    case 'collscan':
      return new CollectionScanStage(storage, entry, access.direction);
    case 'idhack':
      return new IdLookupStage(storage, entry, access.ids);
    case 'ixscan': {
      const scan = indexScan(storage, entry, access, request);
      return access.covered
        ? new CoveredProjectionStage(scan)
        : new FetchStage(scan, storage, entry);
    }
  }
}

function needsSort(access: AccessPath, request: FindRequest): boolean {
  if (request.comparator === undefined) return false;
  return !(access.kind === 'ixscan' && access.providesSort);
}

export function buildPlan(
  storage: StorageEngine,
  entry: CollectionEntry,
  access: AccessPath,
  request: FindRequest,
): PlanStage {
  let stage = accessStage(storage, entry, access, request);
  // IDHACK's point lookup is exactly the filter {_id: v} (numbers of every type included),
  // and exact index bounds are exactly theirs.
  const exact = access.kind === 'idhack' || (access.kind === 'ixscan' && access.bounds.exact);
  if (hasFilter(request) && !exact) {
    stage = new FilterStage(
      stage,
      request.matcher,
      request.filter,
      filterFields(request.filterNode),
    );
  }
  if (needsSort(access, request)) {
    const limit = request.limit === undefined ? undefined : request.skip + request.limit;
    stage = new SortStage(stage, request.comparator!, {
      allowDiskUse: request.allowDiskUse,
      sortPattern: request.sortPattern ?? {},
      ...(limit === undefined ? {} : { limit }),
    });
  }
  if (request.skip > 0) stage = new SkipStage(stage, request.skip);
  if (request.limit !== undefined && request.limit > 0)
    stage = new LimitStage(stage, request.limit);
  if (request.projection !== undefined) {
    const name =
      access.kind === 'ixscan' && access.covered ? 'PROJECTION_COVERED' : 'PROJECTION_DEFAULT';
    stage = new ProjectionStage(stage, request.projection.apply, name);
  }
  return stage;
}

export function keyPatternSummary(index: IndexEntry): string {
  return `{ ${index.fields.map((field) => `${field.path}: ${field.direction}`).join(', ')} }`;
}

export function candidate(
  storage: StorageEngine,
  entry: CollectionEntry,
  access: AccessPath,
  request: FindRequest,
): Candidate {
  const summary =
    access.kind === 'collscan'
      ? 'COLLSCAN'
      : access.kind === 'idhack'
        ? 'IDHACK'
        : `IXSCAN ${keyPatternSummary(access.index)}`;
  return { access, summary, build: () => buildPlan(storage, entry, access, request) };
}

export type { BsonDocument };
