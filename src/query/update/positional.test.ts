/**
 * The positional operators: '$' (the array index the query matched), '$[]' (every
 * element) and '$[<identifier>]' with arrayFilters, alone and nested. Expected behaviour
 * from the reference pages of the three operators and update_object_node.cpp /
 * update_array_node.cpp (including jstests/core/update_arrayFilters.js for conflicts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { UpdateCase } from './update-test-helpers.js';
import { assertMongoError, assertSameBson, bsonDoc, runUpdate } from './update-test-helpers.js';

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

const noMatch = 'The positional operator did not find the match needed from the query.';

void describe("positional '$'", () => {
  runTable([
    {
      name: 'updates the matched element',
      doc: { _id: 1, grades: [80, 85, 90] },
      update: { $set: { 'grades.$': 82 } },
      context: { positionalIndex: 1 },
      expected: { _id: 1, grades: [80, 82, 90] },
    },
    {
      name: 'a field of the matched element document',
      doc: { _id: 1, a: [{ b: 1 }, { b: 2 }] },
      update: { $inc: { 'a.$.b': 10 } },
      context: { positionalIndex: 1 },
      expected: { _id: 1, a: [{ b: 1 }, { b: 12 }] },
    },
    {
      name: "'$' and a different index do not conflict",
      doc: { _id: 1, a: [0, 0, 0] },
      update: { $set: { 'a.$': 1, 'a.2': 2 } },
      context: { positionalIndex: 0 },
      expected: { _id: 1, a: [1, 0, 2] },
    },
    {
      name: "'$' and the same index merge when they touch different fields",
      doc: { _id: 1, a: [{ x: 0 }] },
      update: { $set: { 'a.$.y': 1, 'a.0.z': 2 } },
      context: { positionalIndex: 0 },
      expected: { _id: 1, a: [{ x: 0, y: 1, z: 2 }] },
    },
  ]);

  runErrors([
    {
      name: 'no match information from the query',
      doc: { _id: 1, a: [1] },
      update: { $set: { 'a.$': 1 } },
      code: 2,
      message: noMatch,
    },
    {
      name: 'never on an upsert insert, even with an index',
      doc: { _id: 1 },
      update: { $set: { 'a.$': 1 } },
      context: { isInsert: true, positionalIndex: 0 },
      code: 2,
      message: noMatch,
    },
    {
      name: "'$' and the matched index on one path conflict",
      doc: { _id: 1, a: [0] },
      update: { $set: { 'a.$': 1, 'a.0': 2 } },
      context: { positionalIndex: 0 },
      code: 40,
      message: "Update created a conflict at 'a.0'",
    },
  ]);
});

void describe("all positional '$[]'", () => {
  runTable([
    {
      name: 'every element',
      doc: { _id: 1, a: [1, 2, 3] },
      update: { $inc: { 'a.$[]': 10 } },
      expected: { _id: 1, a: [11, 12, 13] },
    },
    {
      name: 'a field of every element, created where missing',
      doc: { _id: 1, a: [{ b: 1 }, { c: 2 }] },
      update: { $set: { 'a.$[].b': 5 } },
      expected: { _id: 1, a: [{ b: 5 }, { c: 2, b: 5 }] },
    },
    {
      name: 'nested arrays',
      doc: { _id: 1, a: [[1, 2], [3]] },
      update: { $inc: { 'a.$[].$[]': 1 } },
      expected: { _id: 1, a: [[2, 3], [4]] },
    },
    {
      name: 'an empty array is a no-op',
      doc: { _id: 1, a: [] },
      update: { $set: { 'a.$[]': 1 } },
      expected: { _id: 1, a: [] },
      modified: false,
    },
    {
      name: 'no element changes: a no-op',
      doc: { _id: 1, a: [1, 1] },
      update: { $set: { 'a.$[]': 1 } },
      expected: { _id: 1, a: [1, 1] },
      modified: false,
    },
  ]);

  runErrors([
    {
      name: 'a missing array',
      doc: { _id: 1 },
      update: { $set: { 'a.$[]': 1 } },
      code: 2,
      message: "The path 'a' must exist in the document in order to apply array updates.",
    },
    {
      name: 'a missing array below a missing parent',
      doc: { _id: 1 },
      update: { $set: { 'x.a.$[]': 1 } },
      code: 2,
      message: "The path 'x.a' must exist in the document in order to apply array updates.",
    },
    {
      name: 'not an array',
      doc: { _id: 1, a: 5 },
      update: { $set: { 'a.$[]': 1 } },
      code: 2,
      message: 'Cannot apply array updates to non-array element a: 5',
    },
  ]);
});

void describe("filtered positional '$[<identifier>]'", () => {
  runTable([
    {
      name: 'elements matching a condition on themselves',
      doc: { _id: 1, grades: [95, 92, 90] },
      update: { $set: { 'grades.$[element]': 100 } },
      arrayFilters: [{ element: { $gte: 92 } }],
      expected: { _id: 1, grades: [100, 100, 90] },
    },
    {
      name: 'element documents by a field',
      doc: {
        _id: 1,
        a: [
          { k: 1, v: 0 },
          { k: 2, v: 0 },
        ],
      },
      update: { $set: { 'a.$[e].v': 9 } },
      arrayFilters: [{ 'e.k': 2 }],
      expected: {
        _id: 1,
        a: [
          { k: 1, v: 0 },
          { k: 2, v: 9 },
        ],
      },
    },
    {
      name: 'no match is a no-op',
      doc: { _id: 1, a: [1, 2] },
      update: { $set: { 'a.$[e]': 0 } },
      arrayFilters: [{ e: 9 }],
      expected: { _id: 1, a: [1, 2] },
      modified: false,
    },
    {
      name: 'filters see the elements before any is updated',
      doc: { _id: 1, a: [1, 2, 3] },
      update: { $inc: { 'a.$[x]': 1 } },
      arrayFilters: [{ x: { $lt: 3 } }],
      expected: { _id: 1, a: [2, 3, 3] },
    },
    {
      name: 'nested identifiers',
      doc: {
        _id: 1,
        a: [
          { k: 1, b: [1, 5] },
          { k: 2, b: [1, 5] },
        ],
      },
      update: { $set: { 'a.$[i].b.$[j]': 0 } },
      arrayFilters: [{ 'i.k': 2 }, { j: { $gt: 1 } }],
      expected: {
        _id: 1,
        a: [
          { k: 1, b: [1, 5] },
          { k: 2, b: [1, 0] },
        ],
      },
    },
    {
      name: 'two identifiers matching one element merge when their fields differ',
      doc: { _id: 1, a: [{ k: 1 }] },
      update: { $set: { 'a.$[i].x': 1, 'a.$[j].y': 2 } },
      arrayFilters: [{ 'i.k': 1 }, { 'j.k': 1 }],
      expected: { _id: 1, a: [{ k: 1, x: 1, y: 2 }] },
    },
    {
      name: 'conflicting identifiers are fine while their matches are disjoint',
      doc: {
        _id: 0,
        a: [
          { x: 0, b: [{ y: 0, c: 0 }] },
          { x: 1, b: [{ y: 0, c: 0 }] },
        ],
      },
      update: { $set: { 'a.$[i].b.$[k].c': 1, 'a.$[j].b.$[k].c': 2 } },
      arrayFilters: [{ 'i.x': 0 }, { 'j.x': 1 }, { 'k.y': 0 }],
      expected: {
        _id: 0,
        a: [
          { x: 0, b: [{ y: 0, c: 1 }] },
          { x: 1, b: [{ y: 0, c: 2 }] },
        ],
      },
    },
    {
      name: "'$[]' and '$[i]' together",
      doc: { _id: 1, a: [{ k: 1 }, { k: 2 }] },
      update: { $set: { 'a.$[].seen': true, 'a.$[i].hit': true } },
      arrayFilters: [{ 'i.k': 2 }],
      expected: {
        _id: 1,
        a: [
          { k: 1, seen: true },
          { k: 2, hit: true, seen: true },
        ],
      },
    },
  ]);

  runErrors([
    {
      name: 'two identifiers writing one element',
      doc: { _id: 0, a: [0] },
      update: { $set: { 'a.$[i]': 2, 'a.$[j]': 3 } },
      arrayFilters: [{ i: 0 }, { j: 0 }],
      code: 40,
      message: "Update created a conflict at 'a.0'",
    },
    {
      name: 'a conflict found deep in a merge names the identifier path',
      doc: { _id: 0, a: [{ x: 0, b: [{ y: 0, c: 0 }] }] },
      update: { $set: { 'a.$[i].b.$[k].c': 1, 'a.$[j].b.$[k].c': 2 } },
      arrayFilters: [{ 'i.x': 0 }, { 'j.x': 0 }, { 'k.y': 0 }],
      code: 40,
      message: "Update created a conflict at 'a.0.b.$[k].c'",
    },
    {
      name: "'$[]' with '$[i]' on the same element",
      doc: { _id: 1, a: [1] },
      update: { $set: { 'a.$[]': 1, 'a.$[i]': 2 } },
      arrayFilters: [{ i: 1 }],
      code: 40,
      message: "Update created a conflict at 'a.0'",
    },
  ]);
});
