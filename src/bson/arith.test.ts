import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Decimal128, Double, Int32, Long } from 'bson';
import { MongoError } from '../errors/mongo-error.js';
import {
  abs,
  add,
  addAll,
  divide,
  mod,
  multiply,
  multiplyAll,
  negate,
  subtract,
  toDouble,
} from './arith.js';
import type { BsonNumber } from './compare-numbers.js';

const i = (value: number): Int32 => new Int32(value);
const l = (value: bigint): Long => Long.fromBigInt(value);
const f = (value: number): Double => new Double(value);
const d = (text: string): Decimal128 => Decimal128.fromString(text);
const int64Max = 2n ** 63n - 1n;
const int64Min = -(2n ** 63n);

/** Type and exact value, so Int32(1) and Long(1) are told apart. */
function show(value: BsonNumber): string {
  return `${value._bsontype}(${value._bsontype === 'Double' && Object.is(value.value, -0) ? '-0' : value.toString()})`;
}

type Row = [string, () => BsonNumber, BsonNumber];

function rows(name: string, entries: Row[]): void {
  void describe(name, () => {
    for (const [title, run, expected] of entries) {
      void test(title, () => assert.equal(show(run()), show(expected)));
    }
  });
}

// Result types per the server's evaluate_math.cpp (AddState, MultiplyState,
// evaluateSubtract) and the $add / $multiply / $subtract docs: "Int32 overflow returns
// a long; long overflow returns a double".
rows('add', [
  ['Int32 + Int32 stays Int32', () => add(i(2), i(3)), i(5)],
  ['Int32 overflow widens to Int64', () => add(i(2 ** 31 - 1), i(1)), l(2n ** 31n)],
  ['Int32 + Int64 is Int64 even when small', () => add(i(1), l(1n)), l(2n)],
  ['Int64 overflow widens to Double', () => add(l(int64Max), l(1n)), f(2 ** 63)],
  // After overflow the server adds double(total) + double(operand): 2^63 + 1025 rounds up
  // to 2^63 + 2048, where the exact 2^63 + 1024 would tie down to 2^63.
  [
    'Int64 overflow adds the operands as doubles',
    () => add(l(int64Max), l(1025n)),
    f(2 ** 63 + 2048),
  ],
  ['Int32 + Double is Double', () => add(i(1), f(0.5)), f(1.5)],
  [
    'Double + Decimal converts the double with 15 digits',
    () => add(f(0.1), d('0')),
    d('0.100000000000000'),
  ],
  ['Long + Decimal is Decimal', () => add(l(10n), d('0.5')), d('10.5')],
  ['the decimal total starts at 0E0', () => addAll([d('1E+3')]), d('1000')],
  ['-0 + -0 as doubles', () => add(f(-0), f(-0)), f(0)],
  ['no operands', () => addAll([]), i(0)],
]);

rows('subtract', [
  ['Int32 - Int32 fits in Int32', () => subtract(i(-1), i(-(2 ** 31))), i(2 ** 31 - 1)],
  [
    'Int32 - Int32 overflow widens to Int64',
    () => subtract(i(-(2 ** 31)), i(1)),
    l(-(2n ** 31n) - 1n),
  ],
  ['Int64 - Int64 near the limits', () => subtract(l(-1n), l(int64Min)), l(int64Max)],
  [
    'Int64 overflow gives the difference of doubles',
    () => subtract(l(int64Min), l(1n)),
    f(-(2 ** 63)),
  ],
  ['Double - Int64', () => subtract(f(0.5), l(1n)), f(-0.5)],
  ['Decimal - Double', () => subtract(d('1'), f(0.1)), d('0.900000000000000')],
]);

rows('multiply', [
  ['Int32 × Int32 stays Int32', () => multiply(i(-6), i(7)), i(-42)],
  ['Int32 overflow widens to Int64', () => multiply(i(65536), i(65536)), l(2n ** 32n)],
  ['Int64 overflow gives the product of doubles', () => multiply(l(2n ** 62n), i(4)), f(2 ** 64)],
  ['Int64 × Double', () => multiply(l(3n), f(0.5)), f(1.5)],
  [
    'Double then Decimal: 15-digit conversion of the product',
    () => multiplyAll([f(0.1), d('3')]),
    d('0.300000000000000'),
  ],
  ['Decimal × Int32 keeps the decimal exponent', () => multiply(d('1.50'), i(2)), d('3.00')],
  ['no operands', () => multiplyAll([]), i(1)],
]);

rows('divide', [
  ['integers divide to a Double', () => divide(i(10), i(4)), f(2.5)],
  ['Int64 / Int32', () => divide(l(1n), i(3)), f(1 / 3)],
  ['Decimal / Int32', () => divide(d('1'), i(3)), d('0.3333333333333333333333333333333333')],
  ['Double / Decimal uses the 15-digit double', () => divide(f(1), d('4')), d('0.25000000000000')],
  ['Double / Double', () => divide(f(1), f(2)), f(0.5)],
]);

