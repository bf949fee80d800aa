/**
 * printf("%g") formatting, double-to-Decimal128 conversion, and hash keys for MongoDB equality,
 * checked against independent reference computations on exact rationals.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BSONSymbol, Decimal128, Double, Int32, Long } from 'bson';
import { compareValues } from '../../bson/compare.js';
import { doubleToExact } from '../../bson/compare-numbers.js';
import type { BsonValue } from '../../bson/types.js';
import { doubleToDecimal, formatDouble } from './number-format.js';
import { typed } from '../test-support.js';
import { valueKey } from './value-key.js';

/** Exact decimal digits of |x| (finite, nonzero): all of them, and the decimal exponent. */
function exactDigits(x: number): { digits: string; exponent: number } {
  const exact = doubleToExact(Math.abs(x));
  assert.equal(exact.kind, 'finite');
  if (exact.kind !== 'finite') throw new Error('unreachable');
  let twos = 0;
  for (let d = exact.denominator; d > 1n; d >>= 1n) twos += 1;
  const digits = (exact.numerator * 5n ** BigInt(twos)).toString();
  return { digits, exponent: digits.length - 1 - twos };
}

/** Reference %g: round the exact digits to 6 half-even, then printf's layout rules. */
function referenceG(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const { digits, exponent } = exactDigits(x);
  const padded = digits.padEnd(7, '0');
  let head = BigInt(padded.slice(0, 6));
  const rest = padded.slice(6);
  const half = rest[0] === '5' && /^5?0*$/.test(rest);
  if (rest[0] !== undefined && (rest[0] > '5' || (rest[0] === '5' && (!half || head % 2n === 1n))))
    head += 1n;
  let exp = exponent;
  let text = head.toString();
  if (text.length > 6) {
    text = text.slice(0, 6);
    exp += 1;
  }
  const strip = (s: string): string => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
  let body: string;
  if (exp < -4 || exp >= 6) {
    body = `${strip(`${text[0]}.${text.slice(1)}`)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (exp < 0) {
    body = strip(`0.${'0'.repeat(-exp - 1)}${text}`);
  } else {
    const fraction = text.slice(exp + 1);
    body =
      fraction.length > 0 ? strip(`${text.slice(0, exp + 1)}.${fraction}`) : text.slice(0, exp + 1);
  }
  return x < 0 ? `-${body}` : body;
}

void describe('formatDouble', () => {
  void test('known printf outputs', () => {
    const cases: [number, string][] = [
      [1, '1'],
      [100000, '100000'],
      [1000000, '1e+06'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [3.14159265, '3.14159'],
      [-2.5, '-2.5'],
      [1e300, '1e+300'],
      [5e-324, '4.94066e-324'],
      [Number.NaN, 'nan'],
      [Number.POSITIVE_INFINITY, 'inf'],
    ];
    for (const [x, expected] of cases) assert.equal(formatDouble(x), expected, String(x));
  });

  void test('agrees with an exact reference on random doubles', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        assert.equal(formatDouble(x), referenceG(x));
      }),
      { numRuns: 2000 },
    );
  });

  void test('agrees with the reference on exact ties', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100000, max: 999999 }),
        fc.integer({ min: -3, max: 10 }),
        (head, shift) => {
          const x = (head * 10 + 5) * 2 ** shift;
          assert.equal(formatDouble(x), referenceG(x));
        },
      ),
      { numRuns: 500 },
    );
  });
});

/** Whether the exact value of x lies exactly halfway between two 15-digit decimals. */
function isExactTieAt15Digits(x: number): boolean {
  const exact = doubleToExact(Math.abs(x));
  if (exact.kind !== 'finite' || exact.numerator === 0n) return false;
  const digits = (value: bigint): number => value.toString().length;
  // Scale so the integer part has exactly 16 digits; a tie leaves digit 16 = 5 and no rest.
  let numerator = exact.numerator;
  let denominator = exact.denominator;
  const magnitude = digits(numerator / denominator);
  if (magnitude > 16) denominator *= 10n ** BigInt(magnitude - 16);
  else numerator *= 10n ** BigInt(16 - magnitude);
  while (digits(numerator / denominator) < 16) numerator *= 10n;
  return numerator % denominator === 0n && (numerator / denominator) % 10n === 5n;
}

void describe('doubleToDecimal', () => {
  void test('15 digits, padded with zeros, as $toDecimal shows', () => {
    assert.equal(doubleToDecimal(0.1, 15).toString(), '0.100000000000000');
    assert.equal(doubleToDecimal(2.5, 15).toString(), '2.50000000000000');
    assert.equal(doubleToDecimal(1e20, 15).toString(), '1.00000000000000E+20');
    assert.equal(doubleToDecimal(-0, 15).toString(), '-0');
    assert.equal(doubleToDecimal(Number.NaN, 15).toString(), 'NaN');
  });

  void test('34 digits keeps the exact value of short doubles', () => {
    assert.equal(doubleToDecimal(0.5, 34).toString(), '0.5');
    assert.equal(doubleToDecimal(0.1, 34).toString(), '0.1000000000000000055511151231257827');
    assert.equal(doubleToDecimal(100, 34).toString(), '100');
  });

  void test('15-digit conversion rounds to the nearest 15-digit value', () => {
    // toPrecision breaks exact ties away from zero; MongoDB's Decimal128(double) breaks
    // them to even, so exact ties are checked separately below.
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: 1e-300, max: 1e300 }),
        (x) => {
          fc.pre(!isExactTieAt15Digits(x));
          assert.equal(Number(doubleToDecimal(x, 15).toString()), Number(x.toPrecision(15)));
        },
      ),
      { numRuns: 1000 },
    );
  });

  void test('exact ties at 15 digits round to even', () => {
    assert.equal(isExactTieAt15Digits(83395198671736.25), true);
    assert.equal(doubleToDecimal(83395198671736.25, 15).toString(), '83395198671736.2');
    assert.equal(doubleToDecimal(83395198671736.75, 15).toString(), '83395198671736.8');
  });
});

void describe('valueKey', () => {
  const numberPool: BsonValue[] = [];
  for (const n of [0, 1, -1, 2, 7, 1024, 2147483647]) {
    numberPool.push(
      new Int32(n),
      Long.fromNumber(n),
      new Double(n),
      Decimal128.fromString(`${n}.00`),
    );
  }
  for (const x of [0.5, -0.25, 1.5, 0.1])
    numberPool.push(new Double(x), Decimal128.fromString(String(x)));
  numberPool.push(new Double(-0), new Double(Number.NaN), Decimal128.fromString('NaN'));
  numberPool.push(new Double(Number.POSITIVE_INFINITY), Decimal128.fromString('-Infinity'));
  numberPool.push('a', new BSONSymbol('a'), 'b', null, true, new Date(5));

  void test('equal keys exactly when compareValues says equal', () => {
    fc.assert(
      fc.property(fc.constantFrom(...numberPool), fc.constantFrom(...numberPool), (a, b) => {
        assert.equal(
          valueKey(a) === valueKey(b),
          compareValues(a, b) === 0,
          `${typed(a)} vs ${typed(b)}`,
        );
      }),
      { numRuns: 2000 },
    );
  });

  void test('composite values compare element by element', () => {
    fc.assert(
      fc.property(fc.constantFrom(...numberPool), fc.constantFrom(...numberPool), (a, b) => {
        const left: BsonValue = { x: [a, { y: b }] };
        const right: BsonValue = { x: [b, { y: a }] };
        assert.equal(valueKey(left) === valueKey(right), compareValues(left, right) === 0);
      }),
      { numRuns: 500 },
    );
  });
});
