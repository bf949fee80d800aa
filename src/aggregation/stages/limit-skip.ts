/** $limit and $skip; a leading pair folds into the find plan. */
import { Long } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { LimitStage, SkipStage } from '../../query/exec/basic-stages.js';
import type { PlanStage } from '../../query/exec/plan-stage.js';
import type { StageDefinition } from '../pipeline-context.js';
import { nonNegativeLong } from './stage-support.js';

export class LimitDefinition implements StageDefinition {
  readonly name = '$limit';
  readonly constraints = {};

  constructor(readonly limit: number) {}

  explain(): BsonDocument {
    return { $limit: Long.fromNumber(this.limit) };
  }

  instantiate(input: PlanStage): PlanStage {
    return new LimitStage(input, this.limit);
  }
}

export class SkipDefinition implements StageDefinition {
  readonly name = '$skip';
  readonly constraints = {};

  constructor(readonly skip: number) {}

  explain(): BsonDocument {
    return { $skip: Long.fromNumber(this.skip) };
  }

  instantiate(input: PlanStage): PlanStage {
    return this.skip === 0 ? input : new SkipStage(input, this.skip);
  }
}

/** DocumentSourceLimit::createFromBson. */
export function parseLimit(spec: BsonValue): StageDefinition {
  const limit = nonNegativeLong(spec, '$limit', 5107201, 'invalid argument to $limit stage: ');
  if (limit <= 0) throw new MongoError(15958, 'the limit must be positive');
  return new LimitDefinition(limit);
}

/** DocumentSourceSkip::createFromBson. */
export function parseSkip(spec: BsonValue): StageDefinition {
  return new SkipDefinition(
    nonNegativeLong(spec, '$skip', 5107200, 'invalid argument to $skip stage: '),
  );
}
