/**
 * IDHACK: point lookups in the unique `_id` index for each requested value, in order,
 * skipping values that are absent or repeated.
 */
import type { BsonValue } from '../../bson/types.js';
import { encodeKey } from '../../bson/key-string.js';
import type { CollectionEntry, IndexEntry } from '../../storage/catalog-entry.js';
import type { StorageEngine } from '../../storage/storage-engine.js';
import { findUniqueKey } from '../../storage/index-entries.js';
import { assert } from '../../util/assert.js';
import type { PlanStage, StageResult, StageStats } from './plan-stage.js';
import { memberFromRecord } from './plan-stage.js';

export class IdLookupStage implements PlanStage {
  readonly stageName = 'IDHACK';
  private position = 0;
  private keysExamined = 0;
  private docsExamined = 0;
  private readonly seen = new Set<number>();
  private readonly index: IndexEntry;

  constructor(
    private readonly storage: StorageEngine,
    private readonly entry: CollectionEntry,
    private readonly ids: BsonValue[],
  ) {
    const index = entry.indexes.find((candidate) => candidate.name === '_id_');
    assert(index !== undefined, 'collection without an _id index');
    this.index = index;
  }

  next(): StageResult {
    while (this.position < this.ids.length) {
      const id = this.ids[this.position++];
      this.keysExamined++;
      const recordId = findUniqueKey(this.storage.kv, this.index, encodeKey([id], [1]).key);
      if (recordId === undefined || this.seen.has(recordId)) continue;
      this.seen.add(recordId);
      const raw = this.storage.getRecord(this.entry, recordId);
      if (raw === undefined) continue;
      this.docsExamined++;
      return { ...memberFromRecord(recordId, raw), indexKey: { _id: id } };
    }
    return undefined;
  }

  isEOF(): boolean {
    return this.position >= this.ids.length;
  }

  saveState(): void {}

  stats(): StageStats {
    return {
      stage: this.stageName,
      nReturned: this.docsExamined,
      works: this.keysExamined + 1,
      keysExamined: this.keysExamined,
      docsExamined: this.docsExamined,
      children: [],
    };
  }
}
