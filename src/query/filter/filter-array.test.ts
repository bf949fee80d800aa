// Array semantics: MongoDB manual "Query an Array", "Query an Array of Embedded Documents",
// $elemMatch, $size, $all, $in/$nin, and the positional `$` ("the first element that
// matches the query condition on the array"); traversal as in matcher/path.cpp.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BSONRegExp, DBRef, Int32 } from 'bson';
import type { ObjectId } from 'bson';
import { MongoError } from '../../errors/mongo-error.js';
import { doc } from '../test-values.js';
import { compileFilter } from './compile-filter.js';
import type { MatchDetails } from './compile-filter.js';

function matches(filter: Record<string, unknown>, input: Record<string, unknown>): boolean {
  return compileFilter(doc(filter))(doc(input));
}

function arrayIndex(
  filter: Record<string, unknown>,
  input: Record<string, unknown>,
): number | undefined {
  const details: MatchDetails = {};
  assert.equal(compileFilter(doc(filter))(doc(input), details), true, 'the filter must match');
  return details.arrayIndex;
}

type Case = [string, Record<string, unknown>, Record<string, unknown>, boolean];

function table(cases: Case[]): void {
  for (const [name, filter, input, expected] of cases)
    test(name, () => assert.equal(matches(filter, input), expected));
}

describe('implicit array traversal', () => {
  table([
    ['an element equals the value', { a: 2 }, { a: [1, 2] }, true],
    ['no element equals the value', { a: 3 }, { a: [1, 2] }, false],
    ['a range over elements', { a: { $gt: 1, $lt: 3 } }, { a: [0, 5] }, true],
    ['a path through documents in an array', { 'a.b': 2 }, { a: [{ b: 1 }, { b: 2 }] }, true],
    [
      'a path through arrays at two levels',
      { 'a.b.c': 3 },
      { a: [{ b: [{ c: 1 }, { c: 3 }] }] },
      true,
    ],
    ['arrays of arrays are not flattened', { a: 1 }, { a: [[1, 2]] }, false],
    ['arrays of arrays under a path are not traversed', { 'a.b': 1 }, { a: [[{ b: 1 }]] }, false],
    ['a numeric component indexes an array', { 'a.1': 5 }, { a: [4, 5] }, true],
    ['a numeric component is also a field name', { 'a.1': 5 }, { a: { '1': 5 } }, true],
    [
      'a numeric component reaches into the element document',
      { 'a.0.b': 1 },
      { a: [{ b: 1 }] },
      true,
    ],
    ['an index into a nested array', { 'a.0.1': 2 }, { a: [[1, 2]] }, true],
    ['$ne is the negation over all elements', { a: { $ne: 1 } }, { a: [1, 2] }, false],
    ['$ne matches when no element equals', { a: { $ne: 3 } }, { a: [1, 2] }, true],
    ['$ne matches a missing field', { a: { $ne: 3 } }, {}, true],
    [
      '$not with a range negates the whole predicate',
      { a: { $not: { $gt: 5 } } },
      { a: [1, 6] },
      false,
    ],
    ['$not matches missing and other types', { a: { $not: { $gt: 5 } } }, { a: 'x' }, true],
  ]);
});

describe('$in and $nin', () => {
  table([
    ['$in matches an element', { a: { $in: [5, 2] } }, { a: [1, 2] }, true],
    ['$in: [] matches nothing', { a: { $in: [] } }, { a: 1 }, false],
    ['$nin: [] matches everything', { a: { $nin: [] } }, {}, true],
    ['$nin is the negation of $in', { a: { $nin: [2] } }, { a: [1, 2] }, false],
    ['$nin matches missing', { a: { $nin: [2] } }, {}, true],
    ['$in with an array matches the whole array', { a: { $in: [[1, 2]] } }, { a: [1, 2] }, true],
    [
      '$in with a regex matches strings',
      { a: { $in: [new BSONRegExp('^b', ''), 5] } },
      { a: ['abc', 'bcd'] },
      true,
    ],
    [
      '$in with a regex does not match other types',
      { a: { $in: [new BSONRegExp('5', '')] } },
      { a: 5 },
      false,
    ],
    ['$in compares numbers by value', { a: { $in: [1.0, 'x'] } }, { a: 1 }, true],
    [
      '$in with many values (binary search)',
      { a: { $in: [9, 3, 7, 1, 5, 'x', null, true] } },
      { a: 7 },
      true,
    ],
  ]);
  test('$in arguments', () => {
    const bad: [unknown, string][] = [
      [{ $in: 5 }, '$in needs an array'],
      [{ $nin: 5 }, '$nin needs an array'],
      [{ $in: [{ $gt: 1 }] }, 'cannot nest $ under $in'],
      [{ $in: [undefined] }, 'InMatchExpression equality cannot be undefined'],
    ];
    for (const [operators, message] of bad) {
      assert.throws(
        () => compileFilter(doc({ a: operators })),
        (error: unknown) =>
          error instanceof MongoError && error.code === 2 && error.message === message,
      );
    }
  });
});

