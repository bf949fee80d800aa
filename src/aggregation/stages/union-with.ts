/**
 * $unionWith (DocumentSourceUnionWith): every input document, then the documents of
 * another collection's pipeline. The second pipeline starts only when the input is done.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { typeNameOf } from '../../query/describe.js';
import { ValuesStage } from '../../query/exec/basic-stages.js';
import type { PlanStage, StageResult } from '../../query/exec/plan-stage.js';
import { UnaryStage, needYield } from '../../query/exec/plan-stage.js';
import type { ParseContext, PipelineEnvironment, StageDefinition } from '../pipeline-context.js';
import { openCursorSource } from '../pipeline-source.js';
import { Pipeline } from '../pipeline.js';
import { checkSpecFields } from './spec-fields.js';

export class UnionWithDefinition implements StageDefinition {
  readonly name = '$unionWith';
  readonly constraints = {};

  constructor(
    private readonly coll: string | undefined,
    private readonly namespace: string | undefined,
    private readonly pipeline: Pipeline,
    private readonly environment: PipelineEnvironment,
  ) {}

  explain(): BsonDocument {
    const spec: BsonDocument = { pipeline: this.pipeline.explain() };
    if (this.coll !== undefined) spec.coll = this.coll;
    return { $unionWith: spec };
  }

  instantiate(input: PlanStage): PlanStage {
    return new UnionWithStage(input, () => this.open());
  }

  private open(): PlanStage {
    const stages = this.pipeline.stages;
    if (this.namespace === undefined || this.pipeline.generatesInput)
      return Pipeline.chain(stages, new ValuesStage([]));
    const source = openCursorSource(this.environment, this.namespace, stages);
    return Pipeline.chain(source.rest, source.stage);
  }
}

class UnionWithStage extends UnaryStage {
  readonly stageName = 'UNION_WITH';
  private second: PlanStage | undefined;
  private inputDone = false;

  constructor(
    child: PlanStage,
    private readonly open: () => PlanStage,
  ) {
    super(child);
  }

  next(): StageResult {
    if (!this.inputDone) {
      const member = this.child.next();
      if (member === needYield) return needYield;
      if (member !== undefined) {
        this.returned++;
        return member;
      }
      this.inputDone = true;
      this.second = this.open();
    }
    const member = (this.second as PlanStage).next();
    if (member !== undefined && member !== needYield) this.returned++;
    return member;
  }

  override saveState(): void {
    this.child.saveState();
    this.second?.saveState();
  }

  override isEOF(): boolean {
    return this.inputDone && (this.second as PlanStage).isEOF();
  }
}

export function parseUnionWith(spec: BsonValue, context: ParseContext): StageDefinition {
  let coll: string | undefined;
  let pipelineSpec: BsonValue[] = [];
  if (typeof spec === 'string') {
    coll = spec;
  } else if (isDocument(spec)) {
    checkSpecFields('$unionWith', spec, ['coll', 'pipeline']);
    if (spec.coll !== undefined) {
      if (typeof spec.coll !== 'string') {
        throw new MongoError(
          'TypeMismatch',
          `BSON field '$unionWith.coll' is the wrong type '${typeNameOf(spec.coll)}', expected type 'string'`,
        );
      }
      coll = spec.coll;
    }
    if (spec.pipeline !== undefined) {
      if (!Array.isArray(spec.pipeline)) {
        throw new MongoError(
          'TypeMismatch',
          `BSON field '$unionWith.pipeline' is the wrong type '${typeNameOf(spec.pipeline)}', expected type 'array'`,
        );
      }
      pipelineSpec = spec.pipeline;
    }
    if (coll === undefined) {
      const first = pipelineSpec[0];
      if (!isDocument(first) || !Object.hasOwn(first, '$documents')) {
        throw new MongoError(
          'FailedToParse',
          '$unionWith stage without explicit collection must have a pipeline with $documents as first stage',
        );
      }
    }
  } else {
    throw new MongoError(
      'FailedToParse',
      `the $unionWith stage specification must be an object or string, but found ${typeNameOf(spec)}`,
    );
  }
  const namespace = coll === undefined ? undefined : `${context.environment.database}.${coll}`;
  const pipeline = context.parsePipeline(pipelineSpec, {
    ...context,
    nesting: 'unionWith',
    namespace,
  });
  return new UnionWithDefinition(coll, namespace, pipeline, context.environment);
}
