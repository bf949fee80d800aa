/**
 * binaryEqual is BSONElement::binaryEqualValues: same type, same bytes. The property
 * test checks it against the bytes the bson package actually serializes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Double, Int32, Long, serialize } from 'bson';
import type { BsonValue } from '../../bson/types.js';
import { binaryEqual } from './binary-equal.js';

const scalar: fc.Arbitrary<BsonValue> = fc.oneof(
  fc.integer({ min: -3, max: 3 }).map((n) => new Int32(n)),
  fc.constantFrom(-1, 0, -0, 1, 2.5, NaN).map((n) => new Double(n)),
  fc.integer({ min: -3, max: 3 }).map((n) => Long.fromNumber(n)),
  fc.constantFrom('a', 'b', ''),
  fc.boolean(),
  fc.constant(null),
);

const value: fc.Arbitrary<BsonValue> = fc.letrec<{ value: BsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc
      .uniqueArray(fc.tuple(fc.constantFrom('x', 'y', 'z'), tie('value')), {
        maxLength: 3,
        selector: ([key]) => key,
      })
      .map((entries) => Object.fromEntries(entries) as BsonValue),
  ),
})).value;

function sameBytes(a: BsonValue, b: BsonValue): boolean {
  return Buffer.from(serialize({ v: a })).equals(serialize({ v: b }));
}

void describe('binaryEqual', () => {
  void test('property: agrees with serialized bytes', () => {
    fc.assert(
      fc.property(value, value, (a, b) => binaryEqual(a, b) === sameBytes(a, b)),
      {
        numRuns: 2000,
      },
    );
  });

  void test('property: every value equals itself and a structural copy', () => {
    fc.assert(fc.property(value, (a) => binaryEqual(a, a) && binaryEqual(a, structuredCopy(a))));
  });

  void test('stricter than comparison: type, -0 and field order count', () => {
    assert.equal(binaryEqual(new Int32(1), new Double(1)), false);
    assert.equal(binaryEqual(new Double(0), new Double(-0)), false);
    assert.equal(binaryEqual({ a: null, b: null }, { b: null, a: null }), false);
    assert.equal(binaryEqual(new Double(NaN), new Double(NaN)), true);
  });
});

function structuredCopy(value: BsonValue): BsonValue {
  if (Array.isArray(value)) return value.map(structuredCopy);
  if (
    value !== null &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, structuredCopy(v as BsonValue)]),
    );
  }
  if (value instanceof Int32) return new Int32(value.value);
  if (value instanceof Double) return new Double(value.value);
  if (value instanceof Long) return Long.fromBigInt(value.toBigInt());
  return value;
}
