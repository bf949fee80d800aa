import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Decimal128, Double, Int32, Long } from 'bson';
import { compareExact, toExact } from './compare-numbers.js';
import { decimalFromParts, decimalToParts } from './decimal-parts.js';
import type { RoundingMode } from './decimal-round.js';
import {
  decimalToDouble,
  decimalToDoubleWithFlags,
  decimalToInt32,
  decimalToInt64,
  doubleToDecimal,
  doubleToInt32,
  doubleToInt64,
  int64ToInt32,
  toDecimal,
} from './number-convert.js';

const d = (text: string): Decimal128 => Decimal128.fromString(text);

void describe('doubleToDecimal (the server constructor Decimal128(double))', () => {
  // decimal128_test.cpp: TestDoubleConstructorQuant1..9, QuantFailPoorLog10Of2Estimate,
  // Pos, Neg, MaxNeg, Min; $toDecimal docs: 2.5 -> NumberDecimal("2.50000000000000").
  const fifteen: [number, string][] = [
    [0.1 / 10, '0.0100000000000000'],
    [0.1 / 10000, '0.0000100000000000000'],
    [0.1 / 1000 / 1000 / 1000 / 1000 / 1000 / 1000, '1.00000000000000E-19'],
    [0.01 * 1000 * 1000 * 1000 * 1000 * 1000 * 1000, '1.00000000000000E+16'],
    [0.0127, '0.0127000000000000'],
    [1234567890.12709, '1234567890.12709'],
    [0.1129857 / 1000 / 1000 / 1000 / 1000 / 1000 / 1000, '1.12985700000000E-19'],
    [724.8799725651578000906738452613353729248046875, '724.879972565158'],
    [-0.09645061728395000478, '-0.0964506172839500'],
    [2 ** 1000, '1.07150860718627E+301'],
    [1.0, '1.00000000000000'],
    [-1.0, '-1.00000000000000'],
    [-Number.MAX_VALUE, '-1.79769313486232E+308'],
    [2.2250738585072014e-308, '2.22507385850720E-308'],
    [2.5, '2.50000000000000'],
    [0.1, '0.100000000000000'],
    [0.9999999999999999, '1.00000000000000'],
    [5e-324, '4.94065645841247E-324'],
    [NaN, 'NaN'],
    [-Infinity, '-Infinity'],
    [-0, '-0'],
  ];
  for (const [value, expected] of fifteen) {
    void test(`${value} -> ${expected}`, () => {
      assert.equal(doubleToDecimal(value).toString(), expected);
    });
  }

  void test('rounding modes (TestDoubleConstructorMaxRoundDown/Up, RoundAllNines)', () => {
    assert.equal(
      doubleToDecimal(Number.MAX_VALUE, 15, 'towardNegative').toString(),
      '1.79769313486231E+308',
    );
    assert.equal(
      doubleToDecimal(Number.MAX_VALUE, 15, 'towardPositive').toString(),
      '1.79769313486232E+308',
    );
    assert.equal(
      doubleToDecimal(0.999999999999999, 15, 'halfAway').toString(),
      '0.999999999999999',
    );
  });

  void test('34 digits is the exact binary value, rounded when longer', () => {
    // decimal128.cpp's comment: Decimal128(0.1) before quantizing is 0.1000000000000000055511151231257827.
    assert.equal(doubleToDecimal(0.1, 34).toString(), '0.1000000000000000055511151231257827');
    assert.equal(doubleToDecimal(0.5, 34).toString(), '0.5');
    assert.equal(doubleToDecimal(1024, 34).toString(), '1024');
    assert.equal(doubleToDecimal(2 ** 70, 34).toString(), '1180591620717411303424');
  });

  void test('15 digits: exactly 15 significant digits, the nearest to the double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        fc.pre(value !== 0);
        const parts = decimalToParts(doubleToDecimal(value));
        assert.ok(parts.kind === 'finite');
        assert.equal(parts.coefficient.toString().length, 15);
        // |decimal - double| <= half a unit of the 15th digit (the double rounding through
        // 34 digits can only move exact ties, which this bound still admits).
        const unit = toExact(decimalFromParts({ ...parts, negative: false, coefficient: 1n }));
        const rounded = toExact(decimalFromParts(parts));
        const exact = toExact(new Double(value));
        assert.ok(unit.kind === 'finite' && rounded.kind === 'finite' && exact.kind === 'finite');
        const diff = rounded.numerator * exact.denominator - exact.numerator * rounded.denominator;
        const absDiff = diff < 0n ? -diff : diff;
        const bound = unit.numerator * rounded.denominator * exact.denominator;
        assert.ok(2n * absDiff * unit.denominator <= bound);
      }),
      { numRuns: 2000 },
    );
  });

  void test('34 digits round-trips every double', () => {
    fc.assert(
      fc.property(fc.double(), (value) => {
        assert.ok(Object.is(decimalToDouble(doubleToDecimal(value, 34)), value));
      }),
      { numRuns: 2000 },
    );
  });

  void test('toDecimal: integers exactly, doubles with 15 digits', () => {
    assert.equal(toDecimal(new Int32(-5)).toString(), '-5');
    assert.equal(toDecimal(Long.MIN_VALUE).toString(), '-9223372036854775808');
    assert.equal(toDecimal(new Double(0.1)).toString(), '0.100000000000000');
    const decimal = d('1.50');
    assert.equal(toDecimal(decimal), decimal);
  });
});

