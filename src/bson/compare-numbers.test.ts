import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Decimal128, Double, Int32, Long } from 'bson';
import type { BsonNumber } from './compare-numbers.js';
import { compareExact, compareNumbers, toExact } from './compare-numbers.js';

const twoPow53 = 2n ** 53n;

void describe('compareNumbers', () => {
  // MongoDB compares Int64 and Double exactly (compareLongToDouble in bsonelement.cpp), so
  // a Long one above 2^53 is greater than the double 2^53 it would round to.
  const table: [BsonNumber, BsonNumber, -1 | 0 | 1][] = [
    [Long.fromBigInt(twoPow53 + 1n), new Double(2 ** 53), 1],
    [new Double(2 ** 53), Long.fromBigInt(twoPow53 + 1n), -1],
    [Long.fromBigInt(-twoPow53 - 1n), new Double(-(2 ** 53)), -1],
    [Long.fromBigInt(twoPow53), new Double(2 ** 53), 0],
    [Long.fromBigInt(twoPow53 - 1n), new Double(2 ** 53), -1],
    [Long.fromBigInt(2n ** 63n - 1n), new Double(2 ** 63), -1],
    [Long.fromBigInt(-(2n ** 63n)), new Double(-(2 ** 63)), 0],
    [new Int32(0), new Double(-0), 0],
    [new Double(NaN), Decimal128.fromString('NaN'), 0],
    [new Double(NaN), new Double(-Infinity), -1],
    [Decimal128.fromString('-Infinity'), new Double(-Infinity), 0],
    [Decimal128.fromString('0.1'), new Double(0.1), -1],
    [Decimal128.fromString('42.00'), new Int32(42), 0],
    [Decimal128.fromString('9223372036854775807'), Long.MAX_VALUE, 0],
  ];
  for (const [a, b, expected] of table) {
    void test(`${a._bsontype}(${a.toString()}) vs ${b._bsontype}(${b.toString()})`, () => {
      assert.equal(compareNumbers(a, b), expected);
    });
  }

  void test('Long vs Double agrees with exact rational comparison', () => {
    const near53 = fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n });
    const long = fc
      .oneof(near53, fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }))
      .map((v) => Long.fromBigInt(v));
    const double = fc.oneof(
      fc.double(),
      near53.map((v) => new Double(Number(v)).value),
      fc.integer({ min: -1100, max: 1100 }).map((e) => 2 ** e),
    );
    fc.assert(
      fc.property(long, double, (a, b) => {
        const d = new Double(b);
        assert.equal(compareNumbers(a, d), compareExact(toExact(a), toExact(d)));
        assert.equal(compareNumbers(d, a), compareExact(toExact(d), toExact(a)));
      }),
      { numRuns: 3000 },
    );
  });
});
