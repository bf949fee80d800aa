/**
 * A k-way merge of sorted runs with a binary heap. Ties go to the earlier run, and each
 * run keeps its own order, so a merge of stably sorted runs written in input order is
 * itself a stable sort of the whole input.
 */
import type { BsonDocument } from '../../../bson/types.js';
import { assert } from '../../../util/assert.js';
import type { RunReader } from './spill-area.js';

/** Orders two documents of the runs; `keyOf` results are cached per run head. */
export interface RunOrder<K> {
  keyOf(doc: BsonDocument): K;
  compare(a: K, b: K): number;
}

interface Head<K> {
  run: number;
  reader: RunReader;
  doc: BsonDocument;
  key: K;
}

export class RunMerger<K> {
  private readonly heap: Head<K>[] = [];

  constructor(
    readers: readonly RunReader[],
    private readonly order: RunOrder<K>,
  ) {
    readers.forEach((reader, run) => {
      const doc = reader.peek();
      if (doc !== undefined) this.push({ run, reader, doc, key: order.keyOf(doc) });
    });
  }

  /** The smallest remaining document and its key, without consuming it. */
  peek(): { doc: BsonDocument; key: K } | undefined {
    return this.heap[0];
  }

  /** Consumes and returns the smallest remaining document. */
  next(): { doc: BsonDocument; key: K } | undefined {
    const top = this.heap[0];
    if (top === undefined) return undefined;
    const result = { doc: top.doc, key: top.key };
    top.reader.advance();
    const doc = top.reader.peek();
    if (doc === undefined) {
      const last = this.heap.pop() as Head<K>;
      if (this.heap.length > 0) {
        this.heap[0] = last;
        this.siftDown(0);
      }
    } else {
      top.doc = doc;
      top.key = this.order.keyOf(doc);
      this.siftDown(0);
    }
    return result;
  }

  /** Closes (and deletes) every run not yet exhausted. */
  close(): void {
    for (const head of this.heap) head.reader.close();
    this.heap.length = 0;
  }

  private less(a: Head<K>, b: Head<K>): boolean {
    const order = this.order.compare(a.key, b.key);
    return order < 0 || (order === 0 && a.run < b.run);
  }

  private push(head: Head<K>): void {
    this.heap.push(head);
    let index = this.heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.less(this.heap[index] as Head<K>, this.heap[parent] as Head<K>)) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    let index = start;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && this.less(heap[left] as Head<K>, heap[smallest] as Head<K>))
        smallest = left;
      if (right < heap.length && this.less(heap[right] as Head<K>, heap[smallest] as Head<K>))
        smallest = right;
      if (smallest === index) return;
      this.swap(index, smallest);
      index = smallest;
    }
  }

  private swap(i: number, j: number): void {
    const heap = this.heap;
    assert(i < heap.length && j < heap.length, 'heap index out of range');
    [heap[i], heap[j]] = [heap[j] as Head<K>, heap[i] as Head<K>];
  }
}
