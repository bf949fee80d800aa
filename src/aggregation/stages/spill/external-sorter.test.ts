/** The external sorter: runs written and merged stably, limits, compaction, cleanup. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Int32 } from 'bson';
import type { BsonDocument } from '../../../bson/types.js';
import { MongoError } from '../../../errors/mongo-error.js';
import { SeededRandom } from '../../../platform/random.js';
import { ExternalSorter, runsMax } from './external-sorter.js';
import { SpillArea } from './spill-area.js';
import { filesIn } from '../test-support.js';

function sorter(
  spill: SpillArea,
  memoryLimitBytes: number,
  limit?: number,
): ExternalSorter<number, BsonDocument> {
  return new ExternalSorter<number, BsonDocument>({
    compare: (a, b) => a - b,
    encode: (doc) => doc,
    keyOf: (doc) => (doc.k as Int32).value,
    valueOf: (doc) => doc,
    memoryLimitBytes,
    allowDiskUse: true,
    spill,
    ...(limit === undefined ? {} : { limit }),
    exceeded: () => new MongoError('QueryExceededMemoryLimitNoDiskUseAllowed', 'over'),
  });
}

function drain(sorted: ExternalSorter<number, BsonDocument>): number[][] {
  const output = sorted.finish();
  const out: number[][] = [];
  for (let next = output.next(); next !== undefined; next = output.next()) {
    out.push([next.key, (next.value.i as Int32).value]);
  }
  output.close();
  return out;
}

describe('ExternalSorter', () => {
  const keys = Array.from({ length: 500 }, (_, i) => (i * 37) % 11);
  const expected = keys
    .map((k, i) => [k, i])
    .sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));

  test('spilled runs merge into a stable sort, and every file is deleted', () => {
    const directory = mkdtempSync(join(tmpdir(), 'shoal-sorter-'));
    const spill = new SpillArea(directory, new SeededRandom(1));
    const sort = sorter(spill, 200);
    keys.forEach((k, i) => sort.add(k, { k: new Int32(k), i: new Int32(i) }, 40));
    assert.ok(sort.spills > runsMax, 'more runs than one merge opens, so runs were compacted');
    assert.deepEqual(drain(sort), expected);
    assert.deepEqual(filesIn(directory), []);
    rmSync(directory, { recursive: true, force: true });
  });

  test('a limit keeps only the first documents in order', () => {
    const directory = mkdtempSync(join(tmpdir(), 'shoal-sorter-'));
    const spill = new SpillArea(directory, new SeededRandom(1));
    const sort = sorter(spill, 200, 7);
    keys.forEach((k, i) => sort.add(k, { k: new Int32(k), i: new Int32(i) }, 40));
    assert.deepEqual(drain(sort), expected.slice(0, 7));
    spill.dispose();
    assert.deepEqual(filesIn(directory), []);
    rmSync(directory, { recursive: true, force: true });
  });

  test('dispose closes and deletes runs still being read', () => {
    const directory = mkdtempSync(join(tmpdir(), 'shoal-sorter-'));
    const spill = new SpillArea(directory, new SeededRandom(1));
    const sort = sorter(spill, 200);
    keys.forEach((k, i) => sort.add(k, { k: new Int32(k), i: new Int32(i) }, 40));
    const output = sort.finish();
    assert.ok(output.next() !== undefined);
    assert.ok(filesIn(directory).length > 0);
    spill.dispose();
    assert.deepEqual(filesIn(directory), []);
    rmSync(directory, { recursive: true, force: true });
  });
});
