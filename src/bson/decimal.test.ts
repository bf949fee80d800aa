import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Decimal128 } from 'bson';
import { compareExact, toExact } from './compare-numbers.js';
import {
  decimalAbs,
  decimalAdd,
  decimalCeil,
  decimalDivide,
  decimalFloor,
  decimalMod,
  decimalMultiply,
  decimalNegate,
  decimalNormalize,
  decimalQuantize,
  decimalQuantizeLikeMongo,
  decimalRound,
  decimalSubtract,
  decimalTrunc,
} from './decimal.js';
import { decimalFromParts, decimalToParts } from './decimal-parts.js';

const d = (text: string): Decimal128 => Decimal128.fromString(text);
const largest = '9.999999999999999999999999999999999E+6144';

type Binary = (a: Decimal128, b: Decimal128) => Decimal128;

function table(name: string, operation: Binary, rows: [string, string, string][]): void {
  void describe(name, () => {
    for (const [a, b, expected] of rows) {
      void test(`${a} ${name} ${b} = ${expected}`, () => {
        assert.equal(operation(d(a), d(b)).toString(), expected);
      });
    }
  });
}

// Expected values: the server's decimal128_test.cpp (marked "server"), the General
// Decimal Arithmetic specification's examples (speleotrove.com/decimal, "GDA") at 34
// digits, and IEEE 754-2008's rules for special values, ranges and preferred exponents.
table('add', decimalAdd, [
  ['25.05E20', '-50.5218E19', '1.999782E+21'], // server
  ['1.00', '2.000', '3.000'], // server
  ['1.0', '2.00', '3.00'],
  ['12', '7.00', '19.00'], // GDA
  ['1E+2', '1E+4', '1.01E+4'], // GDA
  ['1', '-1', '0'],
  ['-0', '-0', '-0'],
  ['-0', '0', '0'],
  ['0E+5', '-0E-3', '0.000'],
  ['1E+3', '0', '1000'],
  ['1E+40', '0', '1.000000000000000000000000000000000E+40'],
  ['1E+6000', '1E-6000', '1.000000000000000000000000000000000E+6000'],
  ['1E+33', '-1E-100', '1000000000000000000000000000000000'],
  ['0.9999999999999999999999999999999999', '5E-35', '1.000000000000000000000000000000000'],
  ['0.9999999999999999999999999999999999', '4.9E-35', '0.9999999999999999999999999999999999'],
  ['1234567890123456789012345678901234', '0.5', '1234567890123456789012345678901234'],
  ['1234567890123456789012345678901235', '0.5', '1234567890123456789012345678901236'],
  [largest, '1E+6111', 'Infinity'],
  ['Infinity', '-Infinity', 'NaN'],
  ['Infinity', '1', 'Infinity'],
  ['NaN', '1', 'NaN'],
]);

table('subtract', decimalSubtract, [
  ['25.05E20', '-50.5218E19', '3.010218E+21'], // server
  ['1.00', '2.000', '-1.000'], // server
  ['-' + largest, '1', '-' + largest], // server: inexact, stays the largest negative
  ['1.3', '1.07', '0.23'], // GDA
  ['1.3', '1.30', '0.00'], // GDA
  ['1.3', '2.07', '-0.77'], // GDA
  ['-0', '0', '-0'],
  ['Infinity', 'Infinity', 'NaN'],
]);

table('multiply', decimalMultiply, [
  ['25.05E20', '-50.5218E19', '-1.265571090E+42'], // server
  ['1.00', '2.000', '2.00000'], // server
  ['2', largest, 'Infinity'], // server: overflow
  ['1.20', '3', '3.60'], // GDA
  ['0.9', '0.8', '0.72'], // GDA
  ['0.9', '-0', '-0.0'], // GDA
  ['654321', '654321', '428135971041'],
  ['1E+6111', '1E+10', '1.0000000000E+6121'], // clamped: coefficient padded to fit
  ['3E-6176', '0.5', '2E-6176'], // subnormal 1.5 rounds to even
  ['5E-6176', '0.1', '0E-6176'], // subnormal 0.5 rounds to even
  ['1E-6100', '1E-100', '0E-6176'],
  ['0', 'Infinity', 'NaN'],
  ['-2', 'Infinity', '-Infinity'],
]);

