/**
 * BSONElement::toString as update errors print values (bsonelement.cpp; doubles through
 * StringBuilder::appendDoubleNice, i.e. "%.16g" plus ".0" when no '.', 'E' or 'N').
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  Binary,
  BSONRegExp,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from 'bson';
import type { BsonValue } from './types.js';
import { bsonElementToString, bsonToString, formatDoubleNice, formatG } from './to-string.js';

void describe('doubles (appendDoubleNice)', () => {
  const cases: [number, string][] = [
    [5, '5.0'],
    [100, '100.0'],
    [1.5, '1.5'],
    [0.1, '0.1'],
    [1 / 3, '0.3333333333333333'],
    [-2.25, '-2.25'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16.0'],
    [1e20, '1e+20.0'],
    [123456789012345680, '1.234567890123457e+17'],
    [1e-5, '1e-05.0'],
    [0.0001, '0.0001'],
    [1.5e-7, '1.5e-07'],
    [0, '0.0'],
    [-0, '-0.0'],
    [NaN, 'nan.0'],
    [Infinity, 'inf.0'],
    [-Infinity, '-inf.0'],
  ];
  for (const [value, expected] of cases) {
    void test(`${value} prints as ${expected}`, () =>
      assert.equal(formatDoubleNice(value), expected));
  }

  void test('property: "%.17g" round-trips every finite double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) =>
        Object.is(Number(formatG(value, 17)), value),
      ),
    );
  });

  void test('property: "%.16g" has at most 16 significant digits and is within rounding', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }),
        (value) => {
          const printed = formatG(value, 16);
          const digits = printed.replace(/e.*$/, '').replace(/[-.]/g, '').replace(/^0+/, '');
          const close = Math.abs(Number(printed) - value) <= Math.abs(value) * 1e-15;
          return digits.length <= 16 && close;
        },
      ),
    );
  });
});

void describe('values', () => {
  const id = new ObjectId('0123456789abcdef01234567');
  const cases: [string, BsonValue, string][] = [
    ['Int32', new Int32(-5), '-5'],
    ['Int64', Long.fromString('9223372036854775807'), '9223372036854775807'],
    ['Double', new Double(2), '2.0'],
    ['Decimal128', Decimal128.fromString('1.50'), '1.50'],
    ['string, unescaped', 'say "hi"', '"say "hi""'],
    ['bool', true, 'true'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['ObjectId', id, "ObjectId('0123456789abcdef01234567')"],
    ['Date', new Date(1234), 'new Date(1234)'],
    ['Timestamp', new Timestamp({ t: 5, i: 7 }), 'Timestamp(5, 7)'],
    ['regex', new BSONRegExp('^a', 'i'), '/^a/i'],
    ['MinKey', new MinKey(), 'MinKey'],
    ['MaxKey', new MaxKey(), 'MaxKey'],
    ['binary', new Binary(Buffer.from([1, 171]), 0), 'BinData(0, 01AB)'],
    [
      'UUID',
      new Binary(Buffer.from('00112233445566778899aabbccddeeff', 'hex'), 4),
      'UUID("00112233-4455-6677-8899-aabbccddeeff")',
    ],
    ['empty document', {}, '{}'],
    ['document', { a: new Int32(1), b: { c: 'x' } }, '{ a: 1, b: { c: "x" } }'],
    ['empty array', [], '[]'],
    ['array', [new Int32(1), [new Double(2)]], '[ 1, [ 2.0 ] ]'],
  ];
  for (const [name, value, expected] of cases) {
    void test(name, () => assert.equal(bsonToString(value), expected));
  }

  void test('an element prints with its field name', () => {
    assert.equal(bsonElementToString('a.b', new Int32(5)), 'a.b: 5');
  });

  void test('strings of 160 bytes or more are cut after 150', () => {
    assert.equal(bsonToString('x'.repeat(159)), `"${'x'.repeat(159)}"`);
    assert.equal(bsonToString('x'.repeat(160)), `"${'x'.repeat(150)}..."`);
  });
});
