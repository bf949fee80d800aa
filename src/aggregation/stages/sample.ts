/**
 * $sample {size}: a uniform sample without replacement, taken as the server does when it
 * cannot use a random cursor: every document gets a random key from the server's Random
 * and the `size` smallest keys win (a top-k sort, so memory is bounded by `size`). A seeded
 * Random makes the sample reproducible.
 */
import { Double, Long } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument, isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { PlanStage, StageResult, WorkingMember } from '../../query/exec/plan-stage.js';
import {
  UnaryStage,
  documentOf,
  memberFromDocument,
  needYield,
} from '../../query/exec/plan-stage.js';
import type { ParseContext, PipelineEnvironment, StageDefinition } from '../pipeline-context.js';
import { ExternalSorter } from './spill/external-sorter.js';
import type { SortedOutput } from './spill/external-sorter.js';
import { memberBytes, sortMemoryError } from './sort.js';

export class SampleDefinition implements StageDefinition {
  readonly name = '$sample';
  readonly constraints = {};

  constructor(
    readonly size: number,
    private readonly environment: PipelineEnvironment,
  ) {}

  explain(): BsonDocument {
    return { $sample: { size: Long.fromNumber(this.size) } };
  }

  instantiate(input: PlanStage): PlanStage {
    return new SampleStage(input, this.size, this.environment);
  }
}

class SampleStage extends UnaryStage {
  readonly stageName = 'SAMPLE';
  private readonly sorter: ExternalSorter<number, WorkingMember>;
  private output: SortedOutput<number, WorkingMember> | undefined;
  private exhausted = false;

  constructor(
    child: PlanStage,
    private readonly size: number,
    private readonly environment: PipelineEnvironment,
  ) {
    super(child);
    const limitBytes = environment.limits.sortBytes;
    this.sorter = new ExternalSorter<number, WorkingMember>({
      compare: (a, b) => a - b,
      // A spilled document carries its key beside it.
      encode: (member, key) => ({ k: new Double(key), d: documentOf(member) }),
      keyOf: (doc) => (doc.k as Double).value,
      valueOf: (doc) => memberFromDocument(doc.d as BsonDocument),
      memoryLimitBytes: limitBytes,
      allowDiskUse: environment.allowDiskUse,
      spill: environment.spill,
      limit: size,
      exceeded: () => sortMemoryError(limitBytes),
    });
  }

  next(): StageResult {
    if (this.size === 0) return undefined;
    if (this.output === undefined) {
      const done = this.consumeChild((member) =>
        this.sorter.add(this.environment.random.next(), member, memberBytes(member)),
      );
      if (!done) return needYield;
      this.output = this.sorter.finish();
    }
    const next = this.output.next();
    if (next === undefined) {
      this.exhausted = true;
      return undefined;
    }
    this.returned++;
    return next.value;
  }

  override isEOF(): boolean {
    return this.size === 0 || this.exhausted;
  }
}

export function parseSample(spec: BsonValue, context: ParseContext): StageDefinition {
  if (!isDocument(spec))
    throw new MongoError(28745, 'the $sample stage specification must be an object');
  let size: number | undefined;
  for (const [name, value] of Object.entries(spec)) {
    if (name !== 'size') throw new MongoError(28748, `unrecognized option to $sample: ${name}`);
    if (!isNumber(value)) throw new MongoError(28746, 'size argument to $sample must be a number');
    size = Math.trunc(toDouble(value));
    if (!(size >= 0)) throw new MongoError(28747, 'size argument to $sample must not be negative');
  }
  if (size === undefined) throw new MongoError(28749, '$sample stage must specify a size');
  return new SampleDefinition(size, context.environment);
}
