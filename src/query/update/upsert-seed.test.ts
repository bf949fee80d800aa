/**
 * Upserts: the seed document from the filter's equalities (path_support.cpp
 * extractEqualityMatches / addEqualitiesToDoc, the upsert sections of the update and
 * $setOnInsert reference pages) and the update applied to it with isInsert.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BSONRegExp } from 'bson';
import { compileUpdate } from './compile-update.js';
import { upsertSeed } from './upsert-seed.js';
import {
  assertMongoError,
  assertSameBson,
  bsonDoc,
  context,
  testMatcher,
} from './update-test-helpers.js';

const seeds: [string, Record<string, unknown>, Record<string, unknown>][] = [
  ['implicit equality', { a: 1 }, { a: 1 }],
  ['$eq', { a: { $eq: 1 } }, { a: 1 }],
  ['a one-element $in', { a: { $in: [1] } }, { a: 1 }],
  ['a one-element $all', { a: { $all: [1] } }, { a: 1 }],
  ['$and clauses', { $and: [{ a: 1 }, { b: 2 }] }, { a: 1, b: 2 }],
  ['a one-clause $or', { $or: [{ a: 1 }] }, { a: 1 }],
  ['dotted paths become subdocuments', { 'a.b': 1, 'a.c': 2 }, { a: { b: 1, c: 2 } }],
  ['a document value is one equality', { a: { b: 1 } }, { a: { b: 1 } }],
  ['an array value', { a: [1, 2] }, { a: [1, 2] }],
  ['null', { a: null }, { a: null }],
  ['equality next to a range on the same field', { a: { $eq: 1, $gt: 0 } }, { a: 1 }],
  ['a regex matches, it does not set', { a: new BSONRegExp('x') }, {}],
  [
    '$eq with a regex is an equality',
    { a: { $eq: new BSONRegExp('x') } },
    { a: new BSONRegExp('x') },
  ],
  ['ranges set nothing', { a: { $gt: 1 }, b: { $in: [1, 2] } }, {}],
  ['a several-clause $or sets nothing', { $or: [{ a: 1 }, { b: 2 }] }, {}],
  ['$nor and $expr set nothing', { $nor: [{ a: 1 }], $expr: { $eq: ['$a', 1] } }, {}],
  [
    'a DBRef-shaped document is a value',
    { a: { $ref: 'c', $id: 1 } },
    { a: { $ref: 'c', $id: 1 } },
  ],
  [
    'fields come out sorted by path',
    { b: 1, a: 1, 'c.y': 1, 'c.x': 1 },
    { a: 1, b: 1, c: { x: 1, y: 1 } },
  ],
];

void describe('upsertSeed for operator updates', () => {
  for (const [name, filter, expected] of seeds) {
    void test(name, () => assertSameBson(upsertSeed(bsonDoc(filter)), bsonDoc(expected)));
  }

  const conflicts: [string, Record<string, unknown>, string][] = [
    [
      'a path and its parent',
      { a: 1, 'a.b': 2 },
      "cannot infer query fields to set, both paths 'a.b' and 'a' are matched",
    ],
    [
      'one path twice',
      { $and: [{ a: 1 }, { a: 2 }] },
      "cannot infer query fields to set, path 'a' is matched twice",
    ],
    [
      'a two-element $all',
      { a: { $all: [1, 2] } },
      "cannot infer query fields to set, path 'a' is matched twice",
    ],
  ];
  for (const [name, filter, message] of conflicts) {
    void test(name, () => assertMongoError(() => upsertSeed(bsonDoc(filter)), 54, message));
  }
});

void describe('upsertSeed for replacements keeps only _id', () => {
  void test('other fields are dropped', () => {
    assertSameBson(upsertSeed(bsonDoc({ _id: 1, a: 1 }), 'replacement'), bsonDoc({ _id: 1 }));
  });

  void test('a dotted _id predicate is an error (NotExactValueField)', () => {
    assertMongoError(
      () => upsertSeed(bsonDoc({ '_id.x': 1 }), 'replacement'),
      111,
      "field at '_id' must be exactly specified, field at sub-path '_id.x'found",
    );
  });
});

function upsert(filter: Record<string, unknown>, update: Record<string, unknown>) {
  const compiled = compileUpdate(bsonDoc(update), { compileFilter: testMatcher });
  const seed = upsertSeed(bsonDoc(filter), compiled.kind);
  return compiled.apply(seed, context({ isInsert: true }));
}

void describe('applying an update to the seed (isInsert)', () => {
  void test('the $setOnInsert reference-page example', () => {
    // The page prints item before defaultQty, but 5.0+ applies fields in lexicographic
    // order (UpdateObjectNode keeps its children in a sorted map), so defaultQty comes first.
    const result = upsert(
      { _id: 1 },
      { $set: { item: 'apple' }, $setOnInsert: { defaultQty: 100 } },
    );
    assertSameBson(result.doc, bsonDoc({ _id: 1, defaultQty: 100, item: 'apple' }));
    assert.equal(result.modified, true);
  });

  void test('range predicates do not seed', () => {
    const result = upsert({ _id: 1, a: { $gt: 2 } }, { $inc: { b: 1 } });
    assertSameBson(result.doc, bsonDoc({ _id: 1, b: 1 }));
  });

  void test('a replacement replaces the seed but keeps its _id', () => {
    const result = upsert({ _id: 7, a: 1 }, { b: 2 });
    assertSameBson(result.doc, bsonDoc({ _id: 7, b: 2 }));
  });

  void test('an _id from the update moves to the front', () => {
    const result = upsert({ a: 1 }, { $set: { _id: 5 } });
    assertSameBson(result.doc, bsonDoc({ _id: 5, a: 1 }));
  });

  void test('no _id anywhere: the caller must generate one', () => {
    const result = upsert({ a: 1 }, { $set: { b: 1 } });
    assertSameBson(result.doc, bsonDoc({ a: 1, b: 1 }));
  });

  void test('top-level $-prefixed fields are kept in an upserted document', () => {
    const result = upsert({ _id: 1 }, { $set: { $x: 1 } });
    assertSameBson(result.doc, bsonDoc({ _id: 1, $x: 1 }));
  });

  void test('$setOnInsert may not change an _id taken from the query', () => {
    assertMongoError(
      () => upsert({ _id: 0 }, { $setOnInsert: { _id: 1 }, $set: { x: 1 } }),
      66,
      "Updating the path '_id' to _id: 1 would modify the immutable field '_id'",
    );
  });

  void test('a replacement may not change an _id taken from the query', () => {
    assertMongoError(
      () => upsert({ _id: 1 }, { _id: 2 }),
      66,
      "After applying the update, the (immutable) field '_id' was found to have been altered to _id: 2",
    );
  });

  void test('the inserted _id may not be an array', () => {
    assertMongoError(
      () => upsert({}, { $set: { _id: [1] } }),
      53,
      "The '_id' value cannot be of type array",
    );
  });

  void test('array updates need the array to exist', () => {
    assertMongoError(
      () => upsert({ a: 1 }, { $set: { 'b.$[]': 1 } }),
      2,
      "The path 'b' must exist in the document in order to apply array updates.",
    );
  });
});
