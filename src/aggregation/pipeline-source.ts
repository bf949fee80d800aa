/**
 * Where a pipeline's documents come from. Over a collection, the leading $match stages,
 * a $sort the find plan can provide without a blocking sort (an index), and the $skip/$limit
 * after them become one find plan (buildFindPlan), so indexes are used as for find; this is
 * the $cursor stage of MongoDB's explain. A blocking sort stays in the pipeline, where it
 * can spill to disk.
 */
import type { BsonDocument } from '../bson/types.js';
import { ValuesStage } from '../query/exec/basic-stages.js';
import type { MemberMatcher } from '../query/exec/basic-stages.js';
import { buildFindPlan } from '../query/exec/build-find-plan.js';
import type { PlanStage, StageStats } from '../query/exec/plan-stage.js';
import type { PipelineEnvironment, StageDefinition } from './pipeline-context.js';
import { Pipeline } from './pipeline.js';
import { LimitDefinition, SkipDefinition } from './stages/limit-skip.js';
import { MatchDefinition } from './stages/match.js';
import { SortDefinition } from './stages/sort.js';

/** What was pushed into the find plan, and the stages left to run after it. */
export interface CursorSource {
  readonly plan: PlanStage;
  readonly filter: BsonDocument;
  readonly sort: BsonDocument | undefined;
  readonly rest: readonly StageDefinition[];
}

interface Prefix {
  filter: BsonDocument;
  matcher: MemberMatcher | undefined;
  next: number;
}

/** The leading $match stages, as one filter. */
function matchPrefix(stages: readonly StageDefinition[]): Prefix {
  const matches: MatchDefinition[] = [];
  let next = 0;
  for (; next < stages.length; next++) {
    const stage = stages[next];
    if (!(stage instanceof MatchDefinition)) break;
    matches.push(stage);
  }
  if (matches.length === 0) return { filter: {}, matcher: undefined, next };
  if (matches.length === 1) {
    const only = matches[0] as MatchDefinition;
    return { filter: only.filter, matcher: only.matcher, next };
  }
  const matchers = matches.map((match) => match.matcher);
  return {
    filter: { $and: matches.map((match) => match.filter) },
    matcher: (doc) => matchers.every((matcher) => matcher(doc)),
    next,
  };
}

/** Folds a run of $skip and $limit stages into one skip and limit, as the find plan applies them. */
function skipLimit(stages: readonly StageDefinition[], start: number): { skip: number; limit: number | undefined; next: number } {
  let skip = 0;
  let limit: number | undefined;
  let next = start;
  for (; next < stages.length; next++) {
    const stage = stages[next];
    if (stage instanceof SkipDefinition) {
      if (limit !== undefined) {
        if (limit <= stage.skip) break;
        limit -= stage.skip;
      }
      skip += stage.skip;
    } else if (stage instanceof LimitDefinition) {
      limit = Math.min(limit ?? Infinity, stage.limit);
    } else {
      break;
    }
  }
  return { skip, limit, next };
}

function hasBlockingSort(stats: StageStats): boolean {
  return stats.stage === 'SORT' || stats.children.some(hasBlockingSort);
}

/** Opens the find plan for the pipeline's leading stages over a collection. */
export function openCursorSource(
  environment: PipelineEnvironment,
  namespace: string,
  stages: readonly StageDefinition[],
): CursorSource {
  const storage = environment.storage;
  const entry = storage?.collection(namespace);
  const prefix = matchPrefix(stages);
  const base = {
    filter: prefix.filter,
    matcher: prefix.matcher,
    naturalDirection: 1 as const,
    project: undefined,
    allowDiskUse: environment.allowDiskUse,
  };
  const plain = (next: number): CursorSource => ({
    plan: storage === undefined ? new ValuesStage([]) : buildFindPlan(storage, entry, { ...base, sortPattern: undefined, comparator: undefined, skip: 0, limit: undefined }),
    filter: prefix.filter,
    sort: undefined,
    rest: stages.slice(next),
  });
  if (storage === undefined) return plain(prefix.next);
  const sort = stages[prefix.next];
  if (sort instanceof SortDefinition) {
    const { skip, limit, next } = skipLimit(stages, prefix.next + 1);
    // An absorbed limit applies before the skip: take `sort.limit`, then skip.
    if (sort.limit !== undefined && sort.limit <= skip) return plain(prefix.next);
    const effectiveLimit = sort.limit === undefined ? limit : Math.min(limit ?? Infinity, sort.limit - skip);
    const plan = buildFindPlan(storage, entry, {
      ...base,
      sortPattern: sort.pattern,
      comparator: sort.comparator,
      skip,
      limit: effectiveLimit,
    });
    if (!hasBlockingSort(plan.stats())) {
      return { plan, filter: prefix.filter, sort: sort.pattern, rest: stages.slice(next) };
    }
    return plain(prefix.next);
  }
  const { skip, limit, next } = skipLimit(stages, prefix.next);
  if (skip === 0 && limit === undefined) return plain(prefix.next);
  const plan = buildFindPlan(storage, entry, { ...base, sortPattern: undefined, comparator: undefined, skip, limit });
  return { plan, filter: prefix.filter, sort: undefined, rest: stages.slice(next) };
}

/** The pipeline's executing stages over a collection (or over nothing, for {aggregate: 1}). */
export function openPipeline(pipeline: Pipeline, namespace: string | undefined): { root: PlanStage; cursor: CursorSource | undefined } {
  const stages = pipeline.stages;
  if (namespace === undefined || pipeline.generatesInput) {
    return { root: Pipeline.chain(stages, new ValuesStage([])), cursor: undefined };
  }
  const cursor = openCursorSource(pipeline.context.environment, namespace, stages);
  return { root: Pipeline.chain(cursor.rest, cursor.plan), cursor };
}