void describe('decimalToDouble', () => {
  void test('server cases (TestDecimal128ToDouble*)', () => {
    assert.equal(decimalToDouble(d('2.015')), 2.015);
    assert.equal(decimalToDouble(d('0.000')), 0);
    assert.equal(decimalToDouble(d('300E2000')), Infinity);
    assert.equal(decimalToDouble(d('-300E2000')), -Infinity);
    assert.equal(decimalToDouble(d('1E-5900')), 0);
    assert.ok(Object.is(decimalToDouble(d('-1E-5900')), -0));
    assert.ok(Number.isNaN(decimalToDouble(d('NaN'))));
  });

  void test('agrees with correctly rounded string parsing', () => {
    const decimal = fc
      .record({
        negative: fc.boolean(),
        coefficient: fc.bigInt({ min: 0n, max: 10n ** 34n - 1n }),
        exponent: fc.oneof(fc.integer({ min: -400, max: 320 }), fc.integer({ min: -40, max: 10 })),
      })
      .map((parts) => decimalFromParts({ kind: 'finite', ...parts }));
    fc.assert(
      fc.property(decimal, (value) => {
        assert.ok(Object.is(decimalToDouble(value), Number(value.toString())), value.toString());
      }),
      { numRuns: 3000 },
    );
  });

  void test('flags: $convert fails on overflow and underflow, not on inexactness', () => {
    assert.deepEqual(decimalToDoubleWithFlags(d('0.5')), {
      value: 0.5,
      inexact: false,
      overflow: false,
      underflow: false,
    });
    assert.deepEqual(decimalToDoubleWithFlags(d('0.1')), {
      value: 0.1,
      inexact: true,
      overflow: false,
      underflow: false,
    });
    assert.equal(decimalToDoubleWithFlags(d('1E+309')).overflow, true);
    assert.equal(decimalToDoubleWithFlags(d('1E-400')).underflow, true);
    assert.equal(decimalToDoubleWithFlags(d('1E-310')).underflow, true);
    // No decimal128 holds a subnormal double exactly (2^-1074 has 751 digits), so every
    // nonzero result below 2^-1022 is inexact and tiny: an underflow.
    const smallest = doubleToDecimal(5e-324, 34);
    assert.equal(decimalToDoubleWithFlags(smallest).value, 5e-324);
    assert.equal(decimalToDoubleWithFlags(smallest).underflow, true);
    assert.equal(decimalToDoubleWithFlags(d('-0E-6176')).underflow, false);
    assert.equal(decimalToDoubleWithFlags(d('1E-300')).underflow, false);
  });
});