describe('$elemMatch', () => {
  table([
    [
      'value form: one element meets every condition',
      { a: { $elemMatch: { $gt: 1, $lt: 3 } } },
      { a: [0, 2] },
      true,
    ],
    [
      'value form: conditions met by different elements',
      { a: { $elemMatch: { $gt: 1, $lt: 3 } } },
      { a: [0, 5] },
      false,
    ],
    ['value form with $not', { a: { $elemMatch: { $not: { $gt: 1 } } } }, { a: [5, 0] }, true],
    [
      'value form does not traverse nested arrays',
      { a: { $elemMatch: { $eq: 1 } } },
      { a: [[1]] },
      false,
    ],
    [
      'object form: one element document meets all',
      { a: { $elemMatch: { b: 1, c: 2 } } },
      { a: [{ b: 1, c: 2 }] },
      true,
    ],
    [
      'object form: split across elements',
      { a: { $elemMatch: { b: 1, c: 2 } } },
      { a: [{ b: 1 }, { c: 2 }] },
      false,
    ],
    [
      'object form with $or',
      { a: { $elemMatch: { $or: [{ b: 1 }, { c: 2 }] } } },
      { a: [{ c: 2 }] },
      true,
    ],
    [
      'an empty object matches any document element',
      { a: { $elemMatch: {} } },
      { a: [1, { b: 1 }] },
      true,
    ],
    [
      'an empty object does not match scalar elements',
      { a: { $elemMatch: {} } },
      { a: [1, 2] },
      false,
    ],
    ['only arrays match', { a: { $elemMatch: { $gt: 0 } } }, { a: 5 }, false],
    [
      'through documents in an array',
      { 'a.b': { $elemMatch: { $gt: 5 } } },
      { a: [{ b: [1] }, { b: [9] }] },
      true,
    ],
    [
      'object form on nested array elements',
      { a: { $elemMatch: { '0': 1 } } },
      { a: [[1, 2]] },
      true,
    ],
    [
      'DBRef fields in object form',
      { a: { $elemMatch: { $ref: 'c', $id: 1 } } },
      { a: [{ $ref: 'c', $id: 1 }] },
      true,
    ],
  ]);
  test('a DBRef argument is an object-form $elemMatch', () => {
    const ref = new DBRef('c', new Int32(1) as unknown as ObjectId);
    assert.equal(compileFilter({ a: { $elemMatch: ref } })({ a: [ref] }), true);
  });
  test('errors', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ a: { $elemMatch: 5 } }, '$elemMatch needs an Object'],
      [
        { a: { $elemMatch: { $where: 'x' } } },
        '$where can only be applied to the top-level document',
      ],
      [
        { a: { $elemMatch: { $expr: true } } },
        '$expr can only be applied to the top-level document',
      ],
    ];
    for (const [filter, message] of bad) {
      assert.throws(
        () => compileFilter(doc(filter)),
        (error: unknown) =>
          error instanceof MongoError && error.code === 2 && error.message === message,
      );
    }
  });
});

describe('$size', () => {
  table([
    ['an array of that size', { a: { $size: 2 } }, { a: [1, [2, 3]] }, true],
    ['an empty array', { a: { $size: 0 } }, { a: [] }, true],
    ['not a nested array', { a: { $size: 2 } }, { a: [[1, 2]] }, false],
    ['not a non-array', { a: { $size: 1 } }, { a: 'x' }, false],
    ['not missing', { a: { $size: 0 } }, {}, false],
    [
      'through documents in an array',
      { 'a.b': { $size: 1 } },
      { a: [{ b: [1, 2] }, { b: [3] }] },
      true,
    ],
    ['an integral double', { a: { $size: 1.0 } }, { a: [1] }, true],
  ]);
  test('arguments', () => {
    const bad: [unknown, string][] = [
      [-1, 'Failed to parse $size. Expected a positive number in: $size: -1'],
      [1.5, 'Failed to parse $size. Expected an integer: $size: 1.5'],
      ['1', 'Failed to parse $size. Expected a number in: $size: "1"'],
    ];
    for (const [size, message] of bad) {
      assert.throws(
        () => compileFilter(doc({ a: { $size: size } })),
        (error: unknown) =>
          error instanceof MongoError && error.code === 2 && error.message === message,
      );
    }
  });
});

