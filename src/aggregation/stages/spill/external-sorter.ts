/**
 * Sorting within a memory budget (the server's Sorter). Items are kept in memory until
 * they exceed the budget; then, if disk use is allowed, the buffer is sorted and written
 * out as a run, otherwise the stage's memory error is thrown. The output merges the runs.
 * With a limit only the best `limit` items are kept, so memory is bounded by the limit.
 */
import type { BsonDocument } from '../../../bson/types.js';
import type { MongoError } from '../../../errors/mongo-error.js';
import { assert } from '../../../util/assert.js';
import { RunMerger } from './merge-runs.js';
import type { RunReader, SpillArea } from './spill-area.js';

/** Runs merged into one when this many exist, so a merge never opens too many files. */
export const runsMax = 64;

export interface ExternalSorterOptions<K, T> {
  compare(a: K, b: K): number;
  /** How an item is written to a run and read back. */
  encode(value: T, key: K): BsonDocument | Uint8Array;
  keyOf(doc: BsonDocument): K;
  valueOf(doc: BsonDocument): T;
  memoryLimitBytes: number;
  allowDiskUse: boolean;
  spill: SpillArea;
  limit?: number;
  /** The error when the budget is exceeded and disk use is not allowed. */
  exceeded(): MongoError;
}

interface Item<K, T> {
  key: K;
  value: T;
  bytes: number;
}

export interface SortedOutput<K, T> {
  next(): { key: K; value: T } | undefined;
  close(): void;
}

export class ExternalSorter<K, T> {
  private items: Item<K, T>[] = [];
  private memoryBytes = 0;
  private runs: RunReader[] = [];
  /** Bytes of every item added, as explain's totalDataSizeSorted. */
  totalBytes = 0;
  spills = 0;

  constructor(private readonly options: ExternalSorterOptions<K, T>) {}

  private readonly byKey = (a: Item<K, T>, b: Item<K, T>): number =>
    this.options.compare(a.key, b.key);

  get usedDisk(): boolean {
    return this.spills > 0;
  }

  add(key: K, value: T, bytes: number): void {
    this.items.push({ key, value, bytes });
    this.memoryBytes += bytes;
    this.totalBytes += bytes;
    const limit = this.options.limit;
    if (limit !== undefined && this.items.length >= limit * 2 + 16) this.truncate(limit);
    if (this.memoryBytes > this.options.memoryLimitBytes) {
      if (!this.options.allowDiskUse) throw this.options.exceeded();
      this.spillItems();
    }
  }

  /** Keeps the best `limit` items; a stable sort keeps earlier inputs first among ties. */
  private truncate(limit: number): void {
    this.items.sort(this.byKey);
    for (const dropped of this.items.splice(limit)) this.memoryBytes -= dropped.bytes;
  }

  private spillItems(): void {
    this.items.sort(this.byKey);
    const limit = this.options.limit;
    const writer = this.options.spill.createRun();
    const count = limit === undefined ? this.items.length : Math.min(limit, this.items.length);
    for (let i = 0; i < count; i++) {
      const item = this.items[i] as Item<K, T>;
      writer.write(this.options.encode(item.value, item.key));
    }
    this.runs.push(writer.finish());
    this.spills++;
    this.items = [];
    this.memoryBytes = 0;
    if (this.runs.length >= runsMax) this.compactRuns();
  }

  /** Merges every run into one. */
  private compactRuns(): void {
    const merger = this.merger(this.runs);
    const writer = this.options.spill.createRun();
    const limit = this.options.limit ?? Infinity;
    for (let count = 0; count < limit; count++) {
      const next = merger.next();
      if (next === undefined) break;
      writer.write(next.doc);
    }
    merger.close();
    this.runs = [writer.finish()];
  }

  private merger(runs: readonly RunReader[]): RunMerger<K> {
    return new RunMerger(runs, {
      keyOf: (doc) => this.options.keyOf(doc),
      compare: (a, b) => this.options.compare(a, b),
    });
  }

  /** The items in order. The sorter must not be used after this. */
  finish(): SortedOutput<K, T> {
    const limit = this.options.limit ?? Infinity;
    let returned = 0;
    if (this.runs.length === 0) {
      this.items.sort(this.byKey);
      const items = this.items;
      this.items = [];
      let position = 0;
      return {
        next: () => {
          if (returned >= limit) return undefined;
          const item = items[position++];
          if (item === undefined) return undefined;
          returned++;
          return item;
        },
        close: () => {
          items.length = 0;
        },
      };
    }
    if (this.items.length > 0) this.spillItems();
    assert(this.items.length === 0, 'items left after the final spill');
    const merger = this.merger(this.runs);
    this.runs = [];
    return {
      next: () => {
        if (returned >= limit) return undefined;
        const next = merger.next();
        if (next === undefined) return undefined;
        returned++;
        return { key: next.key, value: this.options.valueOf(next.doc) };
      },
      close: () => merger.close(),
    };
  }
}
