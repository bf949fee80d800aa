/**
 * The matching rules, from unified-test-format.md §Evaluating Matches (examples quoted
 * from the spec where it gives them).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Binary, Decimal128, Double, Int32, Long, ObjectId } from 'bson';
import type { Document } from 'mongodb';
import fc from 'fast-check';
import { assertMatches, MatchError } from './match.js';
import type { MatchEntities, MatchOptions } from './match.js';

const lsid = { id: new Binary(Buffer.alloc(16, 7), 4) };
const savedId = new ObjectId('0123456789abcdef01234567');
const entities: MatchEntities = {
  entityValue(name) {
    if (name === 'savedId') return savedId;
    throw new Error(`no entity ${name}`);
  },
  sessionLsid(name): Document {
    if (name === 'session0') return lsid;
    throw new Error(`no session ${name}`);
  },
};

function matches(expected: unknown, actual: unknown, options?: MatchOptions): boolean {
  try {
    assertMatches(expected, actual, entities, options);
    return true;
  } catch (error) {
    if (error instanceof MatchError) return false;
    throw error;
  }
}

interface Case {
  name: string;
  expected: unknown;
  actual: unknown;
  match: boolean;
  options?: MatchOptions;
}

function table(cases: Case[]): void {
  for (const { name, expected, actual, match, options } of cases) {
    test(name, () => assert.equal(matches(expected, actual, options), match));
  }
}

describe('documents and arrays', () => {
  table([
    {
      name: 'root documents may have extra fields',
      expected: { x: 1 },
      actual: { x: 1, y: 1 },
      match: true,
    },
    {
      name: 'a missing expected field fails',
      expected: { x: 1, y: 1 },
      actual: { x: 1 },
      match: false,
    },
    {
      name: 'nested documents may not have extra fields',
      expected: { x: { y: 1 } },
      actual: { x: { y: 1, z: 1 } },
      match: false,
    },
    {
      name: 'key order does not matter',
      expected: { x: 1, y: 1 },
      actual: { y: 1, x: 1 },
      match: true,
    },
    {
      name: 'arrays need the same length',
      expected: [1, 2, 3],
      actual: [1, 2, 3, 4],
      match: false,
    },
    { name: 'arrays match element-wise in order', expected: [1, 2], actual: [2, 1], match: false },
    {
      name: 'documents in a distinct-style array are not root-level',
      expected: [{ x: 1 }, { x: 2 }],
      actual: [
        { x: 1, y: 1 },
        { x: 2, y: 2 },
      ],
      match: false,
    },
    {
      name: 'documents from an iterated cursor are root-level',
      expected: [{ x: 1 }, { x: 2 }],
      actual: [
        { x: 1, y: 1 },
        { x: 2, y: 2 },
      ],
      match: true,
      options: { rootElements: true },
    },
    {
      name: 'a Map sent by the driver (sort) matches as a document',
      expected: { sort: { _id: 1 } },
      actual: { sort: new Map([['_id', 1]]) },
      match: true,
    },
    { name: 'a document does not match a scalar', expected: { x: 1 }, actual: 1, match: false },
    { name: 'a scalar does not match a document', expected: 1, actual: { x: 1 }, match: false },
    {
      name: 'an undefined field counts as absent',
      expected: { x: 1 },
      actual: { x: 1, y: undefined },
      match: true,
    },
  ]);
});

describe('flexible numeric comparisons', () => {
  table([
    {
      name: 'int32 1 matches double 1.0',
      expected: new Int32(1),
      actual: new Double(1),
      match: true,
    },
    {
      name: 'int32 1 does not match double 1.5',
      expected: new Int32(1),
      actual: 1.5,
      match: false,
    },
    {
      name: 'int64 matches a promoted JS number',
      expected: Long.fromNumber(5),
      actual: 5,
      match: true,
    },
    {
      name: 'int64 2^53+1 does not match double 2^53 (no rounding through doubles)',
      expected: Long.fromString('9007199254740993'),
      actual: new Double(2 ** 53),
      match: false,
    },
    {
      name: 'decimal128 does not match an equal int32',
      expected: Decimal128.fromString('1'),
      actual: new Int32(1),
      match: false,
    },
    {
      name: 'decimal128 matches the same decimal128',
      expected: Decimal128.fromString('1.5'),
      actual: Decimal128.fromString('1.5'),
      match: true,
    },
    { name: 'NaN matches NaN', expected: new Double(NaN), actual: NaN, match: true },
    { name: 'a number does not match a string', expected: new Int32(1), actual: '1', match: false },
    { name: 'null matches only null', expected: null, actual: 0, match: false },
  ]);

  test('every integer matches itself as int32, int64 and double', () => {
    fc.assert(
      fc.property(fc.integer(), (value) => {
        const forms = [new Int32(value), Long.fromNumber(value), new Double(value), value];
        return forms.every((left) => forms.every((right) => matches(left, right)));
      }),
    );
  });

  test('different doubles never match', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (left, right) => {
        fc.pre(left !== right);
        return !matches(new Double(left), right);
      }),
    );
  });
});

describe('special operators', () => {
  table([
    {
      name: '$$exists true accepts a null value',
      expected: { x: { $$exists: true } },
      actual: { x: null },
      match: true,
    },
    {
      name: '$$exists true fails on a missing field',
      expected: { x: { $$exists: true } },
      actual: {},
      match: false,
    },
    {
      name: '$$exists false accepts a missing field',
      expected: { x: { $$exists: false } },
      actual: { y: 1 },
      match: true,
    },
    {
      name: '$$exists false fails on a present field',
      expected: { x: { $$exists: false } },
      actual: { x: 1 },
      match: false,
    },
    {
      name: '$$type with one name',
      expected: { x: { $$type: 'string' } },
      actual: { x: 'a' },
      match: true,
    },
    {
      name: '$$type with a list',
      expected: { x: { $$type: ['int', 'long'] } },
      actual: { x: Long.fromNumber(3) },
      match: true,
    },
    {
      name: '$$type fails on another type',
      expected: { x: { $$type: 'string' } },
      actual: { x: 1 },
      match: false,
    },
    {
      name: '$$type needs the field to exist',
      expected: { x: { $$type: 'string' } },
      actual: {},
      match: false,
    },
    {
      name: '$$type long rejects int32',
      expected: { $$type: 'long' },
      actual: new Int32(1),
      match: false,
    },
    {
      name: '$$type does not look into arrays',
      expected: { $$type: 'array' },
      actual: [1],
      match: true,
    },
    {
      name: '$$unsetOrMatches accepts a missing field',
      expected: { x: { $$unsetOrMatches: 1 } },
      actual: {},
      match: true,
    },
    {
      name: '$$unsetOrMatches checks a present field',
      expected: { x: { $$unsetOrMatches: 1 } },
      actual: { x: 2 },
      match: false,
    },
    {
      name: '$$unsetOrMatches accepts a void result',
      expected: { $$unsetOrMatches: { insertedId: 1 } },
      actual: undefined,
      match: true,
    },
    {
      name: '$$unsetOrMatches keeps the root-level rule of its position',
      expected: { $$unsetOrMatches: { insertedId: 1 } },
      actual: { insertedId: 1, acknowledged: true },
      match: true,
    },
    {
      name: '$$unsetOrMatches inside a field is not root-level',
      expected: { x: { $$unsetOrMatches: { a: 1 } } },
      actual: { x: { a: 1, b: 2 } },
      match: false,
    },
    {
      name: '$$matchesEntity compares with the saved value',
      expected: { _id: { $$matchesEntity: 'savedId' } },
      actual: { _id: savedId },
      match: true,
    },
    {
      name: '$$matchesEntity fails on another value',
      expected: { _id: { $$matchesEntity: 'savedId' } },
      actual: { _id: new ObjectId() },
      match: false,
    },
    {
      name: '$$sessionLsid compares the lsid',
      expected: { lsid: { $$sessionLsid: 'session0' } },
      actual: { lsid },
      match: true,
    },
    {
      name: '$$sessionLsid fails on another lsid',
      expected: { lsid: { $$sessionLsid: 'session0' } },
      actual: { lsid: { id: new Binary(Buffer.alloc(16, 8), 4) } },
      match: false,
    },
    { name: '$$lte: 1 matches 1.0', expected: { $$lte: new Int32(1) }, actual: 1.0, match: true },
    {
      name: '$$lte: 1 matches 0.0',
      expected: { $$lte: new Int32(1) },
      actual: new Double(0),
      match: true,
    },
    {
      name: '$$lte: 1 does not match 1.1',
      expected: { $$lte: new Int32(1) },
      actual: 1.1,
      match: false,
    },
    {
      name: '$$matchesHexBytes compares bytes',
      expected: { $$matchesHexBytes: '12AB' },
      actual: Buffer.from([0x12, 0xab]),
      match: true,
    },
    {
      name: '$$matchesHexBytes fails on other bytes',
      expected: { $$matchesHexBytes: '12AB' },
      actual: Buffer.from([0x12]),
      match: false,
    },
    {
      name: '$$matchAsDocument parses Extended JSON and is not root-level',
      expected: { $$matchAsDocument: { x: new Int32(1) } },
      actual: '{"x": {"$numberLong": "1"}, "y": 2}',
      match: false,
    },
    {
      name: '$$matchAsDocument matches by value',
      expected: { $$matchAsDocument: { x: new Int32(1) } },
      actual: '{"x": 1.0}',
      match: true,
    },
    {
      name: '$$matchAsRoot allows extra fields',
      expected: { x: { $$matchAsRoot: { a: 1 } } },
      actual: { x: { a: 1, b: 2 } },
      match: true,
    },
  ]);

  test('an unknown operator is a runner error, not a failed match', () => {
    assert.throws(
      () => assertMatches({ $$bogus: 1 }, 1, entities),
      (error: Error) => !(error instanceof MatchError),
    );
  });

  test('$$placeholder cannot be matched', () => {
    assert.throws(
      () => assertMatches({ x: { $$placeholder: 1 } }, { x: 1 }, entities),
      (error: Error) => !(error instanceof MatchError),
    );
  });

  test('a failure names the path', () => {
    assert.throws(
      () => assertMatches({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 3 }] } }, entities),
      /a\.b\[1\]\.c/,
    );
  });
});
