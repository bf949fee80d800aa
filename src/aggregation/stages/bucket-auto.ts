/**
 * $bucketAuto (DocumentSourceBucketAuto): documents sorted by their groupBy value (missing is
 * null) are cut into `buckets` runs of about n/buckets documents; equal values never straddle
 * a boundary, so a bucket grows until the value changes; each bucket's max is the next
 * bucket's min (the last is inclusive). A granularity rounds boundaries to a preferred
 * number series. The sort is the external sorter, bounded like $sort.
 */
import { Int32 } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument, isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { compareValues } from '../../bson/compare.js';
import { MongoError } from '../../errors/mongo-error.js';
import { typeNameOf } from '../../query/describe.js';
import type { PlanStage, StageResult } from '../../query/exec/plan-stage.js';
import {
  UnaryStage,
  documentOf,
  memberFromDocument,
  needYield,
} from '../../query/exec/plan-stage.js';
import type { Accumulator } from '../accumulators/accumulator.js';
import { setField } from '../expressions/field-path.js';
import { formatValue, integral32, typeName } from '../expressions/values.js';
import type { BoundExpression, StageCompiler } from '../pipeline-compiler.js';
import type { ParseContext, PipelineEnvironment, StageDefinition } from '../pipeline-context.js';
import { granularityRounder } from './granularity.js';
import type { GranularityRounder } from './granularity.js';
import { parseAccumulationStatement } from './group.js';
import type { GroupAccumulator } from './group.js';
import { ExternalSorter } from './spill/external-sorter.js';
import type { SortedOutput } from './spill/external-sorter.js';
import { memberBytes, sortMemoryError } from './sort.js';

interface BucketAutoSpec {
  readonly groupBy: BoundExpression;
  readonly buckets: number;
  readonly accumulators: readonly GroupAccumulator[];
  readonly rounder: GranularityRounder | undefined;
}

export class BucketAutoDefinition implements StageDefinition {
  readonly name = '$bucketAuto';
  readonly constraints = {};

  constructor(
    private readonly raw: BsonDocument,
    readonly spec: BucketAutoSpec,
    private readonly compiler: StageCompiler,
    private readonly environment: PipelineEnvironment,
  ) {}

  explain(): BsonDocument {
    return { $bucketAuto: this.raw };
  }

  instantiate(input: PlanStage): PlanStage {
    return new BucketAutoStage(input, this.spec, this.compiler, this.environment);
  }
}

type Entry = { key: BsonValue; value: BsonDocument };

interface Bucket {
  min: BsonValue;
  max: BsonValue;
  states: Accumulator[];
}

class BucketAutoStage extends UnaryStage {
  readonly stageName = 'BUCKET_AUTO';
  private readonly sorter: ExternalSorter<BsonValue, BsonDocument>;
  private sorted: SortedOutput<BsonValue, BsonDocument> | undefined;
  private count = 0;
  private bucketSize = 1;
  private bucketNumber = 0;
  private nextMin: Entry | undefined;
  private previousMax: BsonValue | undefined;
  private exhausted = false;

  constructor(
    child: PlanStage,
    private readonly spec: BucketAutoSpec,
    private readonly compiler: StageCompiler,
    environment: PipelineEnvironment,
  ) {
    super(child);
    const limitBytes = environment.limits.sortBytes;
    this.sorter = new ExternalSorter<BsonValue, BsonDocument>({
      compare: compareValues,
      encode: (doc, key) => ({ k: key, d: doc }),
      keyOf: (doc) => doc.k,
      valueOf: (doc) => doc.d as BsonDocument,
      memoryLimitBytes: limitBytes,
      allowDiskUse: environment.allowDiskUse,
      spill: environment.spill,
      exceeded: () => sortMemoryError(limitBytes),
    });
  }

  private keyOf(doc: BsonDocument): BsonValue {
    const key = this.spec.groupBy(doc);
    if (this.spec.rounder !== undefined) {
      if (!isNumber(key)) {
        throw new MongoError(
          40258,
          `$bucketAuto can specify a 'granularity' with numeric boundaries only, but found a value with type: ${typeName(key)}`,
        );
      }
      const number = toDouble(key);
      if (Number.isNaN(number)) {
        throw new MongoError(
          40259,
          "$bucketAuto can specify a 'granularity' with numeric boundaries only, but found a NaN",
        );
      }
      if (number < 0) {
        throw new MongoError(
          40260,
          "$bucketAuto can specify a 'granularity' with non-negative numbers only, but found a negative number",
        );
      }
    }
    return key === undefined ? null : key;
  }

  private lookahead: Entry | undefined;
  private lookaheadLoaded = false;

  private more(): boolean {
    if (!this.lookaheadLoaded) {
      this.lookahead = this.sorted?.next();
      this.lookaheadLoaded = true;
    }
    return this.lookahead !== undefined;
  }

  private take(): Entry | undefined {
    this.more();
    this.lookaheadLoaded = false;
    return this.lookahead;
  }

  private add(entry: Entry, bucket: Bucket): void {
    bucket.max = entry.key;
    this.spec.accumulators.forEach((accumulator, i) => {
      (bucket.states[i] as Accumulator).process(
        accumulator.factory.argument(entry.value, this.compiler.variables),
      );
    });
  }

