/** The simple stages: filter, skip, limit, projection, and a fixed list of documents. */
import type { BsonDocument } from '../../bson/types.js';
import type { PlanStage, StageResult, StageStats, WorkingMember } from './plan-stage.js';
import { decodeFields } from '../../bson/partial-decode.js';
import { UnaryStage, documentOf, memberFromDocument, needYield } from './plan-stage.js';

export type MemberMatcher = (doc: BsonDocument, details?: { arrayIndex?: number }) => boolean;

export class FilterStage extends UnaryStage {
  readonly stageName = 'FILTER';
  constructor(
    child: PlanStage,
    private readonly matcher: MemberMatcher,
    /** The filter as written, for explain. */
    readonly filter: BsonDocument = {},
    /** The top-level fields the filter reads; only those are decoded to test a record. */
    private readonly fields?: ReadonlySet<string>,
  ) {
    super(child);
  }

  /** The document to test: only the fields the filter reads when the record is undecoded. */
  private testable(member: WorkingMember): BsonDocument {
    if (member.doc === undefined && member.raw !== undefined && this.fields !== undefined) {
      return decodeFields(member.raw, this.fields);
    }
    return documentOf(member);
  }

  protected override details(): BsonDocument {
    return { filter: this.filter };
  }

  next(): StageResult {
    for (;;) {
      const member = this.child.next();
      if (member === undefined || member === needYield) return member;
      this.works++;
      const details: { arrayIndex?: number } = {};
      if (this.matcher(this.testable(member), details)) {
        member.arrayIndex = details.arrayIndex;
        this.returned++;
        return member;
      }
    }
  }
}

export class SkipStage extends UnaryStage {
  readonly stageName = 'SKIP';
  private skipped = 0;
  constructor(
    child: PlanStage,
    private readonly skip: number,
  ) {
    super(child);
  }

  next(): StageResult {
    for (;;) {
      const member = this.child.next();
      if (member === undefined || member === needYield) return member;
      this.works++;
      if (this.skipped < this.skip) {
        this.skipped++;
        continue;
      }
      this.returned++;
      return member;
    }
  }

  protected override details(): BsonDocument {
    return { skipAmount: this.skip } as unknown as BsonDocument;
  }
}

export class LimitStage extends UnaryStage {
  readonly stageName = 'LIMIT';
  constructor(
    child: PlanStage,
    private readonly limit: number,
  ) {
    super(child);
  }

  override isEOF(): boolean {
    return this.returned >= this.limit || this.child.isEOF();
  }

  next(): StageResult {
    if (this.returned >= this.limit) return undefined;
    const member = this.child.next();
    if (member === undefined || member === needYield) return member;
    this.works++;
    this.returned++;
    return member;
  }

  protected override details(): BsonDocument {
    return { limitAmount: this.limit } as unknown as BsonDocument;
  }
}

export class ProjectionStage extends UnaryStage {
  constructor(
    child: PlanStage,
    private readonly project: (doc: BsonDocument, details: { arrayIndex?: number }) => BsonDocument,
    readonly stageName = 'PROJECTION_DEFAULT',
  ) {
    super(child);
  }

  next(): StageResult {
    const member = this.child.next();
    if (member === undefined || member === needYield) return member;
    this.works++;
    this.returned++;
    const details = member.arrayIndex === undefined ? {} : { arrayIndex: member.arrayIndex };
    const projected = memberFromDocument(this.project(documentOf(member), details));
    return { ...projected, recordId: member.recordId, indexKey: member.indexKey };
  }
}

/** Documents computed up front (an upsert's result, $documents). */
export class ValuesStage implements PlanStage {
  readonly stageName = 'VIRTUAL_SCAN';
  private position = 0;
  constructor(private readonly docs: BsonDocument[]) {}

  next(): StageResult {
    const doc = this.docs[this.position];
    if (doc === undefined) return undefined;
    this.position++;
    return memberFromDocument(doc);
  }

  saveState(): void {}

  isEOF(): boolean {
    return this.position >= this.docs.length;
  }

  stats(): StageStats {
    return { stage: this.stageName, nReturned: this.position, works: this.position, children: [] };
  }
}
