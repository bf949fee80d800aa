/**
 * IXSCAN: walks byte ranges of an index in key order (or reverse), checking each full key
 * against its range (long keys are stored truncated) and against bounds on later fields
 * the ranges could not enforce. On a multikey index a document can have several keys in
 * range, so recordIds are deduplicated, as MongoDB's index scan does.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { decodeKey } from '../../bson/key-string.js';
import type { Direction } from '../../bson/key-string.js';
import type { CollectionEntry, IndexEntry } from '../../storage/catalog-entry.js';
import type { StorageEngine } from '../../storage/storage-engine.js';
import type { KvEntry } from '../../storage/kv-store.js';
import { KeyPrefix, idPrefix } from '../../storage/keys.js';
import { decodeEntry, keyStringBytesMax } from '../../storage/index-entries.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { KeyRange } from '../plan/key-ranges.js';
import { inIntervals } from '../plan/key-ranges.js';
import type { Interval } from '../plan/intervals.js';
import type { PlanStage, StageResult, StageStats } from './plan-stage.js';
import { needYield, yieldIterations } from './plan-stage.js';

export interface IndexScanOptions {
  ranges: KeyRange[];
  direction: 1 | -1;
  /** Per-field bounds, for checking `checkFields` and for explain. */
  bounds: Interval[][];
  checkFields: number[];
  /** Decode key values onto each member (returnKey, covered plans). */
  decodeKeys: boolean;
}

function successor(key: Buffer): Buffer {
  return Buffer.concat([key, Buffer.from([0])]);
}

/** Bounds in the store: long range bounds are cut to the stored key length. */
function storeBound(prefix: Buffer, bound: Buffer, kind: 'start' | 'end'): Buffer {
  if (bound.length <= keyStringBytesMax) return Buffer.concat([prefix, bound]);
  const cut = bound.subarray(0, keyStringBytesMax);
  if (kind === 'start') return Buffer.concat([prefix, cut]);
  return Buffer.concat([prefix, cut, Buffer.alloc(64, 0xff)]);
}

export class IndexScanStage implements PlanStage {
  readonly stageName = 'IXSCAN';
  private rangeIndex = 0;
  private iterator: Iterator<KvEntry> | undefined;
  private lastEntryKey: Buffer | undefined;
  private readonly seen = new Set<number>();
  private readonly prefix: Buffer;
  private readonly directions: Direction[];
  private keysExamined = 0;
  private returned = 0;
  private yielded = false;
  private done = false;

  constructor(
    private readonly storage: StorageEngine,
    private readonly entry: CollectionEntry,
    readonly index: IndexEntry,
    readonly options: IndexScanOptions,
  ) {
    this.prefix = idPrefix(KeyPrefix.index, index.indexId);
    this.directions = index.fields.map((field) => field.direction);
    if (options.direction === -1) this.rangeIndex = options.ranges.length - 1;
  }

  private currentRange(): KeyRange | undefined {
    return this.options.ranges[this.rangeIndex];
  }

  private open(range: KeyRange): Iterator<KvEntry> {
    if (
      this.storage.collection(this.entry.namespace) !== this.entry ||
      !this.entry.indexes.includes(this.index)
    ) {
      throw new MongoError('QueryPlanKilled', `index ${this.index.name} dropped during query`);
    }
    const start = storeBound(this.prefix, range.start, 'start');
    const end = storeBound(this.prefix, range.end, 'end');
    const last = this.lastEntryKey;
    const kvRange =
      this.options.direction === 1
        ? { start: last === undefined ? start : successor(last), end }
        : { start: last ?? end, end: start, reverse: true };
    return this.storage.kv.range(kvRange)[Symbol.iterator]();
  }

  private nextRange(): void {
    this.iterator = undefined;
    this.lastEntryKey = undefined;
    this.rangeIndex += this.options.direction;
  }

  private accept(
    range: KeyRange,
    entryKey: Buffer,
    value: Buffer,
  ): { recordId: number; values?: BsonValue[] } | undefined {
    const decoded = decodeEntry(this.index, entryKey, value);
    const key = decoded.keyString;
    if (Buffer.compare(key, range.start) < 0 || Buffer.compare(key, range.end) >= 0)
      return undefined;
    let values: BsonValue[] | undefined;
    if (this.options.checkFields.length > 0 || this.options.decodeKeys) {
      values = decodeKey(key, decoded.typeBits, this.directions);
      for (const field of this.options.checkFields) {
        if (!inIntervals(values[field], this.options.bounds[field] as Interval[])) return undefined;
      }
    }
    if (this.index.multikey) {
      if (this.seen.has(decoded.recordId)) return undefined;
      this.seen.add(decoded.recordId);
    }
    return values === undefined
      ? { recordId: decoded.recordId }
      : { recordId: decoded.recordId, values };
  }

  next(): StageResult {
    for (;;) {
      if (this.done) return undefined;
      const range = this.currentRange();
      if (range === undefined) {
        this.done = true;
        return undefined;
      }
      if (this.keysExamined > 0 && this.keysExamined % yieldIterations === 0 && !this.yielded) {
        this.yielded = true;
        this.saveState();
        return needYield;
      }
      this.yielded = false;
      this.iterator ??= this.open(range);
      const step = this.iterator.next();
      if (step.done === true) {
        this.nextRange();
        continue;
      }
      const { key, value } = step.value;
      if (
        this.options.direction === -1 &&
        this.lastEntryKey !== undefined &&
        key.equals(this.lastEntryKey)
      )
        continue;
      this.lastEntryKey = key;
      this.keysExamined++;
      const accepted = this.accept(range, key, value);
      if (accepted === undefined) continue;
      this.returned++;
      return {
        recordId: accepted.recordId,
        raw: undefined,
        doc: undefined,
        indexKey: this.keyDocument(accepted.values),
      };
    }
  }

  private keyDocument(values: BsonValue[] | undefined): BsonDocument | undefined {
    if (values === undefined) return undefined;
    const doc: BsonDocument = {};
    this.index.fields.forEach((field, i) => (doc[field.path] = values[i]));
    return doc;
  }

  isEOF(): boolean {
    return this.done;
  }

  saveState(): void {
    this.iterator?.return?.();
    this.iterator = undefined;
  }

  get keysExaminedCount(): number {
    return this.keysExamined;
  }

  stats(): StageStats {
    return {
      stage: this.stageName,
      nReturned: this.returned,
      works: this.keysExamined + 1,
      keysExamined: this.keysExamined,
      details: {
        indexName: this.index.name,
        direction: this.options.direction === 1 ? 'forward' : 'backward',
      },
      children: [],
    };
  }
}
