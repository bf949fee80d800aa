/**
 * Single-number math, trigonometry and bitwise operators: result types, the server's integral
 * $pow rules (representableAsLong), $round/$trunc through Decimal128 quantize, and error codes
 * from expression.cpp / expression_trigonometric.h.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BsonValue } from '../../bson/types.js';
import { dbl, dec, errorOf, evaluate, int, long, typed } from '../test-support.js';

function check(cases: [BsonValue, string][]): void {
  for (const [expression, expected] of cases) {
    void test(`${JSON.stringify(expression, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))} -> ${expected}`, () => {
      assert.equal(typed(evaluate(expression)), expected);
    });
  }
}

void describe('$abs $ceil $floor', () => {
  check([
    [{ $abs: int(-5) }, 'int:5'],
    [{ $abs: int(-2147483648) }, 'long:2147483648'],
    [{ $abs: long(-5) }, 'long:5'],
    [{ $abs: dbl(-2.5) }, 'double:2.5'],
    [{ $abs: dec('-1.50') }, 'decimal:1.50'],
    [{ $abs: null }, 'null'],
    [{ $ceil: dbl(1.2) }, 'double:2'],
    [{ $ceil: dbl(-1.2) }, 'double:-1'],
    [{ $floor: dbl(-1.2) }, 'double:-2'],
    [{ $floor: int(7) }, 'int:7'],
    [{ $ceil: dec('1.2') }, 'decimal:2'],
    [{ $floor: dec('-1.2') }, 'decimal:-2'],
    [{ $floor: dec('1.5E+3') }, 'decimal:1500'],
  ]);
  void test('errors', () => {
    assert.deepEqual(errorOf({ $abs: long(-9223372036854775808n) }), {
      code: 28680,
      message: "can't take $abs of long long min",
    });
    assert.deepEqual(errorOf({ $abs: 'x' }), {
      code: 28765,
      message: '$abs only supports numeric types, not string',
    });
  });
});

void describe('$exp $ln $log $log10 $sqrt', () => {
  check([
    [{ $exp: int(0) }, 'double:1'],
    [{ $ln: int(1) }, 'double:0'],
    [{ $log10: int(1000) }, 'double:3'],
    [{ $log: [int(8), int(2)] }, 'double:3'],
    [{ $sqrt: int(25) }, 'double:5'],
    [{ $sqrt: dbl(Number.NaN) }, 'double:NaN'],
    [{ $ln: dbl(Number.NaN) }, 'double:NaN'],
    [{ $log: [null, int(2)] }, 'null'],
  ]);
  void test('domain errors', () => {
    assert.deepEqual(errorOf({ $ln: int(0) }), {
      code: 28766,
      message: "$ln's argument must be a positive number, but is 0",
    });
    assert.deepEqual(errorOf({ $log10: dbl(-1.5) }), {
      code: 28761,
      message: "$log10's argument must be a positive number, but is -1.5",
    });
    assert.equal(errorOf({ $log: [int(8), int(1)] }).code, 28759);
    assert.equal(errorOf({ $log: ['a', int(2)] }).code, 28756);
    assert.equal(errorOf({ $log: [int(2), 'a'] }).code, 28757);
    assert.equal(errorOf({ $log: [int(-2), int(2)] }).code, 28758);
    assert.deepEqual(errorOf({ $sqrt: int(-1) }), {
      code: 28714,
      message: "$sqrt's argument must be greater than or equal to 0",
    });
  });
});

void describe('$pow', () => {
  check([
    [{ $pow: [int(2), int(10)] }, 'int:1024'],
    [{ $pow: [int(2), int(31)] }, 'long:2147483648'],
    [{ $pow: [int(2), int(62)] }, 'long:4611686018427387904'],
    [{ $pow: [int(2), int(63)] }, 'double:9223372036854776000'],
    [{ $pow: [int(-2), int(63)] }, 'long:-9223372036854775808'],
    [{ $pow: [long(3), int(2)] }, 'long:9'],
    [{ $pow: [int(2), int(-1)] }, 'double:0.5'],
    [{ $pow: [int(-1), int(-3)] }, 'int:-1'],
    [{ $pow: [int(0), int(0)] }, 'int:1'],
    [{ $pow: [dbl(4), dbl(0.5)] }, 'double:2'],
    [{ $pow: [dbl(1), dbl(Number.NaN)] }, 'double:1'],
  ]);
  void test('errors', () => {
    assert.deepEqual(errorOf({ $pow: [int(0), int(-1)] }), {
      code: 28764,
      message: '$pow cannot take a base of 0 and a negative exponent',
    });
    assert.equal(errorOf({ $pow: ['a', int(1)] }).code, 28762);
    assert.equal(errorOf({ $pow: [int(1), 'a'] }).code, 28763);
  });
  void test('integral powers that fit in int64 are exact', () => {
    fc.assert(
      fc.property(fc.integer({ min: -3037000499, max: 3037000499 }), (base) => {
        const result = evaluate({ $pow: [long(base), int(2)] });
        assert.equal(typed(result), `long:${BigInt(base) ** 2n}`);
      }),
      { numRuns: 300 },
    );
  });
});

void describe('$round and $trunc', () => {
  check([
    [{ $round: dbl(2.5) }, 'double:2'],
    [{ $round: dbl(3.5) }, 'double:4'],
    [{ $round: [dbl(-2.5), int(0)] }, 'double:-2'],
    [{ $round: [dbl(1.005), int(2)] }, 'double:1'],
    [{ $round: [dbl(1234.5678), int(2)] }, 'double:1234.57'],
    [{ $round: [dbl(1234.5678), int(-2)] }, 'double:1200'],
    [{ $round: [int(1250), int(-2)] }, 'int:1200'],
    [{ $round: [int(1350), int(-2)] }, 'int:1400'],
    [{ $round: [long(1250), int(-2)] }, 'long:1200'],
    [{ $round: [int(2147483647), int(-1)] }, 'long:2147483650'],
    [{ $round: [int(5), int(2)] }, 'int:5'],
    [{ $round: [dec('1.255'), int(2)] }, 'decimal:1.26'],
    [{ $round: [dec('1.265'), int(2)] }, 'decimal:1.26'],
    [{ $round: [dec('-Infinity'), int(2)] }, 'decimal:-Infinity'],
    [{ $round: [dbl(Number.POSITIVE_INFINITY), int(2)] }, 'double:Infinity'],
    [{ $trunc: [dbl(-2.7)] }, 'double:-2'],
    [{ $trunc: [dbl(1234.5678), int(1)] }, 'double:1234.5'],
    [{ $trunc: [dec('1.299'), int(2)] }, 'decimal:1.29'],
    [{ $trunc: [int(-1299), int(-2)] }, 'int:-1200'],
    [{ $round: [null, int(1)] }, 'null'],
    [{ $round: [int(1), null] }, 'null'],
  ]);
  void test('errors', () => {
    assert.equal(errorOf({ $round: ['a'] }).code, 51081);
    assert.deepEqual(errorOf({ $round: [int(1), dbl(1.5)] }), {
      code: 51082,
      message: 'precision argument to  $round must be a integral value',
    });
    assert.deepEqual(errorOf({ $round: [int(1), int(101)] }), {
      code: 51083,
      message: 'cannot apply $round with precision value 101 value must be in [-20, 100]',
    });
    assert.equal(errorOf({ $round: [long(9223372036854775807n), int(-1)] }).code, 51080);
  });
});

void describe('trigonometry', () => {
  check([
    [{ $sin: int(0) }, 'double:0'],
    [{ $cos: dbl(0) }, 'double:1'],
    [{ $atan2: [int(1), int(1)] }, `double:${Math.PI / 4}`],
    [{ $degreesToRadians: int(180) }, `double:${Math.PI}`],
    [{ $acos: dbl(Number.NaN) }, 'double:NaN'],
    [{ $sin: null }, 'null'],
  ]);
  void test('domain errors are 50989', () => {
    assert.deepEqual(errorOf({ $acos: int(2) }), {
      code: 50989,
      message: 'cannot apply $acos to 2, value must be in [-1,1]',
    });
    assert.equal(errorOf({ $sin: dbl(Number.POSITIVE_INFINITY) }).code, 50989);
    assert.equal(errorOf({ $acosh: dbl(0.5) }).code, 50989);
  });
});

void describe('bitwise', () => {
  check([
    [{ $bitAnd: [int(12), int(10)] }, 'int:8'],
    [{ $bitOr: [int(12), long(3)] }, 'long:15'],
    [{ $bitXor: [int(12), int(10)] }, 'int:6'],
    [{ $bitNot: int(0) }, 'int:-1'],
    [{ $bitNot: long(0) }, 'long:-1'],
    [{ $bitAnd: [int(1), null] }, 'null'],
  ]);
  void test('only int and long operands', () => {
    assert.deepEqual(errorOf({ $bitAnd: [int(1), dbl(1)] }), {
      code: 14,
      message: '$bitAnd only supports int and long operands.',
    });
  });
});
