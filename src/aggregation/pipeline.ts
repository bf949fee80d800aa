/**
 * A parsed aggregation pipeline: stage specifications to stage definitions, with the
 * server's placement rules (Pipeline::validateCommon and validateTopLevelPipeline) and its
 * cheap rewrites ($sort absorbs a following $limit, $match moves ahead of $sort). Execution
 * chains each stage's plan stage over a source; see pipeline-source.ts for collections.
 */
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { isDocument } from '../bson/types.js';
import { MongoError } from '../errors/mongo-error.js';
import type { PlanStage } from '../query/exec/plan-stage.js';
import type { ParseContext, PipelineNesting, StageDefinition } from './pipeline-context.js';
import { LimitDefinition, SkipDefinition } from './stages/limit-skip.js';
import { MatchDefinition } from './stages/match.js';
import { stageParser } from './stages/registry.js';
import { SortDefinition } from './stages/sort.js';

export class Pipeline {
  constructor(
    readonly stages: readonly StageDefinition[],
    readonly context: ParseContext,
  ) {}

  /** Whether a stage writes ($out, $merge). */
  get writes(): boolean {
    return this.stages.some((stage) => stage.constraints.writes === true);
  }

  /** Whether the first stage makes its own input ($documents, $collStats, ...). */
  get generatesInput(): boolean {
    return this.stages[0]?.constraints.generatesInput === true;
  }

  /** The stages as explain shows them. */
  explain(): BsonDocument[] {
    return this.stages.map((stage) => stage.explain());
  }

  /** Executing stages for `stages` over `source`. */
  static chain(stages: readonly StageDefinition[], source: PlanStage): PlanStage {
    let stage = source;
    for (const definition of stages) stage = definition.instantiate(stage);
    return stage;
  }
}

/** Where a nested pipeline sits, for the messages of stages it may not contain. */
const nestedNotAllowed: Readonly<
  Record<Exclude<PipelineNesting, 'top'>, (name: string) => MongoError>
> = {
  facet: (name) => new MongoError(40600, `${name} is not allowed to be used within a $facet stage`),
  lookup: (name) =>
    new MongoError(51047, `${name} is not allowed to be used within a $lookup stage`),
  unionWith: (name) =>
    new MongoError(31441, `${name} is not allowed within a $unionWith's sub-pipeline`),
  update: (name) =>
    new MongoError('InvalidOptions', `${name} is not allowed to be used within an update`),
};

function parseStage(spec: BsonValue, context: ParseContext): StageDefinition[] {
  if (!isDocument(spec)) {
    throw new MongoError('TypeMismatch', "Each element of the 'pipeline' array must be an object");
  }
  const names = Object.keys(spec);
  if (names.length !== 1) {
    throw new MongoError(
      40323,
      'A pipeline stage specification object must contain exactly one field.',
    );
  }
  const name = names[0] as string;
  const parser = stageParser(name);
  if (parser === undefined)
    throw new MongoError(40324, `Unrecognized pipeline stage name: '${name}'`);
  const parsed = parser(spec[name], context, name);
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** Placement rules that hold in every pipeline. */
function validateStages(stages: readonly StageDefinition[], nesting: PipelineNesting): void {
  stages.forEach((stage, index) => {
    const constraints = stage.constraints;
    if (constraints.position === 'first' && index !== 0) {
      throw new MongoError(40602, `${stage.name} is only valid as the first stage in a pipeline`);
    }
    if (constraints.position === 'last' && index !== stages.length - 1) {
      throw new MongoError(40601, `${stage.name} can only be the final stage in the pipeline`);
    }
    if (nesting === 'top') return;
    if (constraints.writes === true) throw nestedNotAllowed[nesting](stage.name);
    const facetBanned =
      constraints.allowedInFacet === false ||
      constraints.position !== undefined ||
      constraints.generatesInput === true;
    if (nesting === 'facet' && facetBanned) throw nestedNotAllowed.facet(stage.name);
  });
}

/** Collectionless pipelines ({aggregate: 1}) must start with a stage that needs no collection. */
function validateTopLevel(stages: readonly StageDefinition[], context: ParseContext): void {
  const first = stages[0];
  const independent = first?.constraints.independentOfCollection === true;
  if (context.namespace === undefined) {
    if (first === undefined) {
      throw new MongoError(
        'InvalidNamespace',
        '{aggregate: 1} is not valid for an empty pipeline.',
      );
    }
    if (!independent) {
      throw new MongoError(
        'InvalidNamespace',
        `{aggregate: 1} is not valid for '${first.name}'; a collection is required.`,
      );
    }
  } else if (independent) {
    throw new MongoError('InvalidNamespace', `'${first.name}' can only be run with {aggregate: 1}`);
  }
}

/** The server's local rewrites that change no result. */
function optimize(stages: StageDefinition[]): StageDefinition[] {
  const out: StageDefinition[] = [];
  for (const stage of stages) {
    const previous = out[out.length - 1];
    if (
      stage instanceof MatchDefinition &&
      previous instanceof SortDefinition &&
      previous.limit === undefined
    ) {
      // Filtering commutes with a stable sort; moving it first lets it reach the find plan.
      out.splice(out.length - 1, 0, stage);
    } else if (stage instanceof LimitDefinition && previous instanceof SortDefinition) {
      previous.limit = Math.min(previous.limit ?? Infinity, stage.limit);
    } else if (stage instanceof LimitDefinition && previous instanceof SkipDefinition) {
      // $skip then $limit is $limit (skip + limit) then $skip, so a $sort can absorb the limit.
      out.splice(out.length - 1, 1, new LimitDefinition(previous.skip + stage.limit), previous);
      const beforeSkip = out[out.length - 3];
      if (beforeSkip instanceof SortDefinition) {
        beforeSkip.limit = Math.min(beforeSkip.limit ?? Infinity, previous.skip + stage.limit);
        out.splice(out.length - 2, 1);
      }
    } else {
      out.push(stage);
    }
  }
  return out;
}

export function parsePipeline(specs: readonly BsonValue[], context: ParseContext): Pipeline {
  const stages: StageDefinition[] = [];
  for (const spec of specs) stages.push(...parseStage(spec, context));
  validateStages(stages, context.nesting);
  if (context.nesting === 'top') validateTopLevel(stages, context);
  return new Pipeline(optimize(stages), context);
}
