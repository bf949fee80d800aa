/**
 * COLLSCAN: records in recordId (insertion) order. It remembers the last recordId it
 * returned, so after saveState it resumes with a fresh storage range: documents inserted
 * meanwhile with higher recordIds are seen, deleted ones are not, as with MongoDB's yields.
 */
import { MongoError } from '../../errors/mongo-error.js';
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import type { StorageEngine, StoredRecord } from '../../storage/storage-engine.js';
import type { PlanStage, StageResult, StageStats } from './plan-stage.js';
import { memberFromRecord, needYield, yieldIterations } from './plan-stage.js';

export class CollectionScanStage implements PlanStage {
  readonly stageName = 'COLLSCAN';
  private iterator: Iterator<StoredRecord> | undefined;
  private lastRecordId: number | undefined;
  private examined = 0;
  private done = false;
  private yielded = false;

  constructor(
    private readonly storage: StorageEngine,
    private readonly entry: CollectionEntry,
    private readonly direction: 1 | -1 = 1,
  ) {}

  next(): StageResult {
    if (this.done) return undefined;
    if (this.examined > 0 && this.examined % yieldIterations === 0 && !this.yielded) {
      this.yielded = true;
      this.saveState();
      return needYield;
    }
    this.yielded = false;
    if (this.iterator === undefined) {
      if (this.storage.collection(this.entry.namespace) !== this.entry) {
        throw new MongoError(
          'QueryPlanKilled',
          `collection dropped during query: ${this.entry.namespace}`,
        );
      }
      const options = this.lastRecordId === undefined ? {} : { afterRecordId: this.lastRecordId };
      this.iterator = this.storage
        .scanRecords(this.entry, { ...options, reverse: this.direction === -1 })
        [Symbol.iterator]();
    }
    const step = this.iterator.next();
    if (step.done === true) {
      this.done = true;
      this.iterator = undefined;
      return undefined;
    }
    this.examined++;
    this.lastRecordId = step.value.recordId;
    return memberFromRecord(step.value.recordId, step.value.raw);
  }

  isEOF(): boolean {
    return this.done;
  }

  saveState(): void {
    this.iterator?.return?.();
    this.iterator = undefined;
  }

  stats(): StageStats {
    return {
      stage: this.stageName,
      nReturned: this.examined,
      works: this.examined + 1,
      docsExamined: this.examined,
      details: { direction: this.direction === 1 ? 'forward' : 'backward' },
      children: [],
    };
  }
}
