/**
 * $convert and its shorthands: the conversion table of expression.cpp (ConversionTable), with
 * expectations from jstests/aggregation/expressions/convert.js and expression_convert_test.cpp,
 * plus $type and $isNumber. Doubles print like printf("%g") (6 significant digits).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Binary, MinKey, ObjectId, Timestamp } from 'bson';
import type { BsonValue } from '../../bson/types.js';
import { dbl, dec, errorOf, evaluate, int, long, typed } from '../test-support.js';

function convert(input: BsonValue, to: string | BsonValue): string {
  return typed(evaluate({ $convert: { input: { $literal: input }, to } }));
}

const oid = new ObjectId('0123456789abcdef01234567');

void describe('$convert table (convert.js)', () => {
  const cases: [BsonValue, string, string][] = [
    [dbl(1.9), 'double', 'double:1.9'],
    [dbl(1.9), 'string', 'string:1.9'],
    [dbl(1.9), 'bool', 'bool:true'],
    [dbl(1.9), 'date', 'date:1970-01-01T00:00:00.001Z'],
    [dbl(1.9), 'int', 'int:1'],
    [dbl(1.9), 'long', 'long:1'],
    [dbl(1.9), 'decimal', 'decimal:1.90000000000000'],
    ['1.9', 'double', 'double:1.9'],
    ['0123456789abcdef01234567', 'objectId', 'objectId:0123456789abcdef01234567'],
    ['', 'bool', 'bool:true'],
    ['1970-01-01T00:00:00.001Z', 'date', 'date:1970-01-01T00:00:00.001Z'],
    ['1', 'int', 'int:1'],
    ['-12', 'long', 'long:-12'],
    ['1.9', 'decimal', 'decimal:1.9'],
    [oid, 'string', 'string:0123456789abcdef01234567'],
    [oid, 'date', 'date:1970-08-09T22:25:43.000Z'],
    [false, 'double', 'double:0'],
    [false, 'string', 'string:false'],
    [true, 'int', 'int:1'],
    [false, 'long', 'long:0'],
    [true, 'decimal', 'decimal:1'],
    [new Date(123), 'double', 'double:123'],
    [new Date(123), 'string', 'string:1970-01-01T00:00:00.123Z'],
    [new Date(123), 'long', 'long:123'],
    [new Date(123), 'decimal', 'decimal:123'],
    [int(1), 'string', 'string:1'],
    [int(2147483647), 'string', 'string:2147483647'],
    [int(1), 'decimal', 'decimal:1'],
    [long(9007199254740993n), 'decimal', 'decimal:9007199254740993'],
    [long(1), 'date', 'date:1970-01-01T00:00:00.001Z'],
    [long(1), 'int', 'int:1'],
    [dec('1.9'), 'double', 'double:1.9'],
    [dec('1.9'), 'string', 'string:1.9'],
    [dec('1.9'), 'int', 'int:1'],
    [dec('-1.9'), 'long', 'long:-1'],
    [dec('1.9'), 'date', 'date:1970-01-01T00:00:00.001Z'],
    [new MinKey(), 'bool', 'bool:true'],
    [{ a: int(1) }, 'bool', 'bool:true'],
    [new Binary(Buffer.from('x')), 'bool', 'bool:true'],
    [new Timestamp({ t: 1, i: 1 }), 'date', 'date:1970-01-01T00:00:01.000Z'],
  ];
  for (const [input, to, expected] of cases) {
    void test(`${typed(input)} to ${to}`, () => assert.equal(convert(input, to), expected));
  }

  void test('target types by number', () => {
    assert.equal(convert(int(5), int(2)), 'string:5');
    assert.equal(convert('5', dbl(16)), 'int:5');
  });
});

void describe('double to string (%g)', () => {
  const cases: [number, string][] = [
    [1, '1'],
    [0.1, '0.1'],
    [2.5, '2.5'],
    [1e21, '1e+21'],
    [-0, '-0'],
    [1234567, '1.23457e+06'],
    [123456, '123456'],
    [0.0001, '0.0001'],
    [0.00001234, '1.234e-05'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
    [Number.NaN, 'NaN'],
    // An exact tie rounds to even, as printf does on the exact binary value.
    [1234565, '1.23456e+06'],
    [1234575, '1.23458e+06'],
  ];
  for (const [input, expected] of cases) {
    void test(`${input} -> ${expected}`, () =>
      assert.equal(typed(evaluate({ $toString: dbl(input) })), `string:${expected}`));
  }
});

void describe('conversion failures', () => {
  void test('unsupported conversions are ConversionFailure and honor onError', () => {
    assert.deepEqual(errorOf({ $convert: { input: oid, to: 'double' } }), {
      code: 241,
      message: 'Unsupported conversion from objectId to double in $convert with no onError value',
    });
    assert.equal(errorOf({ $convert: { input: int(1), to: 'date' } }).code, 241);
    assert.equal(
      errorOf({ $convert: { input: dbl(1), to: 'missing' } }).message,
      'Unsupported conversion from double to missing in $convert with no onError value',
    );
    assert.equal(
      typed(evaluate({ $convert: { input: true, to: 'date', onError: 'E' } })),
      'string:E',
    );
    assert.equal(
      typed(evaluate({ $convert: { input: true, to: 'date', onError: '$$REMOVE' } })),
      'missing',
    );
  });

  void test('numeric failures', () => {
    assert.deepEqual(errorOf({ $toInt: dbl(2147483648) }), {
      code: 241,
      message:
        'Conversion would overflow target type in $convert with no onError value: 2.14748e+09',
    });
    assert.equal(
      errorOf({ $toInt: dbl(Number.NaN) }).message,
      'Attempt to convert NaN value to integer type in $convert with no onError value',
    );
    assert.equal(
      errorOf({ $toLong: dec('Infinity') }).message,
      'Attempt to convert infinity value to integer type in $convert with no onError value',
    );
    assert.equal(errorOf({ $toInt: long(2147483648) }).code, 241);
    assert.deepEqual(errorOf({ $toInt: '1.5' }), {
      code: 241,
      message: "Failed to parse number '1.5' in $convert with no onError value: Bad digit",
    });
    assert.equal(
      errorOf({ $toDouble: '0x1A' }).message,
      'Illegal hexadecimal input in $convert with no onError value: 0x1A',
    );
    assert.equal(
      errorOf({ $toDouble: ' 1' }).message,
      "Failed to parse number ' 1' in $convert with no onError value: Leading whitespace",
    );
    assert.equal(errorOf({ $toObjectId: 'abc' }).code, 241);
  });

  void test('errors in "to" are not conversion failures', () => {
    assert.deepEqual(errorOf({ $convert: { input: int(1), to: 'dinosaur', onError: int(0) } }), {
      code: 2,
      message: 'Unknown type name: dinosaur',
    });
    assert.equal(errorOf({ $convert: { input: int(1), to: dbl(3.6), onError: int(0) } }).code, 9);
    assert.equal(errorOf({ $convert: { input: int(1), to: int(100), onError: int(0) } }).code, 9);
    assert.equal(errorOf({ $convert: { input: int(1), to: {} } }).code, 9);
    assert.equal(errorOf({ $convert: { to: 'int' } }).code, 9);
    assert.equal(errorOf({ $convert: { input: int(1) } }).code, 9);
    assert.deepEqual(errorOf({ $toInt: [int(1), int(2)] }), {
      code: 50723,
      message: '$toInt requires a single argument, got 2',
    });
  });

  void test('nullish input gives onNull even when "to" is null', () => {
    assert.equal(
      typed(evaluate({ $convert: { input: '$missing', to: 'int', onNull: 'N' } })),
      'string:N',
    );
    assert.equal(typed(evaluate({ $convert: { input: null, to: null, onNull: 'N' } })), 'string:N');
    assert.equal(typed(evaluate({ $convert: { input: int(1), to: null } })), 'null');
    assert.equal(typed(evaluate({ $toString: null })), 'null');
  });
});

void describe('$type and $isNumber', () => {
  const cases: [BsonValue, string][] = [
    [int(1), 'int'],
    [long(1), 'long'],
    [dbl(1), 'double'],
    [dec('1'), 'decimal'],
    ['x', 'string'],
    [null, 'null'],
    [[], 'array'],
    [{}, 'object'],
    [oid, 'objectId'],
    [new Date(0), 'date'],
    [true, 'bool'],
    [new MinKey(), 'minKey'],
  ];
  for (const [value, name] of cases) {
    void test(name, () =>
      assert.equal(typed(evaluate({ $type: { $literal: value } })), `string:${name}`),
    );
  }
  void test('missing', () => assert.equal(typed(evaluate({ $type: '$nope' })), 'string:missing'));
  void test('$isNumber', () => {
    assert.equal(typed(evaluate({ $isNumber: dec('1') })), 'bool:true');
    assert.equal(typed(evaluate({ $isNumber: '1' })), 'bool:false');
  });
});
