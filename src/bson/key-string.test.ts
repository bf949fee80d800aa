import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  Binary,
  BSONRegExp,
  BSONSymbol,
  Code,
  DBRef,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from 'bson';
import { compareValues } from './compare.js';
import type { Direction } from './key-string.js';
import {
  compareKeys,
  decodeKey,
  decodeRecordIdSuffix,
  encodeKey,
  encodeKeyPrefixBound,
  encodeRecordIdSuffix,
} from './key-string.js';
import { bsonValue, equalNumberVariants, sameBsonValue } from './test-arbitraries.js';
import type { BsonValue } from './types.js';

const runs = { numRuns: 2500 };

function key(...values: BsonValue[]): Buffer {
  return encodeKey(
    values,
    values.map(() => 1),
  ).key;
}

function sign(value: number): number {
  return value < 0 ? -1 : value > 0 ? 1 : 0;
}

function describeValue(value: BsonValue): string {
  if (value instanceof Date) return `Date(${value.getTime()})`;
  if (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    '_bsontype' in value
  ) {
    return `${value._bsontype as string}(${JSON.stringify(value)})`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

const decimal = (text: string): Decimal128 => Decimal128.fromString(text);

void describe('KeyString order', () => {
  // MongoDB's sort order (docs: "Comparison/Sort Order"), with undefined before null as
  // canonicalizeBSONType ranks it, and numbers ordered by exact value across types.
  const ascending: BsonValue[][] = [
    [new MinKey()],
    [undefined],
    [null],
    [new Double(NaN), decimal('NaN')],
    [new Double(-Infinity), decimal('-Infinity')],
    [decimal('-9.999999999999999999999999999999999E+6144')],
    [Long.fromBigInt(-(2n ** 63n)), new Double(-(2 ** 63))],
    [Long.fromBigInt(-(2n ** 53n) - 1n)],
    [new Double(-(2 ** 53)), Long.fromBigInt(-(2n ** 53n))],
    [new Int32(-1), Long.fromNumber(-1), new Double(-1), decimal('-1.000')],
    [decimal('-1E-6176')],
    [
      new Int32(0),
      new Double(-0),
      new Double(0),
      decimal('0E-6176'),
      decimal('-0E+6111'),
      Long.ZERO,
    ],
    [decimal('1E-6176')],
    [new Double(Number.MIN_VALUE)],
    [decimal('0.1')],
    [new Double(0.1)],
    [decimal('0.1000000000000000055511151231257828')],
    [new Int32(42), Long.fromNumber(42), new Double(42), decimal('42.00'), decimal('4.2E+1')],
    [new Double(2 ** 53), Long.fromBigInt(2n ** 53n), decimal('9007199254740992')],
    [Long.fromBigInt(2n ** 53n + 1n), decimal('9007199254740993')],
    [new Double(2 ** 53 + 2)],
    [Long.MAX_VALUE],
    [new Double(2 ** 63), decimal('9223372036854775808')],
    [new Double(Number.MAX_VALUE)],
    [decimal('9.999999999999999999999999999999999E+6144')],
    [new Double(Infinity), decimal('Infinity')],
    [''],
    ['a'],
    ['a\u0000'],
    ['a\u0000b'],
    ['a\u0001', new BSONSymbol('a\u0001')],
    ['ab'],
    ['\uffff'],
    ['\u{10000}'],
    [{}],
    [{ a: new Int32(1) }, { a: new Double(1) }],
    [{ a: new Int32(1), b: null }],
    // Fields compare by type rank before name: a number under "b" sorts below a string under "a".
    [{ b: new Int32(-1) }],
    [{ a: 'x' }],
    [[]],
    [[new Int32(1)]],
    [[new Int32(1), new Int32(2)]],
    [new Binary(Buffer.from([9, 9]), 0)],
    [new Binary(Buffer.from([1, 2, 3]), 0)],
    [new Binary(Buffer.from([0, 0, 0]), 5)],
    [new ObjectId('000000000000000000000000')],
    [new ObjectId('ffffffffffffffffffffffff')],
    [false],
    [true],
    [new Date(-1e12)],
    [new Date(0)],
    [new Date(1e12)],
    [new Timestamp({ t: 1, i: 2 })],
    [new Timestamp({ t: 2 ** 32 - 1, i: 0 })],
    [new BSONRegExp('a', '')],
    [new BSONRegExp('a', 'i')],
    [new Code('x')],
    [new Code('x', { a: new Int32(1) })],
    [new MaxKey()],
  ];

  void test('a table of values in MongoDB order encodes in byte order', () => {
    let previous: Buffer | undefined;
    for (const group of ascending) {
      const keys = group.map((value) => key(value));
      for (const [i, value] of group.entries()) {
        assert.deepEqual(
          keys[i],
          keys[0],
          `${describeValue(value)} encodes like ${describeValue(group[0])}`,
        );
      }
      if (previous !== undefined) {
        assert.equal(
          compareKeys(previous, keys[0] as Buffer),
          -1,
          `before ${describeValue(group[0])}`,
        );
      }
      previous = keys[0];
    }
  });

  void test('sign(memcmp) equals compareValues for single values', () => {
    fc.assert(
      fc.property(bsonValue, bsonValue, (a, b) => {
        const expected = compareValues(a, b);
        const actual = sign(compareKeys(key(a), key(b)));
        assert.equal(actual, expected, `${describeValue(a)} vs ${describeValue(b)}`);
      }),
      runs,
    );
  });

  const direction = fc.constantFrom<Direction>(1, -1);
  // Half of the fields repeat the left value, so comparisons often reach later fields.
  const field = fc
    .tuple(bsonValue, bsonValue, fc.boolean(), direction)
    .map(([a, b, same, dir]) => ({ a, b: same ? a : b, dir }));

  void test('compound keys keep tuple order under random directions', () => {
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 4 }), (fields) => {
        const dirs = fields.map((f) => f.dir);
        let expected = 0;
        for (const f of fields) {
          expected = compareValues(f.a, f.b) * f.dir;
          if (expected !== 0) break;
          expected = 0;
        }
        const left = encodeKey(
          fields.map((f) => f.a),
          dirs,
        ).key;
        const right = encodeKey(
          fields.map((f) => f.b),
          dirs,
        ).key;
        assert.equal(sign(compareKeys(left, right)), expected);
      }),
      runs,
    );
  });

  void test('RecordId suffixes order equal keys and leave unequal keys alone', () => {
    const recordId = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    fc.assert(
      fc.property(bsonValue, bsonValue, recordId, recordId, (a, b, ra, rb) => {
        const left = Buffer.concat([key(a), encodeRecordIdSuffix(ra)]);
        const right = Buffer.concat([key(b), encodeRecordIdSuffix(rb)]);
        const byValue = compareValues(a, b);
        const expected = byValue !== 0 ? byValue : ra < rb ? -1 : ra > rb ? 1 : 0;
        assert.equal(sign(compareKeys(left, right)), expected);
        assert.equal(decodeRecordIdSuffix(left), ra);
      }),
      runs,
    );
  });
});