table('divide', decimalDivide, [
  ['25.05E20', '-50.5218E19', '-4.958255644098191275845278671781290'], // server
  ['1.00', '2.000', '0.5'], // server
  ['2', '0', 'Infinity'], // server
  ['1', '3', '0.3333333333333333333333333333333333'], // GDA
  ['2', '3', '0.6666666666666666666666666666666667'], // GDA
  ['5', '2', '2.5'], // GDA
  ['1', '10', '0.1'], // GDA
  ['12', '12', '1'], // GDA
  ['8.00', '2', '4.00'], // GDA
  ['2.400', '2.0', '1.20'], // GDA
  ['1000', '100', '10'], // GDA
  ['1000', '1', '1000'], // GDA
  ['2.40E+6', '2', '1.20E+6'], // GDA
  ['0', '0', 'NaN'],
  ['-0', '5', '-0'],
  ['0.00', '1E+3', '0.00000'],
  ['1', 'Infinity', '0E-6176'],
  ['-1', 'Infinity', '-0E-6176'],
  ['Infinity', 'Infinity', 'NaN'],
  ['1E+6000', '1E-6000', 'Infinity'],
]);

// fmod: the remainder of truncating division, with the dividend's sign (GDA "remainder").
table('mod', decimalMod, [
  ['2.1', '3', '2.1'], // GDA
  ['10', '3', '1'], // GDA
  ['-10', '3', '-1'], // GDA
  ['10.2', '1', '0.2'], // GDA
  ['10', '0.3', '0.1'], // GDA
  ['3.6', '1.3', '1.0'], // GDA
  ['1E+100', '7', '4'],
  ['-0', '5', '-0'],
  ['5', 'Infinity', '5'],
  ['Infinity', '5', 'NaN'],
  ['5', '0', 'NaN'],
]);

void describe('quantize', () => {
  // IEEE quantize examples from GDA, and the server's TestDecimal128Quantize cases.
  const rows: [string, number, 'halfEven' | 'towardZero', string][] = [
    ['2.17', -3, 'halfEven', '2.170'],
    ['2.17', -2, 'halfEven', '2.17'],
    ['2.17', -1, 'halfEven', '2.2'],
    ['2.17', 0, 'halfEven', '2'],
    ['2.17', 1, 'halfEven', '0E+1'],
    ['-0.1', 0, 'halfEven', '-0'],
    ['-0', 5, 'halfEven', '-0E+5'],
    ['217', -1, 'halfEven', '217.0'],
    ['217', 1, 'halfEven', '2.2E+2'],
    ['217', 2, 'halfEven', '2E+2'],
    ['1.000008', -5, 'halfEven', '1.00001'],
    ['3.14159', -4, 'halfEven', '3.1416'],
    ['3.14159', -4, 'towardZero', '3.1415'],
    ['30.14159', -5, 'towardZero', '30.14159'],
    ['1E+40', 0, 'halfEven', 'NaN'],
    ['Infinity', 0, 'halfEven', 'NaN'],
  ];
  for (const [value, exponent, mode, expected] of rows) {
    void test(`quantize(${value}, 1E${exponent}, ${mode}) = ${expected}`, () => {
      assert.equal(decimalQuantize(d(value), exponent, mode).toString(), expected);
    });
  }

  void test('MongoDB returns the 34-digit value where IEEE quantize is invalid', () => {
    assert.equal(
      decimalQuantizeLikeMongo(d('1E+40'), 0, 'halfEven').toString(),
      '1.000000000000000000000000000000000E+40',
    );
    // Server: TestDecimal128Quantize with kNormalizedZero and kRoundTowardZero.
    assert.equal(
      decimalQuantizeLikeMongo(
        d('3000000000000000000000000.141590000'),
        0,
        'towardZero',
      ).toString(),
      '3000000000000000000000000',
    );
    assert.equal(decimalQuantizeLikeMongo(d('NaN'), 0, 'halfEven').toString(), 'NaN');
    assert.equal(decimalQuantizeLikeMongo(d('-Infinity'), 0, 'halfEven').toString(), '-Infinity');
  });

  void test('$round, $trunc, $floor and $ceil on decimals', () => {
    // Docs ($round, $trunc): 19.25 to one place is 19.2 either way; -45.39 rounds to -45.4.
    assert.equal(decimalRound(d('19.25'), 1).toString(), '19.2');
    assert.equal(decimalRound(d('19.35'), 1).toString(), '19.4');
    assert.equal(decimalRound(d('-45.39'), 1).toString(), '-45.4');
    assert.equal(decimalTrunc(d('-45.39'), 1).toString(), '-45.3');
    assert.equal(decimalRound(d('1234.5678'), -2).toString(), '1.2E+3');
    assert.equal(decimalRound(d('2.5'), 0).toString(), '2');
    assert.equal(decimalFloor(d('-1.5')).toString(), '-2');
    assert.equal(decimalCeil(d('-1.5')).toString(), '-1');
    assert.equal(decimalFloor(d('1E+5')).toString(), '100000');
    assert.equal(decimalCeil(d('0.1')).toString(), '1');
    assert.equal(decimalFloor(d('-0.1')).toString(), '-1');
  });
});

