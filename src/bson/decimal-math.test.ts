import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Decimal128, Double, Int32, Long } from 'bson';
import { MongoError } from '../errors/mongo-error.js';
import { decimalFromParts, decimalToParts } from './decimal-parts.js';
import { decimalExp, decimalLn, decimalLog10, decimalPow, decimalSqrt } from './decimal-math.js';
import { decimalDivide, decimalSubtract } from './decimal.js';
import { ceilNumber, floorNumber, roundNumber } from './number-round.js';
import type { BsonNumber } from './compare-numbers.js';

const d = (text: string): Decimal128 => Decimal128.fromString(text);

function table(
  name: string,
  operation: (x: Decimal128) => Decimal128,
  rows: [string, string][],
): void {
  void describe(name, () => {
    for (const [input, expected] of rows) {
      void test(`${name}(${input}) = ${expected}`, () => {
        assert.equal(operation(d(input)).toString(), expected);
      });
    }
  });
}

// Reference digits: the server's decimal128_test.cpp (TestExp, TestSqrt) and the
// constants e, ln 2, ln 10 and log10 2 (OEIS A001113, A002162, A002392, A007524) rounded
// half-even to 34 digits. Special values follow IEEE 754-2008 section 9.2.
table('sqrt', decimalSqrt, [
  ['0', '0'],
  ['1', '1'],
  ['25', '5'],
  ['25.5', '5.049752469181038976681692958534800'],
  ['2', '1.414213562373095048801688724209698'],
  ['0.25', '0.5'],
  ['100', '10'],
  ['1E+2', '1E+1'],
  ['4.0', '2.0'],
  ['1E-6176', '1E-3088'],
  ['1E-6175', '3.162277660168379331998893544432719E-3088'],
  ['-0', '-0'],
  ['-1', 'NaN'],
  ['Infinity', 'Infinity'],
  ['-Infinity', 'NaN'],
]);

table('exp', decimalExp, [
  ['-1', '0.3678794411714423215955237701614609'],
  ['0', '1'],
  ['1', '2.718281828459045235360287471352662'],
  ['1.5', '4.481689070338064822602055460119276'],
  ['1E-50', '1.000000000000000000000000000000000'],
  ['100000', 'Infinity'],
  ['-100000', '0E-6176'],
  ['-Infinity', '0'],
  ['NaN', 'NaN'],
]);

table('ln', decimalLn, [
  ['2', '0.6931471805599453094172321214581766'],
  ['10', '2.302585092994045684017991454684364'],
  ['1', '0'],
  ['1.000000000000000000000000000000001', '9.999999999999999999999999999999995E-34'],
  ['0', '-Infinity'],
  ['-1', 'NaN'],
  ['Infinity', 'Infinity'],
]);

table('log10', decimalLog10, [
  ['2', '0.3010299956639811952137388947244930'],
  ['1000', '3'],
  ['0.001', '-3'],
  ['1.000E+5', '5'],
  ['1', '0'],
  ['0', '-Infinity'],
]);

void describe('pow', () => {
  const rows: [string, string, string][] = [
    ['2', '3', '8.000000000000000000000000000000000'],
    ['2', '0.5', '1.414213562373095048801688724209698'],
    ['2', '-1', '0.5000000000000000000000000000000000'],
    ['-8', '3', '-512.0000000000000000000000000000000'],
    ['-8', '0.5', 'NaN'],
    ['10', '-2', '0.01000000000000000000000000000000000'],
    ['NaN', '0', '1.000000000000000000000000000000000'],
    ['1', 'NaN', '1.000000000000000000000000000000000'],
    ['0', '-1', 'Infinity'],
    ['-0', '-3', '-Infinity'],
    ['0', '2', '0E-6176'],
    ['9', '1E+50', 'Infinity'],
    ['0.5', '1E+50', '0E-6176'],
    ['-1', 'Infinity', '1.000000000000000000000000000000000'],
    ['0.5', '-Infinity', 'Infinity'],
  ];
  for (const [base, exponent, expected] of rows) {
    void test(`pow(${base}, ${exponent}) = ${expected}`, () => {
      assert.equal(decimalPow(d(base), d(exponent)).toString(), expected);
    });
  }
});