void describe('KeyString prefix bounds', () => {
  void test('[before, after) holds exactly the keys with an equal first field', () => {
    fc.assert(
      fc.property(
        bsonValue,
        bsonValue,
        bsonValue,
        fc.constantFrom<Direction>(1, -1),
        fc.constantFrom<Direction>(1, -1),
        (prefix, first, second, dir0, dir1) => {
          const dirs: Direction[] = [dir0, dir1];
          const before = encodeKeyPrefixBound([prefix], dirs, 'before');
          const after = encodeKeyPrefixBound([prefix], dirs, 'after');
          for (const candidate of [first, prefix]) {
            const k = encodeKey([candidate, second], dirs).key;
            const inside = compareKeys(before, k) <= 0 && compareKeys(k, after) < 0;
            assert.equal(inside, compareValues(candidate, prefix) === 0);
          }
        },
      ),
      runs,
    );
  });

  void test('an empty prefix bounds every key', () => {
    const after = encodeKeyPrefixBound([], [1], 'after');
    assert.deepEqual(encodeKeyPrefixBound([], [-1], 'before'), Buffer.alloc(0));
    for (const value of [new MaxKey(), new MinKey(), 'z']) {
      for (const dir of [1, -1] as const) {
        assert.equal(compareKeys(encodeKey([value], [dir]).key, after), -1);
      }
    }
  });
});