void describe('decimal to integer', () => {
  // TestDecimal128ToInt32{Even,Neg,Pos,Zero,Away} and the Int64 variants.
  const inputs = ['-2.7', '-2.5', '-2.2', '2.2', '2.5', '2.7'];
  const expected: [RoundingMode, number[]][] = [
    ['halfEven', [-3, -2, -2, 2, 2, 3]],
    ['towardNegative', [-3, -3, -3, 2, 2, 2]],
    ['towardPositive', [-2, -2, -2, 3, 3, 3]],
    ['towardZero', [-2, -2, -2, 2, 2, 2]],
    ['halfAway', [-3, -3, -2, 2, 3, 3]],
  ];
  for (const [mode, outputs] of expected) {
    void test(`Int32 ${mode}`, () => {
      assert.deepEqual(
        inputs.map((input) => decimalToInt32(d(input), mode)),
        outputs,
      );
    });
    void test(`Int64 ${mode}`, () => {
      const big = inputs.map((input) => input.replace('2.', '4294967296.'));
      const bigOutputs = outputs.map((n) => BigInt(n) + (n < 0 ? -4294967294n : 4294967294n));
      assert.deepEqual(
        big.map((input) => decimalToInt64(d(input), mode)),
        bigOutputs,
      );
    });
  }

  void test('NaN, infinity and out of range are undefined (the invalid flag)', () => {
    assert.equal(decimalToInt32(d('NaN'), 'halfEven'), undefined);
    assert.equal(decimalToInt64(d('Infinity'), 'towardZero'), undefined);
    assert.equal(decimalToInt32(d('10000000000000000'), 'halfEven'), undefined);
    assert.equal(decimalToInt64(d('100000000000000000000000000'), 'halfEven'), undefined);
    assert.equal(decimalToInt64(d('9223372036854775807.9'), 'towardZero'), 9223372036854775807n);
    assert.equal(decimalToInt64(d('9223372036854775807.9'), 'halfEven'), undefined);
    assert.equal(decimalToInt64(d('-9223372036854775808.9'), 'towardZero'), -(2n ** 63n));
    assert.equal(decimalToInt32(d('2147483647.5'), 'towardZero'), 2147483647);
    assert.equal(decimalToInt64(d('1E+19'), 'towardZero'), undefined);
    assert.equal(decimalToInt64(d('-0.4'), 'halfEven'), 0n);
  });
});

void describe('double to integer ($convert: performCastDoubleToInt/Long)', () => {
  void test('Int32 checks the range before truncating', () => {
    assert.equal(doubleToInt32(2147483647), 2147483647);
    assert.equal(doubleToInt32(2147483647.5), undefined);
    assert.equal(doubleToInt32(-2147483648), -2147483648);
    assert.equal(doubleToInt32(-2147483648.5), undefined);
    assert.equal(doubleToInt32(-1.9), -1);
    assert.ok(Object.is(doubleToInt32(-0.5), 0));
    assert.equal(doubleToInt32(NaN), undefined);
    assert.equal(doubleToInt32(Infinity), undefined);
  });

  void test('Int64 accepts [-2^63, 2^63)', () => {
    assert.equal(doubleToInt64(-(2 ** 63)), -(2n ** 63n));
    assert.equal(doubleToInt64(2 ** 63), undefined);
    assert.equal(doubleToInt64(9223372036854774784), 9223372036854774784n);
    assert.equal(doubleToInt64(1e300), undefined);
    assert.equal(doubleToInt64(-2.5), -2n);
    assert.equal(doubleToInt64(NaN), undefined);
  });

  void test('Int64 to Int32', () => {
    assert.equal(int64ToInt32(2147483647n), 2147483647);
    assert.equal(int64ToInt32(2147483648n), undefined);
    assert.equal(int64ToInt32(-2147483649n), undefined);
  });

  void test('truncation agrees with exact comparison', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (value) => {
        const result = doubleToInt64(value);
        if (result === undefined) {
          assert.ok(!Number.isFinite(value) || Math.abs(value) >= 2 ** 63);
          return;
        }
        // |value - result| < 1 and result lies between 0 and value.
        const order = compareExact(toExact(Long.fromBigInt(result)), toExact(new Double(value)));
        assert.ok(value >= 0 ? order <= 0 : order >= 0);
        assert.ok(Math.abs(value - Number(result)) < 1);
      }),
      { numRuns: 2000 },
    );
  });
});
