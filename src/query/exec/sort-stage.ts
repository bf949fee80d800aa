/**
 * SORT: a blocking sort bounded by memory, as MongoDB's blocking sort is
 * (internalQueryMaxBlockingSortMemoryUsageBytes, 100 MiB). With a limit it keeps only the
 * best `limit` documents, so memory is bounded by the limit instead of the input. It
 * passes the child's yields through while it fills, and resumes filling afterwards.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { encodeDocument } from '../../bson/serialize.js';
import type { PlanStage, StageResult, WorkingMember } from './plan-stage.js';
import { UnaryStage, documentOf, needYield } from './plan-stage.js';

export const blockingSortBytesMax = 100 * 1024 * 1024;

export type DocumentComparator = (a: BsonDocument, b: BsonDocument) => number;

/** A comparator that can also produce each document's sort key once (src/query/sort.ts). */
interface KeyedComparator extends DocumentComparator {
  keyOf: (doc: BsonDocument) => BsonValue[];
  compareKeys: (a: BsonValue[], b: BsonValue[]) => number;
}

function isKeyed(compare: DocumentComparator): compare is KeyedComparator {
  return 'keyOf' in compare && 'compareKeys' in compare;
}

/** Sort keys of parallel arrays are refused as MongoDB refuses them when sorting. */
function sortKeyOf(compare: KeyedComparator, doc: BsonDocument): BsonValue[] {
  try {
    return compare.keyOf(doc);
  } catch (error) {
    if (error instanceof MongoError && error.code === 171) {
      throw new MongoError('BadValue', 'cannot sort with keys that are parallel arrays');
    }
    throw error;
  }
}

export class SortStage extends UnaryStage {
  readonly stageName = 'SORT';
  private sorted: WorkingMember[] | undefined;
  private readonly buffered: WorkingMember[] = [];
  private position = 0;
  private memoryBytes = 0;

  constructor(
    child: PlanStage,
    private readonly compare: DocumentComparator,
    private readonly options: { limit?: number; allowDiskUse: boolean; sortPattern: BsonDocument },
  ) {
    super(child);
  }

  private readonly keys = new WeakMap<WorkingMember, BsonValue[]>();

  private readonly byDocument = (a: WorkingMember, b: WorkingMember): number => {
    const compare = this.compare;
    if (!isKeyed(compare)) return compare(documentOf(a), documentOf(b));
    return compare.compareKeys(this.keys.get(a) as BsonValue[], this.keys.get(b) as BsonValue[]);
  };

  private sizeOf(member: WorkingMember): number {
    return member.raw?.length ?? encodeDocument(documentOf(member)).length;
  }

  private add(member: WorkingMember): void {
    const limit = this.options.limit;
    const doc = documentOf(member);
    if (isKeyed(this.compare)) this.keys.set(member, sortKeyOf(this.compare, doc));
    this.buffered.push(member);
    this.memoryBytes += this.sizeOf(member);
    if (limit !== undefined && this.buffered.length >= limit * 2 + 16) {
      // Keep the best `limit`; a stable sort keeps earlier inputs first among ties.
      this.buffered.sort(this.byDocument);
      for (const dropped of this.buffered.splice(limit)) this.memoryBytes -= this.sizeOf(dropped);
    }
    if (this.memoryBytes > blockingSortBytesMax && !this.options.allowDiskUse) {
      throw new MongoError(
        'QueryExceededMemoryLimitNoDiskUseAllowed',
        `Sort exceeded memory limit of ${blockingSortBytesMax} bytes, but did not opt in to external sorting.`,
      );
    }
  }

  /** Consumes the child; returns needYield when the child does, resuming on the next call. */
  private fill(): typeof needYield | undefined {
    if (!this.consumeChild((member) => this.add(member))) return needYield;
    this.buffered.sort(this.byDocument);
    const limit = this.options.limit;
    this.sorted = limit === undefined ? this.buffered : this.buffered.slice(0, limit);
    return undefined;
  }

  override isEOF(): boolean {
    return this.sorted !== undefined && this.position >= this.sorted.length;
  }

  next(): StageResult {
    if (this.sorted === undefined && this.fill() === needYield) return needYield;
    const member = (this.sorted as WorkingMember[])[this.position];
    if (member === undefined) return undefined;
    this.position++;
    this.returned++;
    return member;
  }

  protected override details(): BsonDocument {
    const details: Record<string, unknown> = {
      sortPattern: this.options.sortPattern,
      memLimit: blockingSortBytesMax,
      type: 'simple',
      totalDataSizeSorted: this.memoryBytes,
      usedDisk: false,
    };
    if (this.options.limit !== undefined) details.limitAmount = this.options.limit;
    return details as BsonDocument;
  }
}
