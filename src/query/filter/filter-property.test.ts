// Property tests: the matcher against a direct reference written from the manual's rules
// (a predicate matches if it matches the value or any element of an array value; values of
// different BSON types never compare, except null with missing and MinKey/MaxKey; NaN only
// equals NaN), and invariance under the encoding of numbers.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Decimal128, Double, Int32, Long, MaxKey, MinKey } from 'bson';
import { compareValues } from '../../bson/compare.js';
import { canonicalTypeRank, isNumber } from '../../bson/types.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MISSING } from '../path.js';
import { compileSort, sortDocuments } from '../sort.js';
import { compileFilter } from './compile-filter.js';

type Operator = '$eq' | '$gt' | '$gte' | '$lt' | '$lte';
const operators: Operator[] = ['$eq', '$gt', '$gte', '$lt', '$lte'];

const small = fc.integer({ min: -3, max: 3 });
const numberArbitrary: fc.Arbitrary<BsonValue> = fc.oneof(
  small.map((n) => new Int32(n)),
  small.map((n) => Long.fromNumber(n)),
  fc.constantFrom(-1.5, -0, 0.5, 2, NaN, Infinity, -Infinity).map((n) => new Double(n)),
  fc
    .constantFrom('-1.50', '0', '2.0', '0.5', 'NaN', '-Infinity')
    .map((s) => Decimal128.fromString(s)),
);
const scalarArbitrary: fc.Arbitrary<BsonValue> = fc.oneof(
  { weight: 5, arbitrary: numberArbitrary },
  fc.constantFrom('', 'a', 'b', 'ab'),
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: 0, max: 3 }).map((ms) => new Date(ms)),
  fc.constantFrom(new MinKey(), new MaxKey()),
);
const valueArbitrary: fc.Arbitrary<BsonValue> = fc.oneof(
  { weight: 3, arbitrary: scalarArbitrary },
  fc.array(scalarArbitrary, { maxLength: 3 }),
);
const docArbitrary: fc.Arbitrary<BsonDocument> = fc
  .option(valueArbitrary, { nil: undefined })
  .map((a) => (a === undefined ? {} : { a }));

function isNaNValue(value: BsonValue): boolean {
  return isNumber(value) && compareValues(value, new Double(NaN)) === 0;
}

/** One value against one bound, written from the rules rather than from the matcher. */
function reference(op: Operator, value: BsonValue | typeof MISSING, bound: BsonValue): boolean {
  const inclusive = op === '$eq' || op === '$gte' || op === '$lte';
  if (bound instanceof MaxKey && !(value instanceof MaxKey)) return op === '$lt' || op === '$lte';
  if (bound instanceof MinKey && !(value instanceof MinKey)) return op === '$gt' || op === '$gte';
  if (value === MISSING) return bound === null && inclusive;
  if (canonicalTypeRank(value) !== canonicalTypeRank(bound)) return false;
  if (op !== '$eq' && (isNaNValue(value) || isNaNValue(bound))) {
    return inclusive && isNaNValue(value) && isNaNValue(bound);
  }
  const order = compareValues(value, bound);
  return { $eq: order === 0, $gt: order > 0, $gte: order >= 0, $lt: order < 0, $lte: order <= 0 }[
    op
  ];
}

/** The values a predicate on "a" sees: the value, or an array's elements and the array. */
function candidates(doc: BsonDocument): (BsonValue | typeof MISSING)[] {
  if (!Object.prototype.hasOwnProperty.call(doc, 'a')) return [MISSING];
  const value = doc.a;
  return Array.isArray(value) ? [...value, value] : [value];
}

describe('the matcher agrees with the reference', () => {
  test('comparison operators', () => {
    fc.assert(
      fc.property(fc.constantFrom(...operators), valueArbitrary, docArbitrary, (op, bound, doc) => {
        const expected = candidates(doc).some((value) => reference(op, value, bound));
        assert.equal(compileFilter({ a: { [op]: bound } })(doc), expected);
        assert.equal(compileFilter({ a: { $not: { [op]: bound } } })(doc), !expected);
      }),
      { numRuns: 3000 },
    );
  });

  test('$in and $nin', () => {
    fc.assert(
      fc.property(fc.array(valueArbitrary, { maxLength: 12 }), docArbitrary, (list, doc) => {
        const expected = candidates(doc).some((value) =>
          list.some((bound) => reference('$eq', value, bound)),
        );
        assert.equal(compileFilter({ a: { $in: list } })(doc), expected);
        assert.equal(compileFilter({ a: { $nin: list } })(doc), !expected);
      }),
      { numRuns: 2000 },
    );
  });

  test('$eq and $ne on dotted paths through arrays of documents', () => {
    const nested = fc.array(fc.option(fc.record({ b: valueArbitrary }), { nil: undefined }), {
      maxLength: 3,
    });
    fc.assert(
      fc.property(scalarArbitrary, nested, (bound, elements) => {
        const doc: BsonDocument = { a: elements.map((element) => element ?? {}) };
        const expected = elements.some((element) => {
          const inner: BsonDocument = element ?? {};
          return candidates(
            Object.prototype.hasOwnProperty.call(inner, 'b') ? { a: inner.b } : {},
          ).some((value) => reference('$eq', value, bound));
        });
        assert.equal(compileFilter({ 'a.b': bound })(doc), expected);
        assert.equal(compileFilter({ 'a.b': { $ne: bound } })(doc), !expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('numbers match the same whatever their encoding', () => {
  const encodings: ((n: number) => BsonValue)[] = [
    (n) => new Int32(n),
    (n) => Long.fromNumber(n),
    (n) => new Double(n),
    (n) => Decimal128.fromString(n.toFixed(2)),
  ];
  test('every operator, every pair of encodings', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...operators, '$ne' as const),
        fc.integer({ min: -5, max: 5 }),
        fc.integer({ min: -5, max: 5 }),
        (op, left, right) => {
          const results = new Set<boolean>();
          for (const encodeValue of encodings) {
            for (const encodeBound of encodings) {
              const matcher = compileFilter({ a: { [op]: encodeBound(right) } });
              const result = matcher({ a: encodeValue(left) });
              results.add(result);
              // A one-element array matches as its element does.
              assert.equal(matcher({ a: [encodeValue(left)] }), result);
            }
          }
          const direct = compileFilter({ a: { [op]: new Int32(right) } })({ a: new Int32(left) });
          assert.deepEqual([...results], [direct]);
          const expected = {
            $eq: left === right,
            $ne: left !== right,
            $gt: left > right,
            $gte: left >= right,
            $lt: left < right,
            $lte: left <= right,
          }[op];
          assert.equal(direct, expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('sorting agrees with compareValues on scalars', () => {
  test('ascending and descending, stable', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(scalarArbitrary, { nil: undefined }), { maxLength: 20 }),
        (values) => {
          const docs: BsonDocument[] = values.map((a, i) =>
            a === undefined ? { i: new Int32(i) } : { a, i: new Int32(i) },
          );
          const keyOf = (doc: BsonDocument): BsonValue =>
            Object.prototype.hasOwnProperty.call(doc, 'a') ? doc.a : null;
          for (const direction of [1, -1]) {
            const expected = docs
              .slice()
              .sort((x, y) => direction * compareValues(keyOf(x), keyOf(y)));
            assert.deepEqual(
              sortDocuments(docs, compileSort({ a: new Int32(direction) })),
              expected,
            );
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