  /** Absorbs values equal to (or, rounded, below) the max; returns the next bucket's first entry. */
  private adjustBoundaries(bucket: Bucket): Entry | undefined {
    let next = this.take();
    const rounder = this.spec.rounder;
    if (rounder === undefined) {
      while (next !== undefined && compareValues(bucket.max, next.key) === 0) {
        this.add(next, bucket);
        next = this.take();
      }
      if (next !== undefined) bucket.max = next.key;
      return next;
    }
    const boundary = rounder.roundUp(bucket.max);
    while (
      next !== undefined &&
      (compareValues(boundary, next.key) > 0 || compareValues(bucket.max, next.key) === 0)
    ) {
      this.add(next, bucket);
      next = this.take();
    }
    bucket.max =
      toDouble(boundary as Int32) === 0 && next !== undefined
        ? rounder.roundDown(next.key)
        : boundary;
    return next;
  }

  private nextBucket(): Bucket | undefined {
    const first = this.nextMin ?? this.take();
    if (first === undefined) return undefined;
    const states = this.spec.accumulators.map((accumulator) =>
      accumulator.factory.create({}, this.compiler.variables),
    );
    const bucket: Bucket = { min: first.key, max: first.key, states };
    if (this.spec.rounder !== undefined)
      bucket.min = this.previousMax ?? this.spec.rounder.roundDown(first.key);
    this.add(first, bucket);
    const isLast = this.bucketNumber === this.spec.buckets;
    for (let i = 1; this.more() && (i < this.bucketSize || isLast); i++)
      this.add(this.take() as Entry, bucket);
    this.nextMin = this.adjustBoundaries(bucket);
    this.previousMax = bucket.max;
    return bucket;
  }

  private output(bucket: Bucket): BsonDocument {
    const out: BsonDocument = { _id: { min: bucket.min, max: bucket.max } };
    this.spec.accumulators.forEach((accumulator, i) => {
      setField(out, accumulator.field, (bucket.states[i] as Accumulator).result() ?? null);
    });
    return out;
  }

  next(): StageResult {
    if (this.exhausted) return undefined;
    if (this.sorted === undefined) {
      const done = this.consumeChild((member) => {
        const doc = documentOf(member);
        this.sorter.add(this.keyOf(doc), doc, memberBytes(member));
        this.count++;
      });
      if (!done) return needYield;
      this.sorted = this.sorter.finish();
      this.bucketSize = Math.max(1, Math.round(this.count / this.spec.buckets));
    }
    const bucket = this.bucketNumber++ < this.spec.buckets ? this.nextBucket() : undefined;
    if (bucket === undefined) {
      this.exhausted = true;
      this.sorted.close();
      return undefined;
    }
    this.returned++;
    return memberFromDocument(this.output(bucket));
  }

  override isEOF(): boolean {
    return this.exhausted;
  }
}

function parseGroupBy(value: BsonValue, compiler: StageCompiler): BoundExpression {
  if (isDocument(value) && (Object.keys(value)[0] ?? '').startsWith('$'))
    return compiler.expression(value);
  if (typeof value === 'string' && value.length > 1 && value.startsWith('$'))
    return compiler.expression(value);
  throw new MongoError(
    40239,
    `The $bucketAuto 'groupBy' field must be defined as a $-prefixed path or an expression object, but found: ${formatValue(value)}`,
  );
}

function parseBuckets(value: BsonValue): number {
  if (!isNumber(value)) {
    throw new MongoError(
      40241,
      `The $bucketAuto 'buckets' field must be a numeric value, but found type: ${typeNameOf(value)}`,
    );
  }
  const buckets = integral32(value);
  if (buckets === undefined) {
    throw new MongoError(
      40242,
      `The $bucketAuto 'buckets' field must be representable as a 32-bit integer, but found ${formatValue(value)}`,
    );
  }
  return buckets;
}

export function parseBucketAuto(spec: BsonValue, context: ParseContext): StageDefinition {
  if (!isDocument(spec)) {
    throw new MongoError(
      40240,
      `The argument to $bucketAuto must be an object, but found type: ${typeNameOf(spec)}`,
    );
  }
  let groupBy: BoundExpression | undefined;
  let buckets: number | undefined;
  let rounder: GranularityRounder | undefined;
  const accumulators: GroupAccumulator[] = [];
  for (const [name, value] of Object.entries(spec)) {
    if (name === 'groupBy') groupBy = parseGroupBy(value, context.compiler);
    else if (name === 'buckets') buckets = parseBuckets(value);
    else if (name === 'output') {
      if (!isDocument(value)) {
        throw new MongoError(
          40244,
          `The $bucketAuto 'output' field must be an object, but found type: ${typeNameOf(value)}`,
        );
      }
      for (const [field, statement] of Object.entries(value)) {
        accumulators.push(parseAccumulationStatement(field, statement, context.compiler));
      }
    } else if (name === 'granularity') {
      if (typeof value !== 'string') {
        throw new MongoError(
          40261,
          `The $bucketAuto 'granularity' field must be a string, but found type: ${typeNameOf(value)}`,
        );
      }
      rounder = granularityRounder(value);
    } else {
      throw new MongoError(40245, `Unrecognized option to $bucketAuto: ${name}`);
    }
  }
  if (groupBy === undefined || buckets === undefined) {
    throw new MongoError(40246, "$bucketAuto requires 'groupBy' and 'buckets' to be specified");
  }
  if (buckets <= 0)
    throw new MongoError(
      40243,
      `The $bucketAuto 'buckets' field must be greater than 0, but found: ${buckets}`,
    );
  if (accumulators.length === 0) {
    accumulators.push(
      parseAccumulationStatement('count', { $sum: new Int32(1) }, context.compiler),
    );
  }
  return new BucketAutoDefinition(
    spec,
    { groupBy, buckets, accumulators, rounder },
    context.compiler,
    context.environment,
  );
}
