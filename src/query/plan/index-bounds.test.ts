// Index bounds as explain prints them, against MongoDB 7.0's (index_bounds_builder.cpp and
// the explain output of the same queries): one table row per predicate shape.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal128, Double, MaxKey, MinKey } from 'bson';
import type { BsonDocument } from '../../bson/types.js';
import { makeIndexEntry } from '../../storage/catalog-entry.js';
import { formatInterval } from '../../commands/explain/render-plan.js';
import { parseFilter } from '../filter/index.js';
import { doc } from '../test-values.js';
import { boundsForIndex, conjunctsOf } from './index-bounds.js';

function bounds(
  key: Record<string, number>,
  filter: BsonDocument,
  state: { multikey?: boolean } = {},
  options: BsonDocument = {},
): string[][] | undefined {
  const index = makeIndexEntry(1, { key: doc(key), name: 'i', ...options }, state);
  const result = boundsForIndex(index, conjunctsOf(parseFilter(filter)));
  return result?.fields.map((intervals) => intervals.map(formatInterval));
}

describe('single-field bounds', () => {
  const cases: [string, BsonDocument, string[]][] = [
    ['equality', doc({ a: 5 }), ['[5, 5]']],
    ['$gt a number', doc({ a: { $gt: 5 } }), ['(5, inf.0]']],
    ['$lte a number starts at -Infinity, above NaN', doc({ a: { $lte: 5 } }), ['[-inf.0, 5]']],
    ['$lt a string', doc({ a: { $lt: 'm' } }), ['["", "m")']],
    ['$gte a string', doc({ a: { $gte: 'm' } }), ['["m", {})']],
    ['range', doc({ a: { $gt: 1, $lte: 7 } }), ['(1, 7]']],
    ['$in, sorted', doc({ a: { $in: [3, 'x', 1] } }), ['[1, 1]', '[3, 3]', '["x", "x"]']],
    ['null also finds undefined', doc({ a: null }), ['[undefined, undefined]', '[null, null]']],
    [
      '$lte null is $eq null',
      doc({ a: { $lte: null } }),
      ['[undefined, undefined]', '[null, null]'],
    ],
    ['nothing is below null', doc({ a: { $lt: null } }), []],
    ['nothing is below the smallest string', doc({ a: { $lt: '' } }), []],
    ['$ne null', doc({ a: { $ne: null } }), ['[MinKey, null)', '(null, MaxKey]']],
    ['$ne', doc({ a: { $ne: 5 } }), ['[MinKey, 5)', '(5, MaxKey]']],
    ['$nin', doc({ a: { $nin: [1, 2] } }), ['[MinKey, 1)', '(1, 2)', '(2, MaxKey]']],
    ['$exists: true', doc({ a: { $exists: true } }), ['[MinKey, MaxKey]']],
    ['$exists: false', doc({ a: { $exists: false } }), ['[null, null]']],
    ['anchored regex', doc({ a: { $regex: '^ab' } }), ['["ab", "ac")', '[/^ab/, /^ab/]']],
    ['unanchored regex', doc({ a: { $regex: 'b' } }), ['["", {})', '[/b/, /b/]']],
    // analyze_regex.cpp: an alternation has no prefix; * and ? make the last char optional.
    ['regex alternation', doc({ a: { $regex: '^ab|c' } }), ['["", {})', '[/^ab|c/, /^ab|c/]']],
    [
      'regex optional char',
      doc({ a: { $regex: '^abc?' } }),
      ['["ab", "ac")', '[/^abc?/, /^abc?/]'],
    ],
    ['regex starred char', doc({ a: { $regex: '^a*' } }), ['["", {})', '[/^a*/, /^a*/]']],
    ['regex escaped pipe', doc({ a: { $regex: '^a\\|' } }), ['["a", "b")', '[/^a\\|/, /^a\\|/]']],
    ['$type number', doc({ a: { $type: 'number' } }), ['[nan.0, inf.0]']],
    ['array equality', doc({ a: [2, 1] }), ['[2, 2]', '[[ 2, 1 ], [ 2, 1 ]]']],
    ['empty array', doc({ a: [] }), ['[undefined, undefined]', '[[], []]']],
    // A multikey index holds elements: a range against an array spans from its first element.
    ['$gt an array', doc({ a: { $gt: [1, 2] } }), ['[1, MaxKey]']],
    ['$lt an array', doc({ a: { $lt: [1, 2] } }), ['[MinKey, [ 1, 2 ]]']],
    ['$gte an empty array', doc({ a: { $gte: [] } }), ['[MinKey, MaxKey]']],
    ['$lte an array of objects', doc({ a: { $lte: [{ x: 1 }] } }), ['[MinKey, [ { x: 1 } ]]']],
  ];
  for (const [name, filter, expected] of cases) {
    test(name, () => assert.deepEqual(bounds({ a: 1 }, filter), [expected]));
  }

  test('only NaN is <= or >= NaN, and nothing is < or > it', () => {
    const nan = new Double(NaN);
    assert.deepEqual(bounds({ a: 1 }, { a: { $lte: nan } }), [['[nan.0, nan.0]']]);
    assert.deepEqual(bounds({ a: 1 }, { a: { $gte: Decimal128.fromString('NaN') } }), [
      ['[nan.0, nan.0]'],
    ]);
    assert.deepEqual(bounds({ a: 1 }, { a: { $lt: nan } }), [[]]);
    assert.deepEqual(bounds({ a: 1 }, { a: { $gt: nan } }), [[]]);
  });

  test('MinKey and MaxKey comparisons give no bounds', () => {
    assert.deepEqual(bounds({ a: 1 }, { a: { $gt: new MinKey() } }), [['[MinKey, MaxKey]']]);
    assert.deepEqual(bounds({ a: 1 }, { a: { $lt: new MaxKey() } }), [['[MinKey, MaxKey]']]);
  });
});

