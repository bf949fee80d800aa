/**
 * fast-check generators of BSON values for property tests, weighted toward the cases
 * that break encodings: numeric edges (-0, NaN, ±Infinity, 2^53 ± 1 as Long and Double,
 * Int64 limits, decimal extremes and 34-digit decimals next to doubles), the same number
 * in several types, strings with NUL and astral characters, nested documents and arrays.
 * Also an exact structural equality that tells Int32 from Long and 1.5 from 1.50.
 */
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
import type { BsonNumber } from './compare-numbers.js';
import { decimalFromParts } from './decimal-parts.js';
import { doubleToDecimal } from './number-convert.js';
import type { BsonDocument, BsonValue } from './types.js';
import { bsonTypeOf, BsonType } from './types.js';

const int32Edges = [0, 1, -1, 42, 2 ** 31 - 1, -(2 ** 31)];
const longEdges = [0n, 1n, -1n, 42n, 2n ** 31n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 53n - 1n];
const moreLongEdges = [
  -(2n ** 53n) - 1n,
  2n ** 63n - 1n,
  -(2n ** 63n),
  -(2n ** 63n) + 1n,
  2n ** 62n,
];
const doubleEdges = [
  0,
  -0,
  NaN,
  Infinity,
  -Infinity,
  42,
  0.1,
  0.5,
  1 / 3,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  2 ** 63,
  -(2 ** 63),
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  2.2250738585072014e-308,
  2.225073858507201e-308,
];
const decimalEdges = [
  'NaN',
  'Infinity',
  '-Infinity',
  '0',
  '-0',
  '0E-6176',
  '-0E+6111',
  '1E-6176',
  '-1E-6176',
  '9.999999999999999999999999999999999E+6144',
  '-9.999999999999999999999999999999999E+6144',
  '1E+6144',
  '42',
  '42.00',
  '4.2E+1',
  '0.1',
  '0.1000000000000000055511151231257827',
  '0.1000000000000000055511151231257828',
  '9007199254740993',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775809',
  '1.5',
  '1.50',
  '-1.50',
  '1234567890123456789012345678901234',
  '1.797693134862315708145274237317044E+308',
  '4.940656458412465441765687928682213E-324',
];

const int32 = fc.oneof(
  fc.constantFrom(...int32Edges),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
);
const int64 = fc.oneof(
  fc.constantFrom(...longEdges, ...moreLongEdges),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.bigInt({ min: -(2n ** 54n), max: 2n ** 54n }),
);
const double = fc.oneof(
  fc.constantFrom(...doubleEdges),
  fc.double(),
  fc.integer().map((n) => n / 8),
);
const decimalParts = fc
  .record({
    negative: fc.boolean(),
    coefficient: fc.oneof(
      fc.bigInt({ min: 0n, max: 10n ** 34n - 1n }),
      fc.bigInt({ min: 0n, max: 1000n }),
    ),
    exponent: fc.oneof(fc.integer({ min: -6176, max: 6111 }), fc.integer({ min: -40, max: 20 })),
  })
  .map(({ negative, coefficient, exponent }) =>
    decimalFromParts({ kind: 'finite', negative, coefficient, exponent }),
  );
/** Decimals equal to an integer (42.00) or equal or next to a double (34-digit conversion). */
const decimalNearOthers = fc.oneof(
  fc.tuple(int64, fc.integer({ min: 0, max: 5 })).map(([value, scale]) => {
    const negative = value < 0n;
    const magnitude = (negative ? -value : value) * 10n ** BigInt(scale);
    if (magnitude >= 10n ** 34n)
      return decimalFromParts({ kind: 'finite', negative, coefficient: 1n, exponent: 0 });
    return decimalFromParts({ kind: 'finite', negative, coefficient: magnitude, exponent: -scale });
  }),
  double.map((value) => doubleToDecimal(value, 34)),
);
const decimal = fc.oneof(
  fc.constantFrom(...decimalEdges).map((text) => Decimal128.fromString(text)),
  decimalParts,
  decimalNearOthers,
);

/** One integer in every type that can hold it: the cases that must encode equal. */
export const equalNumberVariants: fc.Arbitrary<BsonNumber[]> = fc
  .oneof(
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    fc.integer({ min: -(2 ** 53), max: 2 ** 53 }),
  )
  .chain((value) =>
    fc.integer({ min: 0, max: 6 }).map((scale) => {
      const variants: BsonNumber[] = [Long.fromNumber(value), new Double(value)];
      if (value >= -(2 ** 31) && value < 2 ** 31) variants.push(new Int32(value));
      const negative = value < 0 || Object.is(value, -0);
      const coefficient = BigInt(Math.abs(value)) * 10n ** BigInt(scale);
      variants.push(decimalFromParts({ kind: 'finite', negative, coefficient, exponent: -scale }));
      return variants;
    }),
  );

export const bsonNumber: fc.Arbitrary<BsonNumber> = fc.oneof(
  int32.map((value) => new Int32(value)),
  int64.map((value) => Long.fromBigInt(value)),
  double.map((value) => new Double(value)),
  decimal,
  equalNumberVariants.chain((variants) => fc.constantFrom(...variants)),
);

/** Strings that stress the escaping of 0x00 and 0x01 and code point order. */
export const keyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.string({
    unit: fc.constantFrom('\u0000', '\u0001', '\u0002', 'a', 'b', '\uffff', '\u{10000}', 'é'),
    maxLength: 5,
  }),
);