void describe('sign and normalization', () => {
  void test('abs and negate only touch the sign bit', () => {
    assert.equal(decimalAbs(d('-1.50')).toString(), '1.50');
    assert.equal(decimalAbs(d('-Infinity')).toString(), 'Infinity');
    assert.equal(decimalNegate(d('1.50')).toString(), '-1.50');
    assert.equal(decimalNegate(d('-0E+3')).toString(), '0E+3');
  });

  void test('normalize pads to 34 digits (server: TestDecimal128Normalize*)', () => {
    assert.deepEqual(decimalNormalize(d('500E-2')).bytes, decimalNormalize(d('5')).bytes);
    assert.deepEqual(decimalNormalize(d('5E-6174')).bytes, decimalNormalize(d('500E-6176')).bytes);
    assert.equal(decimalNormalize(d('5')).toString(), '5.000000000000000000000000000000000');
  });
});

function exactValue(value: Decimal128): { numerator: bigint; denominator: bigint } {
  const exact = toExact(value);
  assert.equal(exact.kind, 'finite');
  return exact;
}

/**
 * The oracle for one rounding: the result is within half a unit in its last place of the
 * exact value, a tie has an even coefficient, and an inexact result uses all 34 digits.
 */
function assertCorrectlyRounded(result: Decimal128, numerator: bigint, denominator: bigint): void {
  const parts = decimalToParts(result);
  assert.equal(parts.kind, 'finite', `unexpected ${result.toString()}`);
  if (parts.kind !== 'finite') return;
  const signed = parts.negative ? -parts.coefficient : parts.coefficient;
  // diff = (result - exact) × denominator × 10^-exponent, compared with the half unit.
  const scale = 10n ** BigInt(Math.abs(parts.exponent));
  const diff =
    parts.exponent >= 0
      ? signed * scale * denominator - numerator
      : signed * denominator - numerator * scale;
  const unit = parts.exponent >= 0 ? scale * denominator : denominator;
  const twice = 2n * (diff < 0n ? -diff : diff);
  assert.ok(twice <= unit, `${result.toString()} is not the nearest decimal`);
  if (twice === unit) assert.equal(parts.coefficient % 2n, 0n, 'ties go to even');
  if (diff !== 0n)
    assert.equal(parts.coefficient.toString().length, 34, 'inexact results have 34 digits');
}

const moderateDecimal = fc
  .record({
    negative: fc.boolean(),
    coefficient: fc.oneof(
      fc.bigInt({ min: 0n, max: 10n ** 34n - 1n }),
      fc.bigInt({ min: 0n, max: 99999n }),
    ),
    exponent: fc.integer({ min: -60, max: 60 }),
  })
  .map((parts) => decimalFromParts({ kind: 'finite', ...parts }));
