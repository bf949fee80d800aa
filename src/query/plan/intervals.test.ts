// Property tests for the interval algebra and its translation to key ranges: intervals
// are read as sets of BSON values (membership is inIntervals), so normalize must keep
// the set, intersect and complement must be set intersection and complement, and the
// byte ranges of keyRanges plus the per-key checks must accept exactly the keys whose
// every field lies in its bounds.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Decimal128, Double, EJSON, Int32, Long, MaxKey, MinKey, ObjectId } from 'bson';
import type { BsonValue } from '../../bson/types.js';
import { compareValues } from '../../bson/compare.js';
import { encodeKey } from '../../bson/key-string.js';
import type { Direction } from '../../bson/key-string.js';
import type { Interval } from './intervals.js';
import { allValues, complement, intersect, normalize, point, wholeBracket } from './intervals.js';
import { inIntervals, keyRanges, rangesMax } from './key-ranges.js';

const values: readonly BsonValue[] = [
  new MinKey(),
  undefined,
  null,
  new Double(NaN),
  new Double(-Infinity),
  new Int32(-1),
  new Double(-0),
  new Int32(0),
  Long.fromNumber(1),
  new Double(1.5),
  Decimal128.fromString('2'),
  new Double(Infinity),
  '',
  'a',
  'ab',
  'b',
  {},
  { a: new Int32(1) },
  [],
  [new Int32(1)],
  new ObjectId('000000000000000000000001'),
  false,
  true,
  new Date(0),
  new MaxKey(),
];

const value = fc.constantFrom(...values);

const interval: fc.Arbitrary<Interval> = fc
  .record({ a: value, b: value, lowInclusive: fc.boolean(), highInclusive: fc.boolean() })
  .map(({ a, b, lowInclusive, highInclusive }) => {
    const [low, high] = compareValues(a, b) <= 0 ? [a, b] : [b, a];
    return { low, lowInclusive, high, highInclusive };
  });

const intervals = fc.array(interval, { maxLength: 4 });

/** Sorted, disjoint, non-touching and non-empty: what the planner hands to keyRanges. */
function assertOrdered(list: readonly Interval[]): void {
  for (const item of list) {
    const order = compareValues(item.low, item.high);
    assert.ok(order < 0 || (order === 0 && item.lowInclusive && item.highInclusive));
  }
  for (let i = 1; i < list.length; i++) {
    const previous = list[i - 1] as Interval;
    const next = list[i] as Interval;
    const order = compareValues(previous.high, next.low);
    assert.ok(order < 0 || (order === 0 && !previous.highInclusive && !next.lowInclusive));
  }
}

describe('interval algebra', () => {
  test('normalize keeps the set and orders it', () => {
    fc.assert(
      fc.property(intervals, (list) => {
        const normal = normalize(list);
        assertOrdered(normal);
        for (const v of values) assert.equal(inIntervals(v, normal), inIntervals(v, list));
      }),
      { numRuns: 2000 },
    );
  });

  test('intersect is set intersection, complement is set complement', () => {
    fc.assert(
      fc.property(intervals, intervals, (a, b) => {
        const both = intersect(normalize(a), normalize(b));
        const not = complement(a);
        assertOrdered(not);
        for (const v of values) {
          assert.equal(inIntervals(v, both), inIntervals(v, a) && inIntervals(v, b));
          assert.equal(inIntervals(v, not), !inIntervals(v, a));
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('a whole type bracket holds exactly the values of that type', () => {
    const brackets: [number, (v: BsonValue) => boolean][] = [
      [
        10,
        (v) =>
          v instanceof Double || v instanceof Int32 || v instanceof Long || v instanceof Decimal128,
      ],
      [15, (v) => typeof v === 'string'],
      [40, (v) => typeof v === 'boolean'],
    ];
    for (const [rank, isMember] of brackets) {
      for (const v of values) assert.equal(inIntervals(v, [wholeBracket(rank)]), isMember(v));
    }
  });
});

/** Whether the index scan would accept the key: inside a byte range, and checked fields. */
function accepted(
  key: readonly BsonValue[],
  bounds: Interval[][],
  directions: Direction[],
): boolean {
  const { ranges, checkFields } = keyRanges(bounds, directions);
  const bytes = encodeKey(key, directions).key;
  const inRange = ranges.some(
    (range) => Buffer.compare(bytes, range.start) >= 0 && Buffer.compare(bytes, range.end) < 0,
  );
  return (
    inRange && checkFields.every((field) => inIntervals(key[field], bounds[field] as Interval[]))
  );
}

describe('key ranges', () => {
  const fieldBounds = fc.oneof(
    {
      weight: 2,
      arbitrary: fc
        .array(value, { minLength: 1, maxLength: 3 })
        .map((points) => normalize(points.map(point))),
    },
    { weight: 2, arbitrary: intervals.map(normalize) },
    { weight: 1, arbitrary: fc.constant(null).map(() => [allValues]) },
  );

  test('accept the keys whose every field is in bounds, and no others, in any direction', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((width) =>
          fc.record({
            bounds: fc.array(fieldBounds, { minLength: width, maxLength: width }),
            directions: fc.array(fc.constantFrom<Direction>(1, -1), {
              minLength: width,
              maxLength: width,
            }),
            keys: fc.array(fc.array(value, { minLength: width, maxLength: width }), {
              maxLength: 20,
            }),
          }),
        ),
        ({ bounds, directions, keys }) => {
          // (MinKey, ...) and (..., MaxKey) scan as the whole field: a looser scan is
          // allowed (the filter runs on every fetched document), a tighter one never.
          const exact = bounds.every((field) =>
            field.every(
              (item) =>
                (item.lowInclusive || !(item.low instanceof MinKey)) &&
                (item.highInclusive || !(item.high instanceof MaxKey)),
            ),
          );
          for (const key of keys) {
            const wanted = key.every((v, i) => inIntervals(v, bounds[i] as Interval[]));
            const got = accepted(key, bounds, directions);
            const what = EJSON.stringify({ key, bounds, directions }, { relaxed: false });
            if (wanted) assert.ok(got, what);
            else if (exact) assert.ok(!got, what);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('point combinations past rangesMax are checked per key instead', () => {
    const many = normalize(Array.from({ length: 30 }, (_, i) => point(new Int32(i))));
    const bounds = [many, many, many];
    // 30 prefixes fit in rangesMax, 900 do not: the second field's points become ranges
    // under each prefix and the third field is checked on each key.
    assert.ok(30 <= rangesMax && 30 * 30 > rangesMax);
    const { checkFields } = keyRanges(bounds, [1, -1, 1]);
    assert.deepEqual(checkFields, [2]);
    const key = (a: number, b: number, c: number) => [new Int32(a), new Int32(b), new Int32(c)];
    assert.ok(accepted(key(3, 29, 0), bounds, [1, -1, 1]));
    assert.ok(!accepted(key(3, 29, 30), bounds, [1, -1, 1]));
    assert.ok(!accepted(key(3, 30, 0), bounds, [1, -1, 1]));
  });
});