describe('multikey and compound bounds', () => {
  test('two ranges on one path intersect unless the index is multikey', () => {
    const filter = doc({ a: { $gt: 1, $lt: 5 } });
    assert.deepEqual(bounds({ a: 1 }, filter), [['(1, 5)']]);
    // Each predicate may hold for a different element: one of them bounds the scan.
    assert.deepEqual(bounds({ a: 1 }, filter, { multikey: true }), [['(1, inf.0]']]);
    // Inside $elemMatch both hold for one element.
    const elem = doc({ a: { $elemMatch: { $gt: 1, $lt: 5 } } });
    assert.deepEqual(bounds({ a: 1 }, elem, { multikey: true }), [['(1, 5)']]);
  });

  test('$ne: null and $nin: [null] never bound a multikey index', () => {
    for (const filter of [doc({ a: { $ne: null } }), doc({ a: { $nin: [null, 1] } })]) {
      assert.deepEqual(bounds({ a: 1 }, filter, { multikey: true }), [['[MinKey, MaxKey]']]);
    }
  });

  test('compound fields each take their own predicates; a shared array prefix does not', () => {
    const filter = doc({ 'x.a': 1, 'x.b': { $gt: 2 } });
    assert.deepEqual(bounds({ 'x.a': 1, 'x.b': -1 }, filter), [['[1, 1]'], ['(2, inf.0]']]);
    assert.deepEqual(bounds({ 'x.a': 1, 'x.b': -1 }, filter, { multikey: true }), [
      ['[1, 1]'],
      ['[MinKey, MaxKey]'],
    ]);
  });

  test('a sparse index answers only predicates that exclude missing fields', () => {
    const sparse = doc({ sparse: true });
    assert.equal(bounds({ a: 1 }, doc({ a: null }), {}, sparse), undefined);
    assert.equal(bounds({ a: 1 }, doc({ a: { $exists: false } }), {}, sparse), undefined);
    assert.equal(bounds({ a: 1 }, doc({ b: 1 }), {}, sparse), undefined);
    assert.deepEqual(bounds({ a: 1 }, doc({ a: { $gt: 1 } }), {}, sparse), [['(1, inf.0]']]);
  });

  test('a partial index answers only queries that imply its filter', () => {
    const partial = { partialFilterExpression: doc({ a: { $gte: 10 } }) };
    assert.equal(bounds({ a: 1 }, doc({ a: { $gt: 5 } }), {}, partial), undefined);
    assert.deepEqual(bounds({ a: 1 }, doc({ a: { $gt: 10, $lt: 20 } }), {}, partial), [
      ['(10, 20)'],
    ]);
    assert.deepEqual(bounds({ a: 1 }, doc({ a: 12 }), {}, partial), [['[12, 12]']]);
  });
});

describe('exact bounds: no filter above the scan', () => {
  function exact(
    key: Record<string, number>,
    filter: BsonDocument,
    state: { multikey?: boolean; longKeys?: boolean } = {},
  ): boolean | undefined {
    const index = makeIndexEntry(1, { key: doc(key), name: 'i' }, state);
    return boundsForIndex(index, conjunctsOf(parseFilter(filter)))?.exact;
  }

  const cases: [string, Record<string, number>, BsonDocument, boolean][] = [
    ['equality on a number', { a: 1 }, doc({ a: 5 }), true],
    ['a range of strings', { a: 1 }, doc({ a: { $gte: 'b', $lt: 'd' } }), true],
    ['$in of numbers and strings', { a: 1 }, doc({ a: { $in: [1, 'x', 2.5] } }), true],
    ['both fields of a compound index', { a: 1, b: -1 }, doc({ a: 1, b: { $gt: 2 } }), true],
    ['a field the index lacks', { a: 1 }, doc({ a: 5, b: 1 }), false],
    ['null, which also matches missing and undefined', { a: 1 }, doc({ a: null }), false],
    ['NaN', { a: 1 }, doc({ a: { $gte: Number.NaN } }), false],
    ['a regex', { a: 1 }, doc({ a: /^x/ }), false],
    ['$in with a regex', { a: 1 }, doc({ a: { $in: [1, /x/] } }), false],
    ['an array value', { a: 1 }, doc({ a: [1, 2] }), false],
    ['a document value', { a: 1 }, doc({ a: { b: 1 } }), false],
    ['$ne', { a: 1 }, doc({ a: { $ne: 5 } }), false],
    ['$exists', { a: 1 }, doc({ a: { $exists: true } }), false],
    ['$or', { a: 1 }, doc({ $or: [{ a: 1 }, { a: 2 }] }), false],
    ['a numeric path component', { 'a.0': 1 }, doc({ 'a.0': 5 }), false],
    ['a dotted path', { 'a.b': 1 }, doc({ 'a.b': 5 }), true],
  ];
  for (const [name, key, filter, expected] of cases)
    test(name, () => assert.equal(exact(key, filter), expected));

  test('never on a multikey index: two predicates on one path are not intersected', () => {
    assert.equal(exact({ a: 1 }, doc({ a: { $gt: 1, $lt: 3 } }), { multikey: true }), false);
  });

  test('never with truncated long keys', () => {
    assert.equal(exact({ a: 1 }, doc({ a: 5 }), { longKeys: true }), false);
  });
});
