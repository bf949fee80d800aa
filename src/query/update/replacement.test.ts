/**
 * Replacement-style updates (object_replace_executor.cpp, storage_validation.cpp): _id
 * kept or unchanged, _id first, top-level '$' names refused except in upserts, zero
 * timestamps filled in.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BSONRegExp, Double, Timestamp } from 'bson';
import type { UpdateCase } from './update-test-helpers.js';
import {
  assertMongoError,
  assertSameBson,
  bsonDoc,
  runUpdate,
  testTimestamp,
} from './update-test-helpers.js';

interface ResultCase extends UpdateCase {
  name: string;
  expected: Record<string, unknown>;
  modified?: boolean;
}

const dollarMessage = (field: string, path = field): string =>
  `The dollar ($) prefixed field '${field}' in '${path}' is not allowed in the context of an ` +
  "update's replacement document. Consider using an aggregation pipeline with $replaceWith.";

void describe('replacement', () => {
  const results: ResultCase[] = [
    {
      name: 'replaces every field and keeps _id',
      doc: { _id: 1, a: 1, b: 2 },
      update: { c: 3 },
      expected: { _id: 1, c: 3 },
    },
    {
      name: 'an identical document is a no-op',
      doc: { _id: 1, a: 1 },
      update: { _id: 1, a: 1 },
      expected: { _id: 1, a: 1 },
      modified: false,
    },
    {
      name: 'the same content without _id still counts as a modification (no binary equality)',
      doc: { _id: 1, a: 1 },
      update: { a: 1 },
      expected: { _id: 1, a: 1 },
    },
    {
      name: '_id moves to the front',
      doc: { _id: 1, a: 1 },
      update: { b: 2, _id: 1 },
      expected: { _id: 1, b: 2 },
    },
    {
      name: 'an _id equal under comparison may change type',
      doc: { _id: 1 },
      update: { _id: new Double(1), a: 1 },
      expected: { _id: new Double(1), a: 1 },
    },
    {
      name: 'the empty document keeps only _id',
      doc: { _id: 1, a: 1 },
      update: {},
      expected: { _id: 1 },
    },
    {
      name: 'nested $-prefixed and dotted names are stored as they are (5.0+)',
      doc: { _id: 1 },
      update: { a: { $b: 1 }, 'c.d': 1 },
      expected: { _id: 1, a: { $b: 1 }, 'c.d': 1 },
    },
    {
      name: 'DBRef fields ($ref then $id) are allowed at the top level',
      doc: { _id: 1 },
      update: { a: 1, $ref: 'c', $id: 1 },
      expected: { _id: 1, a: 1, $ref: 'c', $id: 1 },
    },
    {
      name: 'a zero Timestamp outside _id gets the current one',
      doc: { _id: 1 },
      update: { _id: 1, ts: new Timestamp({ t: 0, i: 0 }), other: new Timestamp({ t: 0, i: 1 }) },
      expected: { _id: 1, ts: testTimestamp, other: new Timestamp({ t: 0, i: 1 }) },
    },
    {
      name: 'an upsert keeps top-level $-prefixed fields',
      doc: { _id: 9 },
      update: { z: 2, $set: { a: 1 } },
      context: { isInsert: true },
      expected: { _id: 9, z: 2, $set: { a: 1 } },
    },
  ];
  for (const c of results) {
    void test(c.name, () => {
      const result = runUpdate(c);
      assertSameBson(result.doc, bsonDoc(c.expected));
      assert.equal(result.modified, c.modified ?? true);
    });
  }

  const errors: (UpdateCase & { name: string; code: number; message: string })[] = [
    {
      name: 'a different _id',
      doc: { _id: 1, a: 1 },
      update: { _id: 2, a: 1 },
      code: 66,
      message:
        "After applying the update, the (immutable) field '_id' was found to have been altered to _id: 2",
    },
    {
      name: 'a top-level $-prefixed field (the first one is named)',
      doc: { _id: 1 },
      update: { z: 2, $aaa: 1, $bbb: 2 },
      code: 52,
      message: dollarMessage('$aaa'),
    },
    {
      name: '$id without $ref',
      doc: { _id: 1 },
      update: { a: 1, $id: 1 },
      code: 55,
      message: 'Found $id field without a $ref before it, which is invalid.',
    },
    {
      name: '$ref not followed by $id',
      doc: { _id: 1 },
      update: { a: 1, $ref: 'c', b: 1 },
      code: 55,
      message: 'The DBRef $ref field must be followed by a $id field',
    },
    {
      name: 'a regex _id',
      doc: { _id: 1 },
      update: { _id: new BSONRegExp('x') },
      code: 53,
      message: "The '_id' value cannot be of type regex",
    },
    {
      name: 'an array _id',
      doc: { _id: 1 },
      update: { _id: [1] },
      code: 53,
      message: "The '_id' value cannot be of type array",
    },
    {
      name: 'a $-prefixed field directly inside _id',
      doc: { _id: { $x: 1 } },
      update: { _id: { $x: 1 }, a: 1 },
      code: 52,
      message: dollarMessage('$x', '_id.$x'),
    },
  ];
  for (const c of errors) {
    void test(c.name, () => assertMongoError(() => runUpdate(c), c.code, c.message));
  }
});
