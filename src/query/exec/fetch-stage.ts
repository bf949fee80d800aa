/**
 * FETCH: loads the document for each recordId its child (an index scan) produces,
 * skipping records deleted since the key was read.
 */
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import type { StorageEngine } from '../../storage/storage-engine.js';
import type { PlanStage, StageResult, WorkingMember } from './plan-stage.js';
import { UnaryStage, needYield } from './plan-stage.js';

export class FetchStage extends UnaryStage {
  readonly stageName = 'FETCH';
  private docsExamined = 0;

  constructor(
    child: PlanStage,
    private readonly storage: StorageEngine,
    private readonly entry: CollectionEntry,
  ) {
    super(child);
  }

  next(): StageResult {
    for (;;) {
      const member = this.child.next();
      if (member === undefined || member === needYield) return member;
      this.works++;
      const raw = this.storage.getRecord(this.entry, member.recordId as number);
      if (raw === undefined) continue;
      this.docsExamined++;
      this.returned++;
      const fetched: WorkingMember = { ...member, raw, doc: undefined };
      return fetched;
    }
  }

  override stats(): ReturnType<UnaryStage['stats']> {
    return { ...super.stats(), docsExamined: this.docsExamined };
  }
}