const fieldName = fc.string({
  unit: fc.constantFrom('a', 'b', '\u0000', 'é', '\u{1f600}', '1'),
  maxLength: 3,
});

const bytes = (maxLength: number): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ maxLength }).map((array) => Uint8Array.from(array));

const otherScalars: fc.Arbitrary<BsonValue> = fc.oneof(
  fc.constantFrom<BsonValue>(new MinKey(), new MaxKey(), null, undefined, true, false),
  fc.integer({ min: -8.64e15, max: 8.64e15 }).map((millis) => new Date(millis)),
  fc.uint8Array({ minLength: 12, maxLength: 12 }).map((id) => new ObjectId(Uint8Array.from(id))),
  fc
    .tuple(bytes(6), fc.constantFrom(0, 1, 2, 4, 5, 0x80))
    .map(([data, subtype]) => new Binary(data, subtype)),
  fc
    .tuple(fc.nat({ max: 2 ** 32 - 1 }), fc.nat({ max: 2 ** 32 - 1 }))
    .map(([t, i]) => new Timestamp({ t, i })),
  // BSON stores a regex pattern as a C string, so it cannot hold NUL.
  fc
    .tuple(keyString, fc.constantFrom('', 'i', 'im', 'msx'))
    .map(([pattern, flags]) => new BSONRegExp(pattern.replaceAll('\u0000', ''), flags)),
  keyString.map((code) => new Code(code)),
  keyString.map((value) => new BSONSymbol(value)),
);

export const bsonScalar: fc.Arbitrary<BsonValue> = fc.oneof(
  { weight: 4, arbitrary: bsonNumber },
  { weight: 2, arbitrary: keyString },
  { weight: 2, arbitrary: otherScalars },
);

function documentOf(entries: [string, BsonValue][]): BsonDocument {
  const document: BsonDocument = {};
  for (const [name, value] of entries) document[name] = value;
  return document;
}

/** Any BSON value, documents and arrays nested a few levels. */
export const bsonValue: fc.Arbitrary<BsonValue> = fc.letrec<{
  value: BsonValue;
  document: BsonDocument;
  array: BsonValue[];
}>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: bsonScalar },
    { weight: 1, arbitrary: tie('document') },
    { weight: 1, arbitrary: tie('array') },
    {
      weight: 1,
      arbitrary: fc.oneof(
        tie('document').map((scope) => new Code('f()', scope) as BsonValue),
        fc
          .uint8Array({ minLength: 12, maxLength: 12 })
          .map((id) => new DBRef('coll', new ObjectId(Uint8Array.from(id))) as BsonValue),
      ),
    },
  ),
  document: fc.array(fc.tuple(fieldName, tie('value')), { maxLength: 3 }).map(documentOf),
  array: fc.array(tie('value'), { maxLength: 3 }),
})).value;

/** Exact equality: same BSON types all the way down, same decimal exponents, same -0. */
export function sameBsonValue(a: BsonValue, b: BsonValue): boolean {
  const type = bsonTypeOf(a);
  if (type !== bsonTypeOf(b)) return false;
  if (a instanceof DBRef || b instanceof DBRef) return sameDbRef(a, b);
  switch (type) {
    case BsonType.double:
      return Object.is((a as Double).value, (b as Double).value);
    case BsonType.int:
    case BsonType.long:
    case BsonType.decimal:
    case BsonType.objectId:
      return (a as BsonNumber | ObjectId).toString() === (b as BsonNumber | ObjectId).toString();
    case BsonType.symbol:
      return (a as BSONSymbol).value === (b as BSONSymbol).value;
    case BsonType.date:
      return Object.is((a as Date).getTime(), (b as Date).getTime());
    case BsonType.binData: {
      const [x, y] = [a as Binary, b as Binary];
      return x.sub_type === y.sub_type && Buffer.from(x.value()).equals(Buffer.from(y.value()));
    }
    case BsonType.timestamp:
      return (a as Timestamp).equals(b as Timestamp);
    case BsonType.regex:
      return (
        (a as BSONRegExp).pattern === (b as BSONRegExp).pattern &&
        (a as BSONRegExp).options === (b as BSONRegExp).options
      );
    case BsonType.javascript:
      return (a as Code).code === (b as Code).code;
    case BsonType.javascriptWithScope:
      return (
        (a as Code).code === (b as Code).code && sameBsonValue((a as Code).scope, (b as Code).scope)
      );
    case BsonType.array: {
      const [x, y] = [a as BsonValue[], b as BsonValue[]];
      return x.length === y.length && x.every((value, i) => sameBsonValue(value, y[i]));
    }
    case BsonType.object: {
      const [x, y] = [a as BsonDocument, b as BsonDocument];
      const keys = Object.keys(x);
      if (keys.join('\u0000/') !== Object.keys(y).join('\u0000/')) return false;
      return keys.every((key) => sameBsonValue(x[key], y[key]));
    }
    default:
      // MinKey, MaxKey, null, undefined, booleans and strings compare by identity or value.
      return a === b || type === BsonType.minKey || type === BsonType.maxKey;
  }
}

function sameDbRef(a: BsonValue, b: BsonValue): boolean {
  if (!(a instanceof DBRef && b instanceof DBRef)) return false;
  return (
    a.collection === b.collection &&
    a.db === b.db &&
    sameBsonValue(a.oid, b.oid) &&
    sameBsonValue(a.fields, b.fields)
  );
}
