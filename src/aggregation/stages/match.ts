/** $match: a query filter over the pipeline's documents; a leading $match becomes the find plan's filter. */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { FilterStage } from '../../query/exec/basic-stages.js';
import type { PlanStage } from '../../query/exec/plan-stage.js';
import type { Matcher } from '../../query/filter/index.js';
import type { ParseContext, StageDefinition } from '../pipeline-context.js';

export class MatchDefinition implements StageDefinition {
  readonly name = '$match';
  readonly constraints = {};

  constructor(
    readonly filter: BsonDocument,
    readonly matcher: Matcher,
  ) {}

  explain(): BsonDocument {
    return { $match: this.filter };
  }

  instantiate(input: PlanStage): PlanStage {
    return new FilterStage(input, this.matcher);
  }
}

export function parseMatch(spec: BsonValue, context: ParseContext): StageDefinition {
  if (!isDocument(spec)) {
    throw new MongoError(15959, 'the match filter must be an expression in an object');
  }
  return new MatchDefinition(spec, context.compiler.matcher(spec));
}
