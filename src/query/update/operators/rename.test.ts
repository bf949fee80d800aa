/**
 * $rename (rename_node.cpp, the $rename reference page): a set at the destination and an
 * unset of the source, refused through arrays, a no-op when the source is missing.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { UpdateCase } from '../update-test-helpers.js';
import { assertMongoError, assertSameBson, bsonDoc, runUpdate } from '../update-test-helpers.js';

interface ResultCase extends UpdateCase {
  name: string;
  expected: Record<string, unknown>;
  modified?: boolean;
}

const results: ResultCase[] = [
  {
    name: 'moves a field to a new name, appended at the end',
    doc: { _id: 1, a: 1, b: 2 },
    update: { $rename: { a: 'c' } },
    expected: { _id: 1, b: 2, c: 1 },
  },
  {
    name: 'overwrites an existing destination in place',
    doc: { _id: 1, a: 1, b: 2, c: 3 },
    update: { $rename: { c: 'a' } },
    expected: { _id: 1, a: 3, b: 2 },
  },
  {
    name: 'a missing source is a no-op',
    doc: { _id: 1, b: 2 },
    update: { $rename: { a: 'c' } },
    expected: { _id: 1, b: 2 },
    modified: false,
  },
  {
    name: 'a missing source below a document is a no-op',
    doc: { _id: 1, a: {} },
    update: { $rename: { 'a.b': 'c' } },
    expected: { _id: 1, a: {} },
    modified: false,
  },
  {
    name: 'between subdocuments, creating the destination parent',
    doc: { _id: 1, a: { b: 1, x: 2 } },
    update: { $rename: { 'a.b': 'c.d' } },
    expected: { _id: 1, a: { x: 2 }, c: { d: 1 } },
  },
  {
    name: 'into an existing subdocument',
    doc: { _id: 1, a: 1, x: { z: 1 } },
    update: { $rename: { a: 'x.y' } },
    expected: { _id: 1, x: { z: 1, y: 1 } },
  },
  {
    name: 'within one subdocument',
    doc: { _id: 1, a: { b: 1, c: 2 } },
    update: { $rename: { 'a.b': 'a.d' } },
    expected: { _id: 1, a: { c: 2, d: 1 } },
  },
  {
    name: 'an array value moves whole',
    doc: { _id: 1, a: [1, { b: 2 }] },
    update: { $rename: { a: 'z' } },
    expected: { _id: 1, z: [1, { b: 2 }] },
  },
  {
    name: 'renaming onto an equal value is still a modification',
    doc: { _id: 1, a: 1, b: 1 },
    update: { $rename: { a: 'b' } },
    expected: { _id: 1, b: 1 },
  },
  {
    name: 'several renames apply in destination order',
    doc: { _id: 1, a: 1, z: 2 },
    update: { $rename: { a: 'c', z: 'b' } },
    expected: { _id: 1, b: 2, c: 1 },
  },
  {
    name: 'a swap through a temporary name is two renames (no conflict)',
    doc: { _id: 1, a: 1, b: 2 },
    update: { $rename: { a: 't' } },
    expected: { _id: 1, b: 2, t: 1 },
  },
];

void describe('$rename', () => {
  for (const c of results) {
    void test(c.name, () => {
      const result = runUpdate(c);
      assertSameBson(result.doc, bsonDoc(c.expected));
      assert.equal(result.modified, c.modified ?? true);
    });
  }

  const errors: (UpdateCase & { name: string; code: number; message: string })[] = [
    {
      name: 'a source inside an array',
      doc: { _id: 1, a: [{ b: 1 }] },
      update: { $rename: { 'a.0.b': 'c' } },
      code: 2,
      message:
        "The source field cannot be an array element, 'a.0.b' in doc with _id: 1 has an " +
        "array field called 'a'",
    },
    {
      name: 'a named field of an array source parent is not viable',
      doc: { _id: 1, a: [{ b: 1 }] },
      update: { $rename: { 'a.b': 'c' } },
      code: 28,
      message: 'cannot use the part (a of a.b) to traverse the element ({a: [ { b: 1 } ]})',
    },
    {
      name: 'a source below a scalar',
      doc: { _id: 1, a: 5 },
      update: { $rename: { 'a.b': 'c' } },
      code: 28,
      message: 'cannot use the part (a of a.b) to traverse the element ({a: 5})',
    },
    {
      name: 'an existing destination inside an array',
      doc: { _id: 1, a: 1, b: [0] },
      update: { $rename: { a: 'b.0' } },
      code: 2,
      message:
        "The destination field cannot be an array element, 'b.0' in doc with _id: 1 has an " +
        "array field called 'b'",
    },
    {
      name: 'a new destination inside an array',
      doc: { _id: 1, a: 1, b: [0] },
      update: { $rename: { a: 'b.5' } },
      code: 2,
      message:
        "The destination field cannot be an array element, 'b.5' in doc with _id: 1 has an " +
        "array field called 'b'",
    },
    {
      name: 'a destination below a scalar',
      doc: { _id: 1, a: 1, b: 5 },
      update: { $rename: { a: 'b.c' } },
      code: 28,
      message: "Cannot create field 'c' in element {b: 5}",
    },
    {
      name: 'renaming _id away',
      doc: { _id: 1 },
      update: { $rename: { _id: 'x' } },
      code: 66,
      message: "Performing an update on the path '_id' would modify the immutable field '_id'",
    },
    {
      name: 'renaming onto _id',
      doc: { _id: 1, a: 2 },
      update: { $rename: { a: '_id' } },
      code: 66,
      message: "Updating the path '_id' to _id: 2 would modify the immutable field '_id'",
    },
  ];
  for (const c of errors) {
    void test(c.name, () => assertMongoError(() => runUpdate(c), c.code, c.message));
  }
});