const runs = { numRuns: 2000 };

void describe('properties against exact rationals', () => {
  void test('int64 sums and products are exact, or correctly rounded beyond 34 digits', () => {
    const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    fc.assert(
      fc.property(int64, int64, (a, b) => {
        const [x, y] = [d(a.toString()), d(b.toString())];
        assert.equal(decimalAdd(x, y).toString(), (a + b).toString());
        assert.equal(decimalSubtract(x, y).toString(), (a - b).toString());
        const product = decimalMultiply(x, y);
        if (a * b === 0n) assert.equal(product.toString(), a < 0n !== b < 0n ? '-0' : '0');
        else if ((a * b < 0n ? -(a * b) : a * b) < 10n ** 34n)
          assert.equal(product.toString(), (a * b).toString());
        else assertCorrectlyRounded(product, a * b, 1n);
      }),
      runs,
    );
  });

  void test('add, multiply and divide round the exact result once', () => {
    fc.assert(
      fc.property(moderateDecimal, moderateDecimal, (a, b) => {
        const x = exactValue(a);
        const y = exactValue(b);
        const sum = x.numerator * y.denominator + y.numerator * x.denominator;
        assertCorrectlyRounded(decimalAdd(a, b), sum, x.denominator * y.denominator);
        assertCorrectlyRounded(
          decimalMultiply(a, b),
          x.numerator * y.numerator,
          x.denominator * y.denominator,
        );
        if (y.numerator !== 0n) {
          const negative = y.numerator < 0n;
          const quotient = decimalDivide(a, b);
          const numerator = x.numerator * y.denominator * (negative ? -1n : 1n);
          assertCorrectlyRounded(
            quotient,
            numerator,
            x.denominator * (negative ? -y.numerator : y.numerator),
          );
        }
      }),
      runs,
    );
  });

  void test('exact sums keep the smaller exponent (IEEE preferred exponent)', () => {
    const small = fc
      // Small enough that the exact sum always fits 34 digits at the smaller exponent.
      .record({
        coefficient: fc.bigInt({ min: 0n, max: 10n ** 15n }),
        exponent: fc.integer({ min: -8, max: 8 }),
      })
      .map((parts) => decimalFromParts({ kind: 'finite', negative: false, ...parts }));
    fc.assert(
      fc.property(small, small, (a, b) => {
        const sum = decimalToParts(decimalAdd(a, b));
        const [x, y] = [decimalToParts(a), decimalToParts(b)];
        assert.ok(sum.kind === 'finite' && x.kind === 'finite' && y.kind === 'finite');
        assert.equal(sum.exponent, Math.min(x.exponent, y.exponent));
      }),
      runs,
    );
  });

  void test('the sign of a difference agrees with the exact order', () => {
    fc.assert(
      fc.property(moderateDecimal, moderateDecimal, (a, b) => {
        const difference = exactValue(decimalSubtract(a, b));
        const order = compareExact(toExact(a), toExact(b));
        assert.equal(Math.sign(Number(difference.numerator)), order);
      }),
      runs,
    );
  });

  void test('fmod is exact: a = trunc(a / b) × b + r with |r| < |b| and the sign of a', () => {
    fc.assert(
      fc.property(moderateDecimal, moderateDecimal, (a, b) => {
        const y = exactValue(b);
        fc.pre(y.numerator !== 0n);
        const x = exactValue(a);
        const r = exactValue(decimalMod(a, b));
        // (x - r) / y must be an integer: (xn/xd - rn/rd) * yd / yn.
        const numerator =
          (x.numerator * r.denominator - r.numerator * x.denominator) * y.denominator;
        const denominator = x.denominator * r.denominator * y.numerator;
        assert.equal(numerator % denominator, 0n);
        const absR = r.numerator < 0n ? -r.numerator : r.numerator;
        const absY = y.numerator < 0n ? -y.numerator : y.numerator;
        assert.ok(absR * y.denominator < absY * r.denominator);
        assert.ok(r.numerator === 0n || r.numerator < 0n === x.numerator < 0n);
      }),
      runs,
    );
  });
});
