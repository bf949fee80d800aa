// Expected keys follow src/mongo/db/index/btree_key_generator.cpp (and its tests): one key
// per element of the one array along the paths, null for missing, undefined for [].
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareValues } from '../bson/compare.js';
import { MongoError } from '../errors/mongo-error.js';
import { forEachIndexKey } from './index-keys.js';
import type { IndexKey } from './index-keys.js';
import { bson, doc } from './test-values.js';

/** The distinct keys, as MongoDB's KeyStringSet holds them. */
function keys(input: Record<string, unknown>, paths: string[]): IndexKey[] {
  const out: IndexKey[] = [];
  forEachIndexKey(doc(input), paths, (key) => {
    const equal = (other: IndexKey): boolean =>
      other.every((value, i) => compareValues(value, key[i]) === 0);
    if (!out.some(equal)) out.push(key);
  });
  return out;
}

describe('forEachIndexKey', () => {
  const cases: [string, Record<string, unknown>, string[], unknown[][]][] = [
    ['a scalar', { a: 1 }, ['a'], [[1]]],
    ['a missing field is null', {}, ['a'], [[null]]],
    ['an array: one key per element', { a: [1, 2] }, ['a'], [[1], [2]]],
    ['an empty array is undefined', { a: [] }, ['a'], [[undefined]]],
    ['a nested array is one value', { a: [[1, 2], 3] }, ['a'], [[[1, 2]], [3]]],
    ['documents in an array', { a: [{ b: 1 }, { b: 2 }, { c: 3 }] }, ['a.b'], [[1], [2], [null]]],
    ['scalars in an array have no subfield', { a: [1, { b: 2 }] }, ['a.b'], [[null], [2]]],
    ['an empty array mid-path is null', { a: [] }, ['a.b'], [[null]]],
    [
      'paths through the same array share its elements',
      {
        a: [
          { b: 1, c: 'x' },
          { b: 2, c: 'y' },
        ],
      },
      ['a.b', 'a.c'],
      [
        [1, 'x'],
        [2, 'y'],
      ],
    ],
    [
      'an array and a scalar',
      { a: [1, 2], b: 3 },
      ['a', 'b'],
      [
        [1, 3],
        [2, 3],
      ],
    ],
    ['a positional component selects an element', { a: [{ b: 1 }, { b: 2 }] }, ['a.1.b'], [[2]]],
    ['a positional nested array is not expanded', { a: [[1, 2]] }, ['a.0'], [[[1, 2]]]],
    ['a positional element past the end is null', { a: [1] }, ['a.5'], [[null]]],
  ];
  for (const [name, input, paths, expected] of cases) {
    test(name, () =>
      assert.deepEqual(
        keys(input, paths),
        expected.map((key) => bson(key)),
      ),
    );
  }

  test('two different arrays are parallel arrays', () => {
    assert.throws(
      () => keys({ a: [1], b: [2] }, ['a', 'b']),
      (error: unknown) =>
        error instanceof MongoError &&
        error.code === 171 &&
        error.message === 'cannot index parallel arrays [b] [a]',
    );
  });

  test('a numeric field in a positionally indexed array is ambiguous', () => {
    assert.throws(
      () => keys({ a: [{ '0': 1 }] }, ['a.0']),
      (error: unknown) => error instanceof MongoError && error.code === 16746,
    );
  });
});
