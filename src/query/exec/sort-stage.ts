/**
 * SORT: a blocking sort bounded by memory, as MongoDB's blocking sort is
 * (internalQueryMaxBlockingSortMemoryUsageBytes, 100 MiB). With a limit it keeps only the
 * best `limit` documents, so memory is bounded by the limit instead of the input.
 */
import type { BsonDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { encodeDocument } from '../../bson/serialize.js';
import type { PlanStage, WorkingMember } from './plan-stage.js';
import { UnaryStage, documentOf } from './plan-stage.js';

export const blockingSortBytesMax = 100 * 1024 * 1024;

export type DocumentComparator = (a: BsonDocument, b: BsonDocument) => number;

export class SortStage extends UnaryStage {
  readonly stageName = 'SORT';
  private sorted: WorkingMember[] | undefined;
  private position = 0;
  private memoryBytes = 0;

  constructor(
    child: PlanStage,
    private readonly compare: DocumentComparator,
    private readonly options: { limit?: number; allowDiskUse: boolean; sortPattern: BsonDocument },
  ) {
    super(child);
  }

  private sizeOf(member: WorkingMember): number {
    return member.raw?.length ?? encodeDocument(documentOf(member)).length;
  }

  private fill(): WorkingMember[] {
    const members: WorkingMember[] = [];
    const limit = this.options.limit;
    const byDocument = (a: WorkingMember, b: WorkingMember): number =>
      this.compare(documentOf(a), documentOf(b));
    for (let member = this.child.next(); member !== undefined; member = this.child.next()) {
      this.works++;
      documentOf(member);
      members.push(member);
      this.memoryBytes += this.sizeOf(member);
      if (limit !== undefined && members.length >= limit * 2 + 16) {
        // Keep the best `limit`; a stable sort keeps earlier inputs first among ties.
        members.sort(byDocument);
        for (const dropped of members.splice(limit)) this.memoryBytes -= this.sizeOf(dropped);
      }
      if (this.memoryBytes > blockingSortBytesMax && !this.options.allowDiskUse) {
        throw new MongoError(
          'QueryExceededMemoryLimitNoDiskUseAllowed',
          `Sort exceeded memory limit of ${blockingSortBytesMax} bytes, but did not opt in to external sorting.`,
        );
      }
    }
    members.sort(byDocument);
    return limit === undefined ? members : members.slice(0, limit);
  }

  override isEOF(): boolean {
    return this.sorted !== undefined && this.position >= this.sorted.length;
  }

  next(): WorkingMember | undefined {
    this.sorted ??= this.fill();
    const member = this.sorted[this.position];
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
