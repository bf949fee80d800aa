// Sort semantics: MongoDB manual "Comparison/Sort Order" (BSON type order; "an ascending
// sort compares the smallest element of arrays, a descending sort the largest"; "a
// comparison of an empty array treats [] as less than null or a missing field") and
// src/mongo/db/index/sort_key_generator.cpp (the sort key is the first index key).
// Spec errors: src/mongo/db/query/sort_pattern.cpp.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Binary, BSONRegExp, Double, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import type { BsonDocument } from '../bson/types.js';
import { MongoError } from '../errors/mongo-error.js';
import { compileSort, parseSort, sortDocuments } from './sort.js';
import { bson, doc } from './test-values.js';

function order(spec: Record<string, unknown>, docs: Record<string, unknown>[]): unknown[] {
  const sorted = sortDocuments(docs.map(doc), compileSort(doc(spec)));
  return sorted.map((entry) => (entry._id as { value: number }).value);
}

function rejects(spec: Record<string, unknown>, code: number, message?: string): void {
  assert.throws(
    () => parseSort(doc(spec)),
    (error: unknown) =>
      error instanceof MongoError &&
      error.code === code &&
      (message === undefined || error.message === message),
  );
}

describe('sort order', () => {
  test('BSON types sort in the canonical order, missing as null', () => {
    const values: unknown[] = [
      new MaxKey(),
      new BSONRegExp('a', ''),
      new Timestamp({ t: 1, i: 1 }),
      new Date(0),
      true,
      new ObjectId('000000000000000000000000'),
      new Binary(Buffer.from([1])),
      [9],
      { x: 1 },
      'a',
      1,
      null,
      new MinKey(),
    ];
    const docs = values.map((a, i) => ({ _id: i, a }));
    assert.deepEqual(order({ a: 1 }, docs), [12, 11, 10, 7, 9, 8, 6, 5, 4, 3, 2, 1, 0]);
    // A one-element array sorts by its element, so [9] sits with the numbers.
  });

  test('numbers compare exactly across types', () => {
    const docs = [
      { _id: 0, a: new Double(2 ** 53) },
      { _id: 1, a: Long.fromString('9007199254740993') },
      { _id: 2, a: 9007199254740992 },
      { _id: 3, a: new Double(-0.5) },
    ];
    assert.deepEqual(order({ a: 1 }, docs), [3, 0, 2, 1]);
  });

  test('ascending uses the least element of an array, descending the greatest', () => {
    const docs = [
      { _id: 0, a: [5, 1] },
      { _id: 1, a: [2, 3] },
      { _id: 2, a: 4 },
    ];
    assert.deepEqual(order({ a: 1 }, docs), [0, 1, 2]);
    assert.deepEqual(order({ a: -1 }, docs), [0, 2, 1]);
  });

  test('an empty array sorts before null and missing; they tie and keep input order', () => {
    const docs = [
      { _id: 0, a: 1 },
      { _id: 1 },
      { _id: 2, a: null },
      { _id: 3, a: [] },
      { _id: 4, a: [null] },
    ];
    assert.deepEqual(order({ a: 1 }, docs), [3, 1, 2, 4, 0]);
    assert.deepEqual(order({ a: -1 }, docs), [0, 1, 2, 4, 3]);
  });

  test('a nested array is compared as an array, after numbers', () => {
    const docs = [
      { _id: 0, a: [[0], 5] },
      { _id: 1, a: 4 },
    ];
    assert.deepEqual(order({ a: 1 }, docs), [1, 0]);
  });

  test('dotted paths through arrays of documents', () => {
    const docs = [
      { _id: 0, a: [{ b: 3 }, { b: 1 }] },
      { _id: 1, a: [{ b: 2 }] },
      { _id: 2, a: [{ b: 5 }, { c: 1 }] },
    ];
    assert.deepEqual(order({ 'a.b': 1 }, docs), [2, 0, 1]);
    assert.deepEqual(order({ 'a.b': -1 }, docs), [2, 0, 1]);
  });

  test('compound sorts pick one key per document from the same array element', () => {
    const docs = [
      {
        _id: 0,
        a: [
          { x: 2, y: 9 },
          { x: 1, y: 7 },
        ],
      },
      { _id: 1, a: [{ x: 1, y: 8 }] },
    ];
    assert.deepEqual(order({ 'a.x': 1, 'a.y': 1 }, docs), [0, 1]);
    assert.deepEqual(order({ 'a.x': 1, 'a.y': -1 }, docs), [1, 0]);
  });

  test('compound directions', () => {
    const docs = [
      { _id: 0, a: 1, b: 1 },
      { _id: 1, a: 1, b: 2 },
      { _id: 2, a: 0, b: 0 },
    ];
    assert.deepEqual(order({ a: 1, b: -1 }, docs), [2, 1, 0]);
  });

  test('two array fields cannot be sorted together', () => {
    const comparator = compileSort(doc({ a: 1, b: 1 }));
    assert.throws(
      () => comparator.keyOf(doc({ a: [1, 2], b: [1, 2] })),
      (error: unknown) =>
        error instanceof MongoError &&
        error.code === 2 &&
        error.message === 'cannot sort with keys that are parallel arrays',
    );
  });

  test('an empty specification keeps the input order', () => {
    const docs: BsonDocument[] = [doc({ _id: 1 }), doc({ _id: 0 })];
    assert.deepEqual(sortDocuments(docs, compileSort({})), docs);
  });
});

describe('sort specification errors', () => {
  test('directions other than 1 and -1', () => {
    rejects({ a: 0 }, 15975, '$sort key ordering must be 1 (for ascending) or -1 (for descending)');
    rejects({ a: 2 }, 15975);
    rejects({ a: new Double(0.5) }, 15975);
  });
  test('fractional directions truncate (safeNumberLong)', () => {
    assert.deepEqual(parseSort(doc({ a: 1.5, b: -1.9 })), [
      { path: 'a', direction: 1 },
      { path: 'b', direction: -1 },
    ]);
  });
  test('non-numeric directions', () => {
    rejects({ a: 'x' }, 15974, 'Illegal key in $sort specification: a: "x"');
    rejects({ a: true }, 15974, 'Illegal key in $sort specification: a: true');
    rejects({ a: null }, 15974, 'Illegal key in $sort specification: a: null');
    rejects({ a: [] }, 15974, 'Illegal key in $sort specification: a: []');
  });
  test('objects other than $meta', () => {
    rejects({ a: { x: 1 } }, 17312, '$meta is the only expression supported by $sort right now');
    rejects({ a: { $meta: 'textScore', x: 1 } }, 9);
    rejects({ a: { $meta: 'textScore' } }, 238);
  });
  test('invalid field paths', () => {
    rejects({ '': 1 }, 40352);
    rejects({ 'a.': 1 }, 40353);
    rejects({ 'a..b': 1 }, 15998);
    rejects({ $a: 1 }, 16410);
    assert.doesNotThrow(() => parseSort(doc({ 'r.$id': 1 })));
  });
  test('the specification is kept in order', () => {
    assert.deepEqual(
      parseSort(bson({ b: -1, a: 1 }) as BsonDocument).map((field) => field.path),
      ['b', 'a'],
    );
  });
});
