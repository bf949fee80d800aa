/**
 * $set, $unset, $setOnInsert, $min, $max and $currentDate applied to documents: paths
 * through documents and arrays, array padding, non-viable paths, _id immutability, the
 * top-level '$' restriction and what counts as a modification (nModified).
 * Sources: the operators' reference pages and set_node.cpp, unset_node.cpp,
 * compare_node.cpp, current_date_node.cpp, modifier_node.cpp, path_support.cpp.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Double, Int32, ObjectId } from 'bson';
import type { UpdateCase } from './update-test-helpers.js';
import {
  assertMongoError,
  assertSameBson,
  bsonDoc,
  runUpdate,
  testNow,
  testTimestamp,
} from './update-test-helpers.js';

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

const dollarMessage = (field: string): string =>
  `The dollar ($) prefixed field '${field}' in '${field}' is not allowed in the context of an ` +
  "update's replacement document. Consider using an aggregation pipeline with $replaceWith.";

void describe('$set', () => {
  runTable([
    {
      name: 'replaces a value',
      doc: { _id: 1, a: 1 },
      update: { $set: { a: 2 } },
      expected: { _id: 1, a: 2 },
    },
    {
      name: 'the same value of the same type is a no-op',
      doc: { _id: 1, a: { b: [1, 'x'] } },
      update: { $set: { a: { b: [1, 'x'] } } },
      expected: { _id: 1, a: { b: [1, 'x'] } },
      modified: false,
    },
    {
      name: 'Int32(1) to Double(1) is a modification',
      doc: { _id: 1, a: 1 },
      update: { $set: { a: new Double(1) } },
      expected: { _id: 1, a: new Double(1) },
    },
    {
      name: 'the same fields in another order is a modification',
      doc: { _id: 1, a: { x: 1, y: 2 } },
      update: { $set: { a: { y: 2, x: 1 } } },
      expected: { _id: 1, a: { y: 2, x: 1 } },
    },
    {
      name: 'creates missing parents as documents',
      doc: { _id: 1 },
      update: { $set: { 'a.b.c': 1 } },
      expected: { _id: 1, a: { b: { c: 1 } } },
    },
    {
      name: 'adds a field to an existing subdocument, at its end',
      doc: { _id: 1, a: { z: 0 } },
      update: { $set: { 'a.b': 1 } },
      expected: { _id: 1, a: { z: 0, b: 1 } },
    },
    {
      name: 'replaces an array element by index',
      doc: { _id: 1, a: [1, 2, 3] },
      update: { $set: { 'a.1': 'x' } },
      expected: { _id: 1, a: [1, 'x', 3] },
    },
    {
      name: 'pads with nulls past the end of an array',
      doc: { _id: 1, a: [1] },
      update: { $set: { 'a.3': 'x' } },
      expected: { _id: 1, a: [1, null, null, 'x'] },
    },
    {
      name: 'pads and creates a document inside an array',
      doc: { _id: 1, a: [1] },
      update: { $set: { 'a.2.b': 1 } },
      expected: { _id: 1, a: [1, null, { b: 1 }] },
    },
    {
      name: 'a leading-zero index still addresses the element (parseUnsignedBase10Integer)',
      doc: { _id: 1, a: [0, 1] },
      update: { $set: { 'a.01': 'x' } },
      expected: { _id: 1, a: [0, 'x'] },
    },
    {
      name: 'a numeric name in a document is a field name',
      doc: { _id: 1, a: {} },
      update: { $set: { 'a.0': 'x' } },
      expected: { _id: 1, a: { '0': 'x' } },
    },
    {
      name: 'through an element document of an array',
      doc: { _id: 1, a: [{ b: 0 }, 2] },
      update: { $set: { 'a.0.b': 1 } },
      expected: { _id: 1, a: [{ b: 1 }, 2] },
    },
    {
      name: 'a $-prefixed name below the top level is allowed (5.0+)',
      doc: { _id: 1 },
      update: { $set: { 'a.$b': 1, c: { $d: 1 } } },
      expected: { _id: 1, a: { $b: 1 }, c: { $d: 1 } },
    },
    {
      name: 'an empty operand is a no-op (5.0+)',
      doc: { _id: 1, a: 1 },
      update: { $set: {} },
      expected: { _id: 1, a: 1 },
      modified: false,
    },
    {
      name: '_id set to its own value is allowed',
      doc: { _id: 1, a: 1 },
      update: { $set: { _id: 1, a: 2 } },
      expected: { _id: 1, a: 2 },
    },
  ]);

  runErrors([
    {
      name: 'a field of a scalar',
      doc: { _id: 1, a: 5 },
      update: { $set: { 'a.b': 1 } },
      code: 28,
      message: "Cannot create field 'b' in element {a: 5}",
    },
    {
      name: 'a field of null',
      doc: { _id: 1, a: null },
      update: { $set: { 'a.b.c': 1 } },
      code: 28,
      message: "Cannot create field 'b' in element {a: null}",
    },
    {
      name: 'a named field of an array',
      doc: { _id: 1, a: [1, 2] },
      update: { $set: { 'a.b': 1 } },
      code: 28,
      message: "Cannot create field 'b' in element {a: [ 1, 2 ]}",
    },
    {
      name: 'a field of a scalar array element',
      doc: { _id: 1, a: [{}, 5] },
      update: { $set: { 'a.1.b': 1 } },
      code: 28,
      message: "Cannot create field 'b' in element {1: 5}",
    },
    {
      name: 'more than 1500000 nulls of padding',
      doc: { _id: 1, a: [] },
      update: { $set: { 'a.1500001': 1 } },
      code: 34,
      message: "can't backfill more than 1500000 elements",
    },
    {
      name: 'a top-level $-prefixed field',
      doc: { _id: 1 },
      update: { $set: { $x: 1 } },
      code: 52,
      message: dollarMessage('$x'),
    },
    {
      name: 'a top-level $-prefixed parent',
      doc: { _id: 1 },
      update: { $set: { '$x.y': 1 } },
      code: 52,
      message: dollarMessage('$x'),
    },
    {
      name: 'changing _id',
      doc: { _id: 1, a: 1 },
      update: { $set: { _id: 2 } },
      code: 66,
      message: "Updating the path '_id' to _id: 2 would modify the immutable field '_id'",
    },
    {
      name: 'changing only the type of _id',
      doc: { _id: 1 },
      update: { $set: { _id: new Double(1) } },
      code: 66,
      message: "Updating the path '_id' to _id: 1.0 would modify the immutable field '_id'",
    },
    {
      name: 'changing a field of _id',
      doc: { _id: { x: 1 } },
      update: { $set: { '_id.x': 2 } },
      code: 66,
      message: "Performing an update on the path '_id.x' would modify the immutable field '_id'",
    },
    {
      name: 'adding a field to _id',
      doc: { _id: { x: 1 } },
      update: { $set: { '_id.y': 2 } },
      code: 66,
      message:
        "Updating the path '_id' to _id: { x: 1, y: 2 } would modify the immutable field '_id'",
    },
  ]);

  void test('the input document is not mutated', () => {
    const doc = bsonDoc({ _id: 1, a: { b: [1, { c: 2 }] }, d: 1 });
    const before = JSON.stringify(doc);
    const result = runUpdate({
      doc: { _id: 1, a: { b: [1, { c: 2 }] }, d: 1 },
      update: { $set: { 'a.b.1.c': 3, e: 1 }, $unset: { d: 1 } },
    });
    assertSameBson(result.doc, bsonDoc({ _id: 1, a: { b: [1, { c: 3 }] }, e: 1 }));
    assert.equal(JSON.stringify(doc), before);
  });
});

void describe('$unset', () => {
  runTable([
    {
      name: 'removes a field',
      doc: { _id: 1, a: 1, b: 2 },
      update: { $unset: { a: '' } },
      expected: { _id: 1, b: 2 },
    },
    {
      name: 'removes a nested field',
      doc: { _id: 1, a: { b: 1, c: 2 } },
      update: { $unset: { 'a.b': 1 } },
      expected: { _id: 1, a: { c: 2 } },
    },
    {
      name: 'an array element becomes null',
      doc: { _id: 1, a: [1, 2, 3] },
      update: { $unset: { 'a.1': 1 } },
      expected: { _id: 1, a: [1, null, 3] },
    },
    {
      name: 'a missing field is a no-op',
      doc: { _id: 1, a: 1 },
      update: { $unset: { b: 1 } },
      expected: { _id: 1, a: 1 },
      modified: false,
    },
    {
      name: 'a path through a scalar is a no-op, not an error',
      doc: { _id: 1, a: 5 },
      update: { $unset: { 'a.b.c': 1 } },
      expected: { _id: 1, a: 5 },
      modified: false,
    },
    {
      name: 'an index past the end is a no-op',
      doc: { _id: 1, a: [1] },
      update: { $unset: { 'a.5': 1 } },
      expected: { _id: 1, a: [1] },
      modified: false,
    },
  ]);

  runErrors([
    {
      name: 'removing _id',
      doc: { _id: 1 },
      update: { $unset: { _id: 1 } },
      code: 66,
      message: "Performing an update on the path '_id' would modify the immutable field '_id'",
    },
  ]);
});

void describe('$setOnInsert', () => {
  runTable([
    {
      name: 'does nothing on an update',
      doc: { _id: 1 },
      update: { $setOnInsert: { a: 1 } },
      expected: { _id: 1 },
      modified: false,
    },
    {
      name: 'sets the field on an upsert insert',
      doc: { _id: 1 },
      update: { $setOnInsert: { a: 1 } },
      context: { isInsert: true },
      expected: { _id: 1, a: 1 },
    },
  ]);
});

void describe('$min and $max', () => {
  runTable([
    {
      name: '$min lowers',
      doc: { _id: 1, a: 5 },
      update: { $min: { a: 3 } },
      expected: { _id: 1, a: 3 },
    },
    {
      name: '$min keeps a lower value',
      doc: { _id: 1, a: 5 },
      update: { $min: { a: 7 } },
      expected: { _id: 1, a: 5 },
      modified: false,
    },
    {
      name: '$max raises',
      doc: { _id: 1, a: 5 },
      update: { $max: { a: 7 } },
      expected: { _id: 1, a: 7 },
    },
    {
      name: 'equal values of different numeric types are a no-op',
      doc: { _id: 1, a: 5 },
      update: { $max: { a: new Double(5) } },
      expected: { _id: 1, a: 5 },
      modified: false,
    },
    {
      name: 'different types compare by canonical type order (string > number)',
      doc: { _id: 1, a: 5 },
      update: { $max: { a: 'x' } },
      expected: { _id: 1, a: 'x' },
    },
    {
      name: 'null sorts below numbers',
      doc: { _id: 1, a: 5 },
      update: { $min: { a: null } },
      expected: { _id: 1, a: null },
    },
    {
      name: 'dates compare as dates',
      doc: { _id: 1, a: new Date(1000) },
      update: { $max: { a: new Date(2000) } },
      expected: { _id: 1, a: new Date(2000) },
    },
    {
      name: 'a missing field is set',
      doc: { _id: 1 },
      update: { $min: { 'a.b': 4 } },
      expected: { _id: 1, a: { b: 4 } },
    },
  ]);
});

void describe('$currentDate', () => {
  runTable([
    {
      name: 'true stores the date',
      doc: { _id: 1 },
      update: { $currentDate: { a: true } },
      expected: { _id: 1, a: testNow },
    },
    {
      name: 'false stores the date too (only the type is read)',
      doc: { _id: 1 },
      update: { $currentDate: { a: false } },
      expected: { _id: 1, a: testNow },
    },
    {
      name: "$type 'timestamp' stores the timestamp",
      doc: { _id: 1, a: 1 },
      update: { $currentDate: { a: { $type: 'timestamp' }, b: { $type: 'date' } } },
      expected: { _id: 1, a: testTimestamp, b: testNow },
    },
    {
      name: 'the same date again still counts as a modification',
      doc: { _id: 1, a: testNow },
      update: { $currentDate: { a: true } },
      expected: { _id: 1, a: testNow },
    },
  ]);
});

void describe('error messages name the document by _id', () => {
  void test('an ObjectId _id', () => {
    const id = new ObjectId('0123456789abcdef01234567');
    const doc = { _id: id, a: 'x' };
    assertMongoError(
      () => runUpdate({ doc, update: { $inc: { a: 1 } } }),
      14,
      "Cannot apply $inc to a value of non-numeric type. {_id: ObjectId('0123456789abcdef01234567')} " +
        "has the field 'a' of non-numeric type string",
    );
  });

  void test('no _id', () => {
    assertMongoError(
      () => runUpdate({ doc: { a: { b: [] } }, update: { $inc: { 'a.b': new Int32(1) } } }),
      14,
      "Cannot apply $inc to a value of non-numeric type. {no id} has the field 'b' of " +
        'non-numeric type array',
    );
  });
});