void describe('KeyString TypeBits', () => {
  void test('decodeKey(encodeKey(v)) restores every value with its exact type', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(bsonValue, fc.constantFrom<Direction>(1, -1)), { maxLength: 3 }),
        (fields) => {
          const values = fields.map(([value]) => value);
          const dirs = fields.map(([, dir]) => dir);
          const { key: encoded, typeBits } = encodeKey(values, dirs);
          const decoded = decodeKey(encoded, typeBits, dirs);
          assert.equal(decoded.length, values.length);
          values.forEach((value, i) => {
            const back = decoded[i];
            assert.ok(
              sameBsonValue(value, back),
              `${describeValue(value)} decoded as ${describeValue(back)}`,
            );
          });
        },
      ),
      runs,
    );
  });

  void test('equal numbers of every type share key bytes and keep their type', () => {
    fc.assert(
      fc.property(equalNumberVariants, (variants) => {
        const encoded = variants.map((value) => encodeKey([value], [1]));
        for (const [i, value] of variants.entries()) {
          assert.deepEqual(encoded[i]?.key, encoded[0]?.key);
          const back = decodeKey(encoded[i]?.key as Buffer, encoded[i]?.typeBits as Buffer, [1])[0];
          assert.ok(sameBsonValue(value, back), describeValue(value));
        }
      }),
      runs,
    );
  });

  void test('every Int64 encodes like the equal Decimal128', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (value) => {
        const asLong = key(Long.fromBigInt(value));
        assert.deepEqual(asLong, key(Decimal128.fromString(value.toString())));
        if (value >= -(2n ** 31n) && value < 2n ** 31n)
          assert.deepEqual(asLong, key(new Int32(Number(value))));
      }),
      runs,
    );
  });

  const roundTrips: [string, BsonValue][] = [
    ['-0.0', new Double(-0)],
    ['decimal 1.50', decimal('1.50')],
    ['decimal -0E+3', decimal('-0E+3')],
    ['decimal 1E+6144', decimal('1E+6144')],
    ['decimal 34 digits', decimal('1234567890123456789012345678901234E-6176')],
    ['Long min', Long.fromBigInt(-(2n ** 63n))],
    ['Int32 min', new Int32(-(2 ** 31))],
    ['subnormal double', new Double(5e-324)],
    ['symbol', new BSONSymbol('s')],
    ['DBRef', new DBRef('c', new ObjectId('5f0000000000000000000001'), 'db', { x: new Int32(1) })],
    ['UUID binData', new Binary(Buffer.alloc(16, 7), 4)],
    ['nested', { a: [new Int32(1), { b: decimal('2.0') }], c: new Code('f', { d: new Long(5) }) }],
  ];
  for (const [name, value] of roundTrips) {
    void test(`round trip: ${name}`, () => {
      for (const dir of [1, -1] as const) {
        const { key: encoded, typeBits } = encodeKey([value], [dir]);
        assert.ok(sameBsonValue(decodeKey(encoded, typeBits, [dir])[0], value));
      }
    });
  }

  void test('keys of Int32s and strings need no TypeBits', () => {
    assert.equal(
      encodeKey([new Int32(5), 'x', { a: new Int32(-3) }], [1, -1, 1]).typeBits.length,
      0,
    );
    assert.notEqual(encodeKey([new Int32(5), new BSONSymbol('x')], [1, 1]).typeBits.length, 0);
  });

  void test('small numbers make short keys', () => {
    assert.equal(key(new Int32(0)).length, 1);
    assert.equal(key(new Int32(1)).length, 4);
    assert.equal(key(new Int32(42)).length, 4);
    assert.ok(key(new Double(0.1)).length <= 11);
  });
});
