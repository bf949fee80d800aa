/**
 * $inc, $mul and $bit with SafeNum's result types (safe_num.cpp, arithmetic_node.cpp,
 * bit_node.cpp; the $inc and $mul reference pages): Int32 overflow widens to Int64,
 * Int64 overflow is an error, a double meeting a Decimal128 is rounded to 15 digits.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal128, Double, Int32, Long } from 'bson';
import { decimalAdd } from '../../../bson/decimal.js';
import type { UpdateCase } from '../update-test-helpers.js';
import { assertMongoError, assertSameBson, bsonDoc, runUpdate } from '../update-test-helpers.js';

function decimalArithmeticMissing(): string | false {
  try {
    decimalAdd(Decimal128.fromString('1'), Decimal128.fromString('1'));
    return false;
  } catch {
    return 'needs Decimal128 arithmetic (src/bson/decimal.ts)';
  }
}
const decimalSkip = decimalArithmeticMissing();

interface ResultCase extends UpdateCase {
  name: string;
  expected: Record<string, unknown>;
  modified?: boolean;
  needsDecimal?: boolean;
}

function runTable(cases: ResultCase[]): void {
  for (const c of cases) {
    void test(c.name, { skip: c.needsDecimal === true ? decimalSkip : false }, () => {
      const result = runUpdate(c);
      assertSameBson(result.doc, bsonDoc(c.expected));
      assert.equal(result.modified, c.modified ?? true);
    });
  }
}

const int64Max = Long.fromString('9223372036854775807');
const int64Min = Long.fromString('-9223372036854775808');

void describe('$inc', () => {
  runTable([
    {
      name: 'Int32 + Int32 is Int32',
      doc: { _id: 1, a: 1 },
      update: { $inc: { a: 2 } },
      expected: { _id: 1, a: 3 },
    },
    {
      name: 'Int32 overflow widens to Int64',
      doc: { _id: 1, a: 2147483647 },
      update: { $inc: { a: 1 } },
      expected: { _id: 1, a: Long.fromNumber(2147483648) },
    },
    {
      name: 'Int32 + Int64 is Int64 even when it fits in 32 bits',
      doc: { _id: 1, a: 1 },
      update: { $inc: { a: Long.fromNumber(1) } },
      expected: { _id: 1, a: Long.fromNumber(2) },
    },
    {
      name: 'Int64 + Int32 is exact beyond 2^53',
      doc: { _id: 1, a: Long.fromString('9007199254740993') },
      update: { $inc: { a: 1 } },
      expected: { _id: 1, a: Long.fromString('9007199254740994') },
    },
    {
      name: 'any double makes a double',
      doc: { _id: 1, a: 1 },
      update: { $inc: { a: 0.5 } },
      expected: { _id: 1, a: new Double(1.5) },
    },
    {
      name: 'a missing field gets the increment with its type',
      doc: { _id: 1 },
      update: { $inc: { 'a.b': Long.fromNumber(5) } },
      expected: { _id: 1, a: { b: Long.fromNumber(5) } },
    },
    {
      name: 'adding zero is a no-op',
      doc: { _id: 1, a: 7 },
      update: { $inc: { a: 0 } },
      expected: { _id: 1, a: 7 },
      modified: false,
    },
    {
      name: 'adding Int64 zero changes the type: a modification',
      doc: { _id: 1, a: 7 },
      update: { $inc: { a: Long.fromNumber(0) } },
      expected: { _id: 1, a: Long.fromNumber(7) },
    },
    {
      name: 'adding -0.0 to a double keeps it: a no-op',
      doc: { _id: 1, a: new Double(2) },
      update: { $inc: { a: new Double(-0) } },
      expected: { _id: 1, a: new Double(2) },
      modified: false,
    },
    {
      name: 'NaN is never identical to itself: a modification',
      doc: { _id: 1, a: new Double(NaN) },
      update: { $inc: { a: 1 } },
      expected: { _id: 1, a: new Double(NaN) },
    },
    {
      name: 'array elements by index',
      doc: { _id: 1, a: [1, 2] },
      update: { $inc: { 'a.1': 10 } },
      expected: { _id: 1, a: [1, 12] },
    },
    {
      name: 'Int32 + Decimal128 is Decimal128',
      doc: { _id: 1, a: 1 },
      update: { $inc: { a: Decimal128.fromString('1.1') } },
      expected: { _id: 1, a: Decimal128.fromString('2.1') },
      needsDecimal: true,
    },
    {
      name: 'a double added to a Decimal128 is first rounded to 15 digits',
      doc: { _id: 1, a: Decimal128.fromString('1') },
      update: { $inc: { a: 1.5 } },
      expected: { _id: 1, a: Decimal128.fromString('2.50000000000000') },
      needsDecimal: true,
    },
    {
      name: 'Decimal128 equality ignores trailing zeros: a no-op',
      doc: { _id: 1, a: Decimal128.fromString('1.0') },
      update: { $inc: { a: Decimal128.fromString('0') } },
      expected: { _id: 1, a: Decimal128.fromString('1.0') },
      modified: false,
      needsDecimal: true,
    },
  ]);

  void test('Int64 overflow fails (SafeNum returns EOO)', () => {
    assertMongoError(
      () => runUpdate({ doc: { _id: 1, a: int64Max }, update: { $inc: { a: 1 } } }),
      2,
      'Failed to apply $inc operations to current value ((NumberLong)9223372036854775807) ' +
        'for document {_id: 1}',
    );
  });

  void test('Int32 + Int64 overflow fails too', () => {
    assertMongoError(
      () => runUpdate({ doc: { _id: 1, a: -5 }, update: { $inc: { a: int64Min } } }),
      2,
      'Failed to apply $inc operations to current value ((NumberInt)-5) for document {_id: 1}',
    );
  });

  void test('a non-numeric field', () => {
    assertMongoError(
      () => runUpdate({ doc: { _id: 1, a: { b: 'x' } }, update: { $inc: { 'a.b': 1 } } }),
      14,
      "Cannot apply $inc to a value of non-numeric type. {_id: 1} has the field 'b' of " +
        'non-numeric type string',
    );
  });

  void test('a non-numeric field fails even for a zero increment', () => {
    assertMongoError(() => runUpdate({ doc: { _id: 1, a: null }, update: { $inc: { a: 0 } } }), 14);
  });
});

void describe('$mul', () => {
  runTable([
    {
      name: 'Int32 * Int32 is Int32',
      doc: { _id: 1, a: 6 },
      update: { $mul: { a: 7 } },
      expected: { _id: 1, a: 42 },
    },
    {
      name: 'Int32 overflow widens to Int64',
      doc: { _id: 1, a: 65536 },
      update: { $mul: { a: 65536 } },
      expected: { _id: 1, a: Long.fromNumber(4294967296) },
    },
    {
      name: 'multiplying by one is a no-op',
      doc: { _id: 1, a: new Double(2.5) },
      update: { $mul: { a: new Double(1) } },
      expected: { _id: 1, a: new Double(2.5) },
      modified: false,
    },
    {
      name: 'a double result',
      doc: { _id: 1, a: 3 },
      update: { $mul: { a: 0.5 } },
      expected: { _id: 1, a: new Double(1.5) },
    },
    {
      name: 'a missing field gets an Int32 zero from an Int32 multiplier',
      doc: { _id: 1 },
      update: { $mul: { a: 5 } },
      expected: { _id: 1, a: 0 },
    },
    {
      name: 'a missing field gets an Int64 zero from an Int64 multiplier',
      doc: { _id: 1 },
      update: { $mul: { a: Long.fromNumber(5) } },
      expected: { _id: 1, a: Long.fromNumber(0) },
    },
    {
      name: 'a missing field gets -0.0 from a negative double multiplier',
      doc: { _id: 1 },
      update: { $mul: { a: -2.5 } },
      expected: { _id: 1, a: new Double(-0) },
    },
    {
      name: 'a missing field gets a Decimal128 zero from a Decimal128 multiplier',
      doc: { _id: 1 },
      update: { $mul: { a: Decimal128.fromString('2.5') } },
      expected: { _id: 1, a: Decimal128.fromString('0.0') },
      needsDecimal: true,
    },
  ]);

  void test('Int64 overflow fails', () => {
    assertMongoError(
      () => runUpdate({ doc: { _id: 1, a: int64Max }, update: { $mul: { a: 2 } } }),
      2,
      'Failed to apply $mul operations to current value ((NumberLong)9223372036854775807) ' +
        'for document {_id: 1}',
    );
  });

  void test('a non-numeric field', () => {
    assertMongoError(
      () => runUpdate({ doc: { _id: 'k', a: [1] }, update: { $mul: { a: 2 } } }),
      14,
      'Cannot apply $mul to a value of non-numeric type. {_id: "k"} has the field \'a\' of ' +
        'non-numeric type array',
    );
  });
});

void describe('$bit', () => {
  runTable([
    {
      name: 'and',
      doc: { _id: 1, a: 13 },
      update: { $bit: { a: { and: 10 } } },
      expected: { _id: 1, a: 8 },
    },
    {
      name: 'or',
      doc: { _id: 1, a: 13 },
      update: { $bit: { a: { or: 10 } } },
      expected: { _id: 1, a: 15 },
    },
    {
      name: 'xor',
      doc: { _id: 1, a: 13 },
      update: { $bit: { a: { xor: 10 } } },
      expected: { _id: 1, a: 7 },
    },
    {
      name: 'operations apply in order',
      doc: { _id: 1, a: 13 },
      update: { $bit: { a: { and: 12, or: 1, xor: 2 } } },
      expected: { _id: 1, a: 15 },
    },
    {
      name: 'an Int64 operand makes an Int64',
      doc: { _id: 1, a: 1 },
      update: { $bit: { a: { or: Long.fromString('4294967296') } } },
      expected: { _id: 1, a: Long.fromString('4294967297') },
    },
    {
      name: 'negative Int32 values keep two-complement semantics',
      doc: { _id: 1, a: -1 },
      update: { $bit: { a: { and: new Int32(0x7fffffff) } } },
      expected: { _id: 1, a: 2147483647 },
    },
    {
      name: 'a missing field starts from Int32 zero',
      doc: { _id: 1 },
      update: { $bit: { a: { or: 5 } } },
      expected: { _id: 1, a: 5 },
    },
    {
      name: 'an unchanged value is a no-op',
      doc: { _id: 1, a: 6 },
      update: { $bit: { a: { or: 2 } } },
      expected: { _id: 1, a: 6 },
      modified: false,
    },
  ]);

  void test('a non-integral field', () => {
    assertMongoError(
      () => runUpdate({ doc: { _id: 1, a: 1.5 }, update: { $bit: { a: { and: 1 } } } }),
      2,
      'Cannot apply $bit to a value of non-integral type._id: 1 has the field a of non-integer type double',
    );
  });
});