describe('$all', () => {
  table([
    ['every value is an element', { a: { $all: [1, 2] } }, { a: [2, 3, 1] }, true],
    ['a value is missing', { a: { $all: [1, 4] } }, { a: [2, 3, 1] }, false],
    ['on a non-array equals the value', { a: { $all: [1] } }, { a: 1 }, true],
    ['[] matches nothing', { a: { $all: [] } }, { a: [] }, false],
    ['a nested array value', { a: { $all: [[1, 2]] } }, { a: [[1, 2], 3] }, true],
    [
      'a nested array value matches the whole array too',
      { a: { $all: [[1, 2]] } },
      { a: [1, 2] },
      true,
    ],
    [
      'regexes',
      { a: { $all: [new BSONRegExp('^a', ''), new BSONRegExp('c$', '')] } },
      { a: ['ab', 'bc'] },
      true,
    ],
    [
      'with $elemMatch',
      { a: { $all: [{ $elemMatch: { b: 1 } }, { $elemMatch: { b: 2 } }] } },
      { a: [{ b: 1 }, { b: 2 }] },
      true,
    ],
    [
      'with $elemMatch, one missing',
      { a: { $all: [{ $elemMatch: { b: 1 } }, { $elemMatch: { b: 3 } }] } },
      { a: [{ b: 1 }] },
      false,
    ],
  ]);
  test('arguments', () => {
    const bad: [unknown, string][] = [
      [5, '$all needs an array'],
      [[{ $gt: 1 }], 'no $ expressions in $all'],
      [[{ $elemMatch: { b: 1 } }, 5], '$all/$elemMatch has to be consistent'],
    ];
    for (const [all, message] of bad) {
      assert.throws(
        () => compileFilter(doc({ a: { $all: all } })),
        (error: unknown) =>
          error instanceof MongoError && error.code === 2 && error.message === message,
      );
    }
  });
});

describe('MatchDetails.arrayIndex (positional $)', () => {
  test('the index of the first matching element', () => {
    assert.equal(arrayIndex({ a: 3 }, { a: [1, 3, 3] }), 1);
    assert.equal(arrayIndex({ 'a.b': 2 }, { a: [{ b: 1 }, { b: 2 }] }), 1);
    assert.equal(arrayIndex({ a: { $gte: 2 } }, { a: [1, 2, 3] }), 1);
  });
  test('the outermost array on the path', () => {
    assert.equal(arrayIndex({ 'a.b': 5 }, { a: [{ b: [0] }, { b: [1, 5] }] }), 1);
  });
  test('$elemMatch reports the element it matched', () => {
    assert.equal(arrayIndex({ a: { $elemMatch: { $gt: 2 } } }, { a: [1, 3] }), 1);
    assert.equal(arrayIndex({ a: { $elemMatch: { b: 2 } } }, { a: [{ b: 1 }, { b: 2 }] }), 1);
  });
  test('in a conjunction the last condition that records wins', () => {
    assert.equal(arrayIndex({ a: 1, b: 7 }, { a: [0, 1], b: [5, 6, 7] }), 2);
  });
  test('$or, $nor and $not record nothing; nor does a match outside arrays', () => {
    assert.equal(arrayIndex({ $or: [{ a: 1 }] }, { a: [0, 1] }), undefined);
    assert.equal(arrayIndex({ a: { $ne: 5 } }, { a: [0, 1] }), undefined);
    assert.equal(arrayIndex({ a: 1 }, { a: 1 }), undefined);
  });
  test('an explicit index is not an implicit traversal', () => {
    assert.equal(arrayIndex({ 'a.1': 5 }, { a: [4, 5] }), undefined);
  });
  test('a failed match leaves no index behind', () => {
    const details: MatchDetails = { arrayIndex: 4 };
    assert.equal(compileFilter(doc({ a: 1, b: 2 }))(doc({ a: [0, 1], b: 3 }), details), false);
    assert.equal(details.arrayIndex, undefined);
  });
});
