/**
 * $facet (DocumentSourceFacet): several pipelines over the same input, one output document
 * with an array per pipeline. As in the server's TeeBuffer, the input is read in batches of
 * internalQueryFacetBufferSizeBytes and every pipeline consumes a batch before the next is
 * loaded, so the input is never held whole. A pipeline that has used up the current batch
 * pauses (its source answers needYield) until the next one arrives. The output document
 * is bounded by internalQueryFacetMaxOutputDocSizeBytes.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { typeNameOf } from '../../query/describe.js';
import { validateFieldName } from '../../query/field-path.js';
import type { PlanStage, StageResult, StageStats } from '../../query/exec/plan-stage.js';
import {
  UnaryStage,
  documentOf,
  memberFromDocument,
  needYield,
  yieldIterations,
} from '../../query/exec/plan-stage.js';
import { approximateSize } from '../accumulators/memory.js';
import { formatValue } from '../expressions/values.js';
import type { ParseContext, PipelineEnvironment, StageDefinition } from '../pipeline-context.js';
import { Pipeline } from '../pipeline.js';
import { memberBytes } from './sort.js';

/** The shared input of the facets: the current batch and whether more can come. */
class TeeBuffer {
  batch: BsonDocument[] = [];
  inputDone = false;
}

/** One facet's view of the buffer. */
class TeeSource implements PlanStage {
  readonly stageName = 'TEE';
  /** Set when the source paused at the end of the batch (as opposed to a fairness yield). */
  waiting = false;
  private position = 0;
  private sinceYield = 0;
  private returned = 0;

  constructor(private readonly buffer: TeeBuffer) {}

  /** A new batch was loaded. */
  rewind(): void {
    this.position = 0;
    this.waiting = false;
  }

  next(): StageResult {
    const doc = this.buffer.batch[this.position];
    if (doc === undefined) {
      if (this.buffer.inputDone) return undefined;
      this.waiting = true;
      return needYield;
    }
    if (++this.sinceYield >= yieldIterations) {
      this.sinceYield = 0;
      return needYield;
    }
    this.position++;
    this.returned++;
    return memberFromDocument(doc);
  }

  isEOF(): boolean {
    return this.buffer.inputDone && this.position >= this.buffer.batch.length;
  }

  saveState(): void {}

  stats(): StageStats {
    return { stage: this.stageName, nReturned: this.returned, works: this.returned, children: [] };
  }
}

interface Facet {
  readonly name: string;
  readonly source: TeeSource;
  readonly plan: PlanStage;
  readonly results: BsonDocument[];
  done: boolean;
}

export class FacetDefinition implements StageDefinition {
  readonly name = '$facet';
  readonly constraints = { allowedInFacet: false };

  constructor(
    readonly facets: readonly { name: string; pipeline: Pipeline }[],
    private readonly environment: PipelineEnvironment,
  ) {}

  explain(): BsonDocument {
    return {
      $facet: Object.fromEntries(
        this.facets.map((facet) => [facet.name, facet.pipeline.explain()]),
      ),
    };
  }

  instantiate(input: PlanStage): PlanStage {
    return new FacetStage(input, this.facets, this.environment);
  }
}

class FacetStage extends UnaryStage {
  readonly stageName = 'FACET';
  private readonly buffer = new TeeBuffer();
  private readonly facets: Facet[];
  private batchBytes = 0;
  private loading = true;
  private outputBytes = 0;
  private finished = false;

  constructor(
    child: PlanStage,
    definitions: readonly { name: string; pipeline: Pipeline }[],
    private readonly environment: PipelineEnvironment,
  ) {
    super(child);
    this.facets = definitions.map(({ name, pipeline }) => {
      const source = new TeeSource(this.buffer);
      return {
        name,
        source,
        plan: Pipeline.chain(pipeline.stages, source),
        results: [],
        done: false,
      };
    });
  }

  /** Reads input into the batch until it is full or the input ends. */
  private load(): typeof needYield | undefined {
    for (;;) {
      if (this.batchBytes >= this.environment.limits.facetBufferBytes) return undefined;
      const member = this.child.next();
      if (member === needYield) return needYield;
      if (member === undefined) {
        this.buffer.inputDone = true;
        return undefined;
      }
      this.works++;
      this.batchBytes += memberBytes(member);
      this.buffer.batch.push(documentOf(member));
    }
  }

  /** Runs one facet until it finishes or pauses; needYield when it yields for fairness. */
  private run(facet: Facet): typeof needYield | undefined {
    for (;;) {
      const result = facet.plan.next();
      if (result === undefined) {
        facet.done = true;
        return undefined;
      }
      if (result === needYield) return facet.source.waiting ? undefined : needYield;
      const doc = documentOf(result);
      this.outputBytes += result.raw?.length ?? approximateSize(doc);
      const limit = this.environment.limits.facetOutputBytes;
      if (this.outputBytes > limit) {
        throw new MongoError(
          4031700,
          `document constructed by $facet is ${this.outputBytes} bytes, which exceeds the limit of ${limit} bytes`,
        );
      }
      facet.results.push(doc);
    }
  }

  next(): StageResult {
    if (this.finished) return undefined;
    for (;;) {
      if (this.loading) {
        if (this.load() === needYield) return needYield;
        this.loading = false;
        for (const facet of this.facets) facet.source.rewind();
      }
      for (const facet of this.facets) {
        if (!facet.done && !facet.source.waiting && this.run(facet) === needYield) return needYield;
      }
      if (this.facets.every((facet) => facet.done)) break;
      this.buffer.batch = [];
      this.batchBytes = 0;
      this.loading = true;
    }
    this.finished = true;
    this.returned++;
    return memberFromDocument(
      Object.fromEntries(this.facets.map((facet) => [facet.name, facet.results])),
    );
  }

  override isEOF(): boolean {
    return this.finished;
  }

  override saveState(): void {
    this.child.saveState();
    for (const facet of this.facets) facet.plan.saveState();
  }
}

export function parseFacet(spec: BsonValue, context: ParseContext): StageDefinition {
  if (!isDocument(spec) || Object.keys(spec).length === 0) {
    throw new MongoError(
      40169,
      `the $facet specification must be a non-empty object, but found: ${formatValue(spec)}`,
    );
  }
  const facets: { name: string; pipeline: Pipeline }[] = [];
  for (const [name, stages] of Object.entries(spec)) {
    validateFieldName(name);
    if (name.includes('.')) {
      throw new MongoError(
        16412,
        "FieldPath field names may not contain '.'. Consider using $getField or $setField.",
      );
    }
    if (!Array.isArray(stages)) {
      throw new MongoError(
        40170,
        `arguments to $facet must be arrays, ${name} is type ${typeNameOf(stages)}`,
      );
    }
    for (const stage of stages) {
      if (!isDocument(stage)) {
        throw new MongoError(
          40171,
          `elements of arrays in $facet spec must be non-empty objects, ${name} argument contained an element of type ${typeNameOf(stage)}: ${formatValue(stage)}`,
        );
      }
    }
    if (stages.length === 0)
      throw new MongoError('BadValue', 'sub-pipeline in $facet stage cannot be empty');
    facets.push({
      name,
      pipeline: context.parsePipeline(stages, { ...context, nesting: 'facet' }),
    });
  }
  return new FacetDefinition(facets, context.environment);
}
