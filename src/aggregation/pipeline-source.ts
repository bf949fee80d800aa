/**
 * Where a pipeline's documents come from. Over a collection, the leading $match stages,
 * a $sort the find plan can provide without a blocking sort (an index), and the $skip/$limit
 * after them become one find plan (the planner's, as for find), so indexes are used; this
 * is the $cursor stage of MongoDB's explain. A sort the plan would do in memory stays in the
 * pipeline, where it is bounded by the server parameter and can spill to disk.
 */
import type { BsonDocument } from '../bson/types.js';
import { ValuesStage } from '../query/exec/basic-stages.js';
import type { MemberMatcher } from '../query/exec/basic-stages.js';
import { planFindQuery } from '../query/exec/build-find-plan.js';
import type { FindPlanOptions } from '../query/exec/build-find-plan.js';
import type { PlanStage, StageResult } from '../query/exec/plan-stage.js';
import { UnaryStage, needYield } from '../query/exec/plan-stage.js';
import type { QueryPlan } from '../query/plan/planner.js';
import type { PipelineEnvironment, StageDefinition } from './pipeline-context.js';
import { Pipeline } from './pipeline.js';
import { LimitDefinition, SkipDefinition } from './stages/limit-skip.js';
import { MatchDefinition } from './stages/match.js';
import { MergeDefinition } from './stages/merge.js';
import { SortDefinition } from './stages/sort.js';
import { pipelineFields } from './dependencies.js';
import { decodeFields } from '../bson/partial-decode.js';

/** What was pushed into the find plan, and the stages left to run after it. */
export interface CursorSource {
  /** The planner's answer (rejected plans, plan cache use) for explain. */
  readonly plan: QueryPlan | undefined;
  /** The stage that runs: the plan, or its input when its blocking sort stays in the pipeline. */
  readonly stage: PlanStage;
  readonly filter: BsonDocument;
  readonly rest: readonly StageDefinition[];
}

/** The top-level aggregate's hint, which only its own $cursor uses. */
export interface SourceOptions {
  readonly hint?: string | BsonDocument | undefined;
  readonly natural?: 1 | -1 | undefined;
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
function skipLimit(
  stages: readonly StageDefinition[],
  start: number,
): { skip: number; limit: number | undefined; next: number } {
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

/** The input of the plan's in-memory SORT stage, or undefined when the plan has none. */
function belowBlockingSort(stage: PlanStage): PlanStage | undefined {
  let current: PlanStage | undefined = stage;
  while (current !== undefined) {
    const child: PlanStage | undefined = (current as unknown as { child?: PlanStage }).child;
    if (current.stageName === 'SORT') return child;
    if (
      !['SKIP', 'LIMIT'].includes(current.stageName) &&
      !current.stageName.startsWith('PROJECTION')
    )
      return undefined;
    current = child;
  }
  return undefined;
}

function planned(
  plan: QueryPlan,
  filter: BsonDocument,
  rest: readonly StageDefinition[],
): CursorSource {
  return { plan, stage: plan.stage, filter, rest };
}

/** Opens the find plan for the pipeline's leading stages over a collection. */
export function openCursorSource(
  environment: PipelineEnvironment,
  namespace: string,
  stages: readonly StageDefinition[],
  options: SourceOptions = {},
): CursorSource {
  const storage = environment.storage;
  const prefix = matchPrefix(stages);
  if (storage === undefined) {
    return {
      plan: undefined,
      stage: new ValuesStage([]),
      filter: prefix.filter,
      rest: stages.slice(prefix.next),
    };
  }
  const entry = storage.collection(namespace);
  const base: FindPlanOptions = {
    filter: prefix.filter,
    matcher: prefix.matcher,
    sortPattern: undefined,
    comparator: undefined,
    naturalDirection: options.natural ?? 1,
    natural: options.natural !== undefined,
    hint: options.hint,
    project: undefined,
    skip: 0,
    limit: undefined,
    allowDiskUse: environment.allowDiskUse,
  };
  const sort = stages[prefix.next];
  if (sort instanceof SortDefinition && options.natural === undefined) {
    const { skip, limit, next } = skipLimit(stages, prefix.next + 1);
    // An absorbed limit applies before the skip: take `sort.limit`, then skip.
    const absorbed = sort.limit;
    if (absorbed === undefined || absorbed > skip) {
      const effectiveLimit =
        absorbed === undefined ? limit : Math.min(limit ?? Infinity, absorbed - skip);
      const plan = planFindQuery(storage, entry, {
        ...base,
        sortPattern: sort.pattern,
        comparator: sort.comparator,
        skip,
        limit: effectiveLimit,
      });
      const input = belowBlockingSort(plan.stage);
      if (input === undefined) return planned(plan, prefix.filter, stages.slice(next));
      // The plan sorts in memory: keep its access path, sort in the pipeline instead.
      return { plan, stage: input, filter: prefix.filter, rest: stages.slice(prefix.next) };
    }
  }
  const { skip, limit, next } = skipLimit(stages, prefix.next);
  const plan = planFindQuery(storage, entry, { ...base, skip, limit });
  return planned(plan, prefix.filter, stages.slice(next));
}

/**
 * Only the records that existed when the pipeline started: a $merge into the collection it
 * reads would otherwise read its own inserts again (the Halloween problem) and never end.
 */
class ExistingRecordsStage extends UnaryStage {
  readonly stageName = 'EXISTING_RECORDS';

  constructor(
    child: PlanStage,
    private readonly recordIdEnd: number,
  ) {
    super(child);
  }

  next(): StageResult {
    for (;;) {
      const member = this.child.next();
      if (member === undefined || member === needYield) return member;
      this.works++;
      if (member.recordId !== undefined && member.recordId >= this.recordIdEnd) continue;
      this.returned++;
      return member;
    }
  }
}

/**
 * Decodes only the fields a pipeline reads; the stored bytes are dropped so no later
 * stage can hand out a document that lost its other fields.
 */
class DecodeFieldsStage extends UnaryStage {
  readonly stageName = 'DECODE_FIELDS';

  constructor(
    child: PlanStage,
    private readonly fields: ReadonlySet<string>,
  ) {
    super(child);
  }

  next(): StageResult {
    const member = this.child.next();
    if (member === undefined || member === needYield) return member;
    this.works++;
    this.returned++;
    if (member.doc !== undefined || member.raw === undefined) return member;
    return { ...member, doc: decodeFields(member.raw, this.fields), raw: undefined };
  }
}

/** The pipeline's executing stages over a collection (or over nothing, for {aggregate: 1}). */
export function openPipeline(
  pipeline: Pipeline,
  namespace: string | undefined,
  options: SourceOptions = {},
): { root: PlanStage; cursor: CursorSource | undefined } {
  const stages = pipeline.stages;
  if (namespace === undefined || pipeline.generatesInput) {
    return { root: Pipeline.chain(stages, new ValuesStage([])), cursor: undefined };
  }
  const cursor = openCursorSource(pipeline.context.environment, namespace, stages, options);
  const last = stages[stages.length - 1];
  const entry = pipeline.context.environment.storage?.collection(namespace);
  let source = cursor.stage;
  if (last instanceof MergeDefinition && last.spec.namespace === namespace && entry !== undefined) {
    source = new ExistingRecordsStage(source, entry.nextRecordId);
  }
  // Only the fields the rest of the pipeline reads are decoded (MongoDB's dependency analysis).
  const fields = pipelineFields(cursor.rest);
  if (fields !== undefined) source = new DecodeFieldsStage(source, fields);
  return { root: Pipeline.chain(cursor.rest, source), cursor };
}