rows('mod', [
  ['Int32 % Int32 is Int32 with the dividend sign', () => mod(i(-5), i(2)), i(-1)],
  ['Int64 involved gives Int64', () => mod(i(7), l(4n)), l(3n)],
  ['Int64 min % -1 is 0', () => mod(l(int64Min), l(-1n)), l(0n)],
  ['Int32 min % -1 is 0', () => mod(i(-(2 ** 31)), i(-1)), i(0)],
  ['Double involved is fmod', () => mod(f(5.5), i(2)), f(1.5)],
  ['Double fmod keeps the dividend sign', () => mod(f(-5.5), f(2)), f(-1.5)],
  ['Decimal involved is decimal fmod', () => mod(d('10.5'), i(3)), d('1.5')],
]);

rows('negate and abs', [
  ['-Int32 min is Int64', () => negate(i(-(2 ** 31))), l(2n ** 31n)],
  ['-Int64 min is Double', () => negate(l(int64Min)), f(2 ** 63)],
  ['-Decimal flips the sign', () => negate(d('1.50')), d('-1.50')],
  ['-Double 0', () => negate(f(0)), f(-0)],
  ['abs(Int32 min) is Int64', () => abs(i(-(2 ** 31))), l(2n ** 31n)],
  ['abs(Int64) stays Int64', () => abs(l(-5n)), l(5n)],
  ['abs(Double -0)', () => abs(f(-0)), f(0)],
  ['abs(Decimal)', () => abs(d('-0E+3')), d('0E+3')],
]);

void describe('errors', () => {
  const cases: [string, () => unknown, number, string][] = [
    ['$divide by Int32 zero', () => divide(i(1), i(0)), 2, "can't $divide by zero"],
    ['$divide by Double -0', () => divide(f(1), f(-0)), 2, "can't $divide by zero"],
    ['$divide by Decimal zero', () => divide(d('1'), d('0E+5')), 2, "can't $divide by zero"],
    ['$mod by Int32 zero', () => mod(i(1), i(0)), 16610, "can't $mod by zero"],
    ['$mod by Double zero', () => mod(f(1), f(0)), 16610, "can't $mod by zero"],
    ['$mod by Decimal zero', () => mod(i(1), d('0.00')), 5733415, "can't $mod by zero"],
    ['$abs of Int64 min', () => abs(l(int64Min)), 28680, "can't take $abs of long long min"],
  ];
  for (const [name, run, code, message] of cases) {
    void test(name, () => {
      assert.throws(run, (error: unknown) => {
        assert.ok(error instanceof MongoError);
        assert.equal(error.code, code);
        assert.equal(error.message, message);
        return true;
      });
    });
  }
  void test('BadValue is the codeName for $divide', () => {
    assert.throws(
      () => divide(i(1), i(0)),
      (error: unknown) => error instanceof MongoError && error.codeName === 'BadValue',
    );
  });
});

void describe('integer arithmetic properties', () => {
  const integral = fc.oneof(
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((value) => i(value) as Int32 | Long),
    fc.bigInt({ min: int64Min, max: int64Max }).map((value) => l(value) as Int32 | Long),
  );
  const big = (value: Int32 | Long): bigint =>
    value instanceof Int32 ? BigInt(value.value) : value.toBigInt();

  /** The type MongoDB gives an exact integer result, or undefined if it overflows Int64. */
  function expected(exact: bigint, a: Int32 | Long, b: Int32 | Long): string | undefined {
    if (exact < int64Min || exact > int64Max) return undefined;
    const bothInt32 = a instanceof Int32 && b instanceof Int32;
    if (bothInt32 && exact >= -(2n ** 31n) && exact < 2n ** 31n) return `Int32(${exact})`;
    return `Long(${exact})`;
  }

  void test('add, subtract and multiply are exact while they fit Int64', () => {
    fc.assert(
      fc.property(integral, integral, (a, b) => {
        const results: [BsonNumber, bigint][] = [
          [add(a, b), big(a) + big(b)],
          [subtract(a, b), big(a) - big(b)],
          [multiply(a, b), big(a) * big(b)],
        ];
        for (const [result, exact] of results) {
          const type = expected(exact, a, b);
          if (type !== undefined) assert.equal(show(result), type);
          else assert.ok(result instanceof Double && Math.abs(result.value) >= 2 ** 63);
        }
      }),
      { numRuns: 3000 },
    );
  });

  void test('mod matches truncated bigint remainder', () => {
    fc.assert(
      fc.property(integral, integral, (a, b) => {
        fc.pre(big(b) !== 0n);
        const result = mod(a, b);
        const exact = big(b) === -1n ? 0n : big(a) % big(b);
        const type = a instanceof Int32 && b instanceof Int32 ? 'Int32' : 'Long';
        assert.equal(show(result), `${type}(${exact})`);
      }),
      { numRuns: 3000 },
    );
  });

  void test('toDouble of an Int64 is the nearest double', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: int64Min, max: int64Max }), (value) => {
        assert.equal(toDouble(l(value)), Number(value));
      }),
      { numRuns: 2000 },
    );
  });
});