void describe('properties', () => {
  void test('sqrt of a perfect square is exact', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 17n - 1n }), (root) => {
        assert.equal(decimalSqrt(d((root * root).toString())).toString(), root.toString());
      }),
      { numRuns: 2000 },
    );
  });

  void test('exp and ln are inverse to within 1E-31 relative', () => {
    const value = fc
      .record({
        coefficient: fc.bigInt({ min: 1n, max: 10n ** 34n - 1n }),
        exponent: fc.integer({ min: -60, max: 10 }),
      })
      .map((parts) => decimalFromParts({ kind: 'finite', negative: false, ...parts }));
    fc.assert(
      fc.property(value, (x) => {
        const back = decimalExp(decimalLn(x));
        const relative = decimalDivide(decimalSubtract(back, x), x);
        const parts = decimalToParts(relative);
        assert.ok(parts.kind === 'finite');
        const adjusted = parts.exponent + parts.coefficient.toString().length - 1;
        assert.ok(parts.coefficient === 0n || adjusted <= -31, relative.toString());
      }),
      { numRuns: 500 },
    );
  });
});

/** Type and value, telling Int32(1) from Long(1) and 1.5 from 1.50. */
function show(value: BsonNumber): string {
  const text = value._bsontype === 'Double' && Object.is(value.value, -0) ? '-0' : value.toString();
  return `${value._bsontype}(${text})`;
}

void describe('$round, $trunc, $floor, $ceil on every type', () => {
  // Docs examples ($round: 19.25, 28.73, 34.32, -45.39 with 1 and -1 places; $trunc
  // likewise) and the server's evaluateRoundOrTrunc type rules.
  const rows: [string, () => BsonNumber, BsonNumber][] = [
    [
      '$round 19.25 to 1 place',
      () => roundNumber(new Double(19.25), 1, '$round'),
      new Double(19.2),
    ],
    [
      '$round 28.73 to 1 place',
      () => roundNumber(new Double(28.73), 1, '$round'),
      new Double(28.7),
    ],
    [
      '$round -45.39 to 1 place',
      () => roundNumber(new Double(-45.39), 1, '$round'),
      new Double(-45.4),
    ],
    [
      '$round -45.39 to -1 places',
      () => roundNumber(new Double(-45.39), -1, '$round'),
      new Double(-50),
    ],
    [
      '$trunc -45.39 to 1 place',
      () => roundNumber(new Double(-45.39), 1, '$trunc'),
      new Double(-45.3),
    ],
    [
      '$trunc 34.32 to -1 places',
      () => roundNumber(new Double(34.32), -1, '$trunc'),
      new Double(30),
    ],
    [
      '$round of a double rounds its exact value',
      () => roundNumber(new Double(2.675), 2, '$round'),
      new Double(2.67),
    ],
    ['$round 2.5 half to even', () => roundNumber(new Double(2.5), 0, '$round'), new Double(2)],
    ['$round -0.0 keeps the sign', () => roundNumber(new Double(-0), 1, '$round'), new Double(-0)],
    ['$round Infinity', () => roundNumber(new Double(Infinity), 2, '$round'), new Double(Infinity)],
    ['$round decimal', () => roundNumber(d('1.2345'), 2, '$round'), d('1.23')],
    [
      '$round decimal beyond 34 digits',
      () => roundNumber(d('1E+40'), 0, '$round'),
      d('1.000000000000000000000000000000000E+40'),
    ],
    [
      '$round Int32 with places >= 0 is unchanged',
      () => roundNumber(new Int32(7), 3, '$round'),
      new Int32(7),
    ],
    [
      '$round Int32 1250 to -2 places',
      () => roundNumber(new Int32(1250), -2, '$round'),
      new Int32(1200),
    ],
    [
      '$round Int32 1350 to -2 places',
      () => roundNumber(new Int32(1350), -2, '$round'),
      new Int32(1400),
    ],
    [
      '$round Int32 widening to Int64',
      () => roundNumber(new Int32(2147483647), -1, '$round'),
      Long.fromNumber(2147483650),
    ],
    [
      '$trunc Int64',
      () => roundNumber(Long.fromString('9223372036854775807'), -1, '$trunc'),
      Long.fromString('9223372036854775800'),
    ],
    ['$floor double', () => floorNumber(new Double(-1.5)), new Double(-2)],
    ['$ceil double', () => ceilNumber(new Double(-1.5)), new Double(-1)],
    ['$floor decimal', () => floorNumber(d('-1.5')), d('-2')],
    ['$ceil decimal', () => ceilNumber(d('1.01')), d('2')],
    ['$floor Int64', () => floorNumber(Long.fromNumber(5)), Long.fromNumber(5)],
  ];
  for (const [name, run, expected] of rows) {
    void test(name, () => assert.equal(show(run()), show(expected)));
  }

  void test('an Int64 result beyond range raises 51080', () => {
    assert.throws(
      () => roundNumber(Long.fromString('9223372036854775807'), -1, '$round'),
      (error: unknown) =>
        error instanceof MongoError &&
        error.code === 51080 &&
        error.message ===
          'invalid conversion from Decimal128 result in $round resulting from arguments: [9223372036854775807, -1]',
    );
  });
});
