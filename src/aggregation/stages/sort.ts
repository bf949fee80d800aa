/**
 * $sort: a blocking sort in MongoDB's sort order (compileSort), bounded by
 * internalQueryMaxBlockingSortMemoryUsageBytes. With allowDiskUse it spills sorted runs and
 * merges them; a following $limit is absorbed so only the best `limit` documents are kept.
 */
import { Long } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { PlanStage, StageResult, WorkingMember } from '../../query/exec/plan-stage.js';
import {
  UnaryStage,
  documentOf,
  memberFromDocument,
  needYield,
} from '../../query/exec/plan-stage.js';
import type { SortComparator, SortKey } from '../../query/sort.js';
import { approximateSize } from '../accumulators/memory.js';
import type { ParseContext, PipelineEnvironment, StageDefinition } from '../pipeline-context.js';
import { ExternalSorter } from './spill/external-sorter.js';
import type { SortedOutput } from './spill/external-sorter.js';

export function sortMemoryError(limitBytes: number): MongoError {
  return new MongoError(
    'QueryExceededMemoryLimitNoDiskUseAllowed',
    `Sort exceeded memory limit of ${limitBytes} bytes, but did not opt in to external sorting.`,
  );
}

/** The bytes a member costs in a blocking stage: its stored size, or an estimate. */
export function memberBytes(member: WorkingMember): number {
  return member.raw?.length ?? approximateSize(documentOf(member));
}

export class SortDefinition implements StageDefinition {
  readonly name = '$sort';
  readonly constraints = {};
  /** A following $limit, absorbed (DocumentSourceSort's limit). */
  limit: number | undefined;

  constructor(
    readonly pattern: BsonDocument,
    readonly comparator: SortComparator,
    private readonly environment: PipelineEnvironment,
  ) {}

  explain(): BsonDocument {
    const spec: BsonDocument = { sortKey: this.pattern };
    if (this.limit !== undefined) spec.limit = Long.fromNumber(this.limit);
    return { $sort: spec };
  }

  instantiate(input: PlanStage): PlanStage {
    return new BlockingSortStage(input, this.comparator, this.environment, this.limit);
  }
}

export class BlockingSortStage extends UnaryStage {
  readonly stageName = 'SORT';
  private readonly sorter: ExternalSorter<SortKey, WorkingMember>;
  private output: SortedOutput<SortKey, WorkingMember> | undefined;
  private exhausted = false;

  constructor(
    child: PlanStage,
    private readonly comparator: SortComparator,
    environment: PipelineEnvironment,
    limit: number | undefined,
  ) {
    super(child);
    const limitBytes = environment.limits.sortBytes;
    this.sorter = new ExternalSorter<SortKey, WorkingMember>({
      compare: comparator.compareKeys,
      encode: (member) => member.raw ?? documentOf(member),
      keyOf: (doc) => comparator.keyOf(doc),
      valueOf: (doc) => memberFromDocument(doc),
      memoryLimitBytes: limitBytes,
      allowDiskUse: environment.allowDiskUse,
      spill: environment.spill,
      ...(limit === undefined ? {} : { limit }),
      exceeded: () => sortMemoryError(limitBytes),
    });
  }

  next(): StageResult {
    if (this.output === undefined) {
      const done = this.consumeChild((member) =>
        this.sorter.add(this.comparator.keyOf(documentOf(member)), member, memberBytes(member)),
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
    return this.exhausted;
  }

  protected override details(): BsonDocument {
    return {
      usedDisk: this.sorter.usedDisk,
      spills: Long.fromNumber(this.sorter.spills),
      totalDataSizeSortedBytesEstimate: Long.fromNumber(this.sorter.totalBytes),
    };
  }
}

export function parseSortStage(spec: BsonValue, context: ParseContext): StageDefinition {
  if (!isDocument(spec))
    throw new MongoError(15973, 'the $sort key specification must be an object');
  if (Object.keys(spec).length === 0) {
    throw new MongoError(15976, '$sort stage must have at least one sort key');
  }
  return new SortDefinition(spec, context.compiler.sort(spec), context.environment);
}
