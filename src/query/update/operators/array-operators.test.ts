/**
 * $push (with $each, $position, $sort, $slice), $addToSet, $pop, $pull and $pullAll.
 * Expected results follow the operators' reference pages (the $push "multiple modifiers"
 * and $pull examples are taken from them) and push_node.cpp, addtoset_node.cpp,
 * pop_node.cpp, pull_node.cpp, array_culling_node.cpp.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BSONRegExp, Double, Long } from 'bson';
import type { UpdateCase } from '../update-test-helpers.js';
import { assertMongoError, assertSameBson, bsonDoc, runUpdate } from '../update-test-helpers.js';

interface ResultCase extends UpdateCase {
  name: string;
  expected: Record<string, unknown>;
  modified?: boolean;
}

function runTable(cases: ResultCase[]): void {
  for (const c of cases) {
    void test(c.name, () => {
      const result = runUpdate(c);
      assertSameBson(result.doc, bsonDoc(c.expected));
      assert.equal(result.modified, c.modified ?? true);
    });
  }
}

interface ErrorCase extends UpdateCase {
  name: string;
  code: number;
  message: string;
}

function runErrors(cases: ErrorCase[]): void {
  for (const c of cases) {
    void test(c.name, () => assertMongoError(() => runUpdate(c), c.code, c.message));
  }
}

const quizzes = [
  { wk: 1, score: 10 },
  { wk: 2, score: 8 },
  { wk: 3, score: 5 },
  { wk: 4, score: 6 },
];

void describe('$push', () => {
  runTable([
    {
      name: 'appends',
      doc: { _id: 1, a: [1] },
      update: { $push: { a: 2 } },
      expected: { _id: 1, a: [1, 2] },
    },
    {
      name: 'creates a missing array',
      doc: { _id: 1 },
      update: { $push: { 'a.b': 2 } },
      expected: { _id: 1, a: { b: [2] } },
    },
    {
      name: 'an array value is one element',
      doc: { _id: 1, a: [] },
      update: { $push: { a: [1, 2] } },
      expected: { _id: 1, a: [[1, 2]] },
    },
    {
      name: '$each appends several',
      doc: { _id: 1, a: [1] },
      update: { $push: { a: { $each: [2, 3] } } },
      expected: { _id: 1, a: [1, 2, 3] },
    },
    {
      name: '$each [] on an existing array is a no-op',
      doc: { _id: 1, a: [1] },
      update: { $push: { a: { $each: [] } } },
      expected: { _id: 1, a: [1] },
      modified: false,
    },
    {
      name: '$each [] on a missing field creates an empty array',
      doc: { _id: 1 },
      update: { $push: { a: { $each: [] } } },
      expected: { _id: 1, a: [] },
    },
    {
      name: '$position 0 prepends',
      doc: { _id: 1, a: [1, 2] },
      update: { $push: { a: { $each: [8, 9], $position: 0 } } },
      expected: { _id: 1, a: [8, 9, 1, 2] },
    },
    {
      name: '$position inside the array',
      doc: { _id: 1, a: [1, 2, 3] },
      update: { $push: { a: { $each: [9], $position: 1 } } },
      expected: { _id: 1, a: [1, 9, 2, 3] },
    },
    {
      name: 'negative $position counts from the end',
      doc: { _id: 1, a: [1, 2, 3] },
      update: { $push: { a: { $each: [9], $position: -1 } } },
      expected: { _id: 1, a: [1, 2, 9, 3] },
    },
    {
      name: 'a negative $position beyond the start prepends',
      doc: { _id: 1, a: [1, 2] },
      update: { $push: { a: { $each: [9], $position: -5 } } },
      expected: { _id: 1, a: [9, 1, 2] },
    },
    {
      name: 'a $position beyond the end appends',
      doc: { _id: 1, a: [1, 2] },
      update: { $push: { a: { $each: [9], $position: Long.fromNumber(10) } } },
      expected: { _id: 1, a: [1, 2, 9] },
    },
    {
      name: '$slice keeps the first n',
      doc: { _id: 1, a: [1, 2] },
      update: { $push: { a: { $each: [3, 4], $slice: 3 } } },
      expected: { _id: 1, a: [1, 2, 3] },
    },
    {
      name: 'a negative $slice keeps the last n',
      doc: { _id: 1, a: [1, 2] },
      update: { $push: { a: { $each: [3, 4], $slice: -3 } } },
      expected: { _id: 1, a: [2, 3, 4] },
    },
    {
      name: '$slice 0 empties the array, and an integral double is accepted',
      doc: { _id: 1, a: [1, 2] },
      update: { $push: { a: { $each: [], $slice: new Double(0) } } },
      expected: { _id: 1, a: [] },
    },
    {
      name: '$sort 1 sorts whole values in MongoDB order',
      doc: { _id: 1, a: ['b', 2, null, { x: 1 }, 1.5] },
      update: { $push: { a: { $each: [true], $sort: 1 } } },
      expected: { _id: 1, a: [null, 1.5, 2, 'b', { x: 1 }, true] },
    },
    {
      name: '$sort -1 reverses',
      doc: { _id: 1, a: [3, 1] },
      update: { $push: { a: { $each: [2], $sort: -1 } } },
      expected: { _id: 1, a: [3, 2, 1] },
    },
    {
      name: 'sorting by a field; missing fields and non-documents sort as null, stably',
      doc: { _id: 1, a: [{ s: 2, n: 'a' }, 7, { n: 'b' }, { s: 1 }] },
      update: { $push: { a: { $each: [], $sort: { s: 1 } } } },
      expected: { _id: 1, a: [7, { n: 'b' }, { s: 1 }, { s: 2, n: 'a' }] },
    },
    {
      name: 'sorting by a dotted field and a second key',
      doc: {
        _id: 1,
        a: [
          { p: { q: 1 }, r: 1 },
          { p: { q: 1 }, r: 2 },
          { p: { q: 0 }, r: 0 },
        ],
      },
      update: { $push: { a: { $each: [], $sort: { 'p.q': 1, r: -1 } } } },
      expected: {
        _id: 1,
        a: [
          { p: { q: 0 }, r: 0 },
          { p: { q: 1 }, r: 2 },
          { p: { q: 1 }, r: 1 },
        ],
      },
    },
    {
      name: 'a sort that changes nothing is not a modification',
      doc: { _id: 1, a: [1, 2, 3] },
      update: { $push: { a: { $each: [], $sort: 1 } } },
      expected: { _id: 1, a: [1, 2, 3] },
      modified: false,
    },
    {
      name: 'insert, then sort, then slice',
      doc: { _id: 1, a: [3, 4] },
      update: { $push: { a: { $each: [5, 1], $position: 0, $sort: 1, $slice: 3 } } },
      expected: { _id: 1, a: [1, 3, 4] },
    },
    {
      name: 'the reference-page example with $each, $sort and $slice',
      doc: { _id: 5, quizzes },
      update: {
        $push: {
          quizzes: {
            $each: [
              { wk: 5, score: 8 },
              { wk: 6, score: 7 },
              { wk: 7, score: 6 },
            ],
            $sort: { score: -1 },
            $slice: 3,
          },
        },
      },
      expected: {
        _id: 5,
        quizzes: [
          { wk: 1, score: 10 },
          { wk: 2, score: 8 },
          { wk: 5, score: 8 },
        ],
      },
    },
  ]);

  runErrors([
    {
      name: 'a non-array field',
      doc: { _id: 1, x: { a: 1 } },
      update: { $push: { 'x.a': 2 } },
      code: 2,
      message: "The field 'x.a' must be an array but is of type int in document {_id: 1}",
    },
  ]);
});

void describe('$addToSet', () => {
  runTable([
    {
      name: 'adds a new value',
      doc: { _id: 1, a: [1, 2] },
      update: { $addToSet: { a: 3 } },
      expected: { _id: 1, a: [1, 2, 3] },
    },
    {
      name: 'an existing value is a no-op',
      doc: { _id: 1, a: [1, 2] },
      update: { $addToSet: { a: 2 } },
      expected: { _id: 1, a: [1, 2] },
      modified: false,
    },
    {
      name: 'Double(1) equals Int32(1): a no-op',
      doc: { _id: 1, a: [1] },
      update: { $addToSet: { a: new Double(1) } },
      expected: { _id: 1, a: [1] },
      modified: false,
    },
    {
      name: 'documents are equal only with the same field order',
      doc: { _id: 1, a: [{ x: 1, y: 2 }] },
      update: { $addToSet: { a: { y: 2, x: 1 } } },
      expected: {
        _id: 1,
        a: [
          { x: 1, y: 2 },
          { y: 2, x: 1 },
        ],
      },
    },
    {
      name: '$each adds the missing values once each, in order',
      doc: { _id: 1, a: [1, 2] },
      update: { $addToSet: { a: { $each: [4, 2, 3, new Double(4), 3] } } },
      expected: { _id: 1, a: [1, 2, 4, 3] },
    },
    {
      name: 'a missing field becomes the deduplicated set',
      doc: { _id: 1 },
      update: { $addToSet: { a: { $each: [1, 1, 2] } } },
      expected: { _id: 1, a: [1, 2] },
    },
    {
      name: 'duplicates already in the array stay',
      doc: { _id: 1, a: [1, 1] },
      update: { $addToSet: { a: 2 } },
      expected: { _id: 1, a: [1, 1, 2] },
    },
    {
      name: '$each not first: the document is the value',
      doc: { _id: 1, a: [] },
      update: { $addToSet: { a: { b: 1, $each: [1] } } },
      expected: { _id: 1, a: [{ b: 1, $each: [1] }] },
    },
  ]);

  runErrors([
    {
      name: 'a non-array field',
      doc: { _id: 1, a: 1 },
      update: { $addToSet: { a: 2 } },
      code: 2,
      message: "Cannot apply $addToSet to non-array field. Field named 'a' has non-array type int",
    },
  ]);
});

void describe('$pop', () => {
  runTable([
    {
      name: '1 removes the last',
      doc: { _id: 1, a: [1, 2, 3] },
      update: { $pop: { a: 1 } },
      expected: { _id: 1, a: [1, 2] },
    },
    {
      name: '-1 removes the first',
      doc: { _id: 1, a: [1, 2, 3] },
      update: { $pop: { a: -1 } },
      expected: { _id: 1, a: [2, 3] },
    },
    {
      name: 'an empty array is a no-op',
      doc: { _id: 1, a: [] },
      update: { $pop: { a: 1 } },
      expected: { _id: 1, a: [] },
      modified: false,
    },
    {
      name: 'a missing field is a no-op',
      doc: { _id: 1, a: {} },
      update: { $pop: { 'a.b': 1 } },
      expected: { _id: 1, a: {} },
      modified: false,
    },
  ]);

  runErrors([
    {
      name: 'a non-array field',
      doc: { _id: 1, a: { b: 1 } },
      update: { $pop: { 'a.b': 1 } },
      code: 14,
      message: "Path 'a.b' contains an element of non-array type 'int'",
    },
    {
      name: 'a path through a scalar',
      doc: { _id: 1, a: 5 },
      update: { $pop: { 'a.b': 1 } },
      code: 28,
      message: 'Cannot use the part (b) of (a.b) to traverse the element ({a: 5})',
    },
  ]);
});

void describe('$pull', () => {
  runTable([
    {
      name: 'removes every equal scalar',
      doc: { _id: 1, a: [1, 2, 3, 2] },
      update: { $pull: { a: 2 } },
      expected: { _id: 1, a: [1, 3] },
    },
    {
      name: 'equality is MongoDB equality (Double(2) removes Int32(2))',
      doc: { _id: 1, a: [1, 2] },
      update: { $pull: { a: new Double(2) } },
      expected: { _id: 1, a: [1] },
    },
    {
      name: 'an array value must match exactly',
      doc: { _id: 1, a: [[1, 2], [2, 1], 1] },
      update: { $pull: { a: [1, 2] } },
      expected: { _id: 1, a: [[2, 1], 1] },
    },
    {
      name: 'an operator condition applies to the element itself',
      doc: { _id: 1, a: [5, 6, 7, 'x'] },
      update: { $pull: { a: { $gte: 6 } } },
      expected: { _id: 1, a: [5, 'x'] },
    },
    {
      name: '$in',
      doc: { _id: 1, a: ['apples', 'pears', 'grapes'] },
      update: { $pull: { a: { $in: ['apples', 'grapes'] } } },
      expected: { _id: 1, a: ['pears'] },
    },
    {
      name: 'a regex condition',
      doc: { _id: 1, a: ['apple', 'banana', 5] },
      update: { $pull: { a: new BSONRegExp('^a') } },
      expected: { _id: 1, a: ['banana', 5] },
    },
    {
      name: 'a document condition is a query on element documents',
      doc: { _id: 1, a: [{ b: 1, c: 1 }, { b: 2 }, 5, { b: 1 }] },
      update: { $pull: { a: { b: 1 } } },
      expected: { _id: 1, a: [{ b: 2 }, 5] },
    },
    {
      name: 'the reference-page example: match on two fields of each document',
      doc: {
        _id: 1,
        results: [
          { item: 'A', score: 5 },
          { item: 'B', score: 8 },
        ],
      },
      update: { $pull: { results: { score: 8, item: 'B' } } },
      expected: { _id: 1, results: [{ item: 'A', score: 5 }] },
    },
    {
      name: 'an empty document condition removes every document element',
      doc: { _id: 1, a: [{ x: 1 }, 2, {}, [3]] },
      update: { $pull: { a: {} } },
      expected: { _id: 1, a: [2, [3]] },
    },
    {
      name: 'no match is a no-op',
      doc: { _id: 1, a: [1] },
      update: { $pull: { a: 2 } },
      expected: { _id: 1, a: [1] },
      modified: false,
    },
    {
      name: 'a missing field is a no-op',
      doc: { _id: 1 },
      update: { $pull: { a: 2 } },
      expected: { _id: 1 },
      modified: false,
    },
  ]);

  runErrors([
    {
      name: 'a non-array field',
      doc: { _id: 1, a: 1 },
      update: { $pull: { a: 1 } },
      code: 2,
      message: 'Cannot apply $pull to a non-array value',
    },
    {
      name: 'a path through a scalar',
      doc: { _id: 1, a: 'x' },
      update: { $pull: { 'a.b': 1 } },
      code: 28,
      message: 'Cannot use the part (b) of (a.b) to traverse the element ({a: "x"})',
    },
  ]);
});

void describe('$pullAll', () => {
  runTable([
    {
      name: 'removes every listed value (reference-page example)',
      doc: { _id: 1, scores: [0, 2, 5, 5, 1, 0] },
      update: { $pullAll: { scores: [0, 5] } },
      expected: { _id: 1, scores: [2, 1] },
    },
    {
      name: 'matches documents by equality',
      doc: { _id: 1, a: [{ x: 1 }, { x: 1, y: 1 }] },
      update: { $pullAll: { a: [{ x: 1 }] } },
      expected: { _id: 1, a: [{ x: 1, y: 1 }] },
    },
  ]);

  runErrors([
    {
      name: 'a non-array field (the message names $pull, as the server does)',
      doc: { _id: 1, a: 1 },
      update: { $pullAll: { a: [1] } },
      code: 2,
      message: 'Cannot apply $pull to a non-array value',
    },
  ]);
});
