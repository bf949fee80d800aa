// Comparison semantics: MongoDB manual "Comparison/Sort Order" and "Query for Null or
// Missing Fields" (8.0: null no longer matches undefined), and ComparisonMatchExpression::
// matchesSingleElement in src/mongo/db/matcher/expression_leaf.cpp (type bracketing,
// null vs missing, MinKey/MaxKey bounds, NaN handling).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Binary,
  BSONSymbol,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  BSONRegExp,
} from 'bson';
import type { BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { renderValue } from '../describe.js';
import { doc } from '../test-values.js';
import { compileFilter } from './compile-filter.js';
import type { FilterOptions } from './filter-options.js';

function matches(
  filter: Record<string, unknown>,
  input: Record<string, unknown>,
  options?: FilterOptions,
): boolean {
  return compileFilter(doc(filter), options)(doc(input));
}

const five: [string, BsonValue][] = [
  ['Int32', new Int32(5)],
  ['Int64', Long.fromNumber(5)],
  ['Double', new Double(5)],
  ['Decimal128', Decimal128.fromString('5.00')],
];
const six: BsonValue[] = [
  new Int32(6),
  Long.fromNumber(6),
  new Double(6),
  Decimal128.fromString('6'),
];

describe('numbers compare by value across Int32, Int64, Double and Decimal128', () => {
  for (const [leftName, left] of five) {
    for (const [rightName, right] of five) {
      test(`${leftName} 5 against ${rightName} 5`, () => {
        assert.equal(matches({ a: right }, { a: left }), true);
        assert.equal(matches({ a: { $gte: right } }, { a: left }), true);
        assert.equal(matches({ a: { $lte: right } }, { a: left }), true);
        assert.equal(matches({ a: { $gt: right } }, { a: left }), false);
        assert.equal(matches({ a: { $lt: right } }, { a: left }), false);
        assert.equal(matches({ a: { $ne: right } }, { a: left }), false);
      });
    }
  }
  for (const bigger of six) {
    test(`${renderValue(bigger)} is greater than every 5`, () => {
      for (const [, smaller] of five) {
        assert.equal(matches({ a: { $gt: smaller } }, { a: bigger }), true);
        assert.equal(matches({ a: { $lt: smaller } }, { a: bigger }), false);
      }
    });
  }
  test('comparisons are exact beyond 2^53 and for binary fractions', () => {
    const twoTo53 = new Double(2 ** 53);
    const twoTo53Plus1 = Long.fromString('9007199254740993');
    assert.equal(matches({ a: { $gt: twoTo53 } }, { a: twoTo53Plus1 }), true);
    assert.equal(matches({ a: twoTo53 }, { a: twoTo53Plus1 }), false);
    assert.equal(matches({ a: Decimal128.fromString('0.1') }, { a: new Double(0.1) }), false);
    assert.equal(matches({ a: Decimal128.fromString('1.000') }, { a: new Int32(1) }), true);
    assert.equal(matches({ a: new Double(-0) }, { a: new Int32(0) }), true);
  });
});

describe('type bracketing', () => {
  const others: [string, unknown][] = [
    ['a string', '6'],
    ['a date', new Date(6)],
    ['a boolean', true],
    ['null', null],
    ['a document', { b: 6 }],
    ['an ObjectId', new ObjectId()],
    ['a timestamp', new Timestamp({ t: 6, i: 6 })],
  ];
  for (const [name, value] of others) {
    test(`$gt and $lt on a number never match ${name}`, () => {
      assert.equal(matches({ a: { $gt: 5 } }, { a: value }), false);
      assert.equal(matches({ a: { $lt: 5 } }, { a: value }), false);
      assert.equal(matches({ a: { $gte: 5 } }, { a: value }), false);
    });
  }
  test('dates compare only with dates', () => {
    assert.equal(matches({ a: { $gt: new Date(0) } }, { a: new Date(1) }), true);
    assert.equal(matches({ a: { $gt: new Date(0) } }, { a: 5 }), false);
    assert.equal(matches({ a: { $gt: new Date(0) } }, { a: new Timestamp({ t: 5, i: 0 }) }), false);
  });
  test('strings and symbols are one type', () => {
    assert.equal(matches({ a: 'abc' }, { a: new BSONSymbol('abc') }), true);
    assert.equal(matches({ a: { $gt: 'abb' } }, { a: new BSONSymbol('abc') }), true);
  });
  test('ObjectId, BinData and Timestamp order within their types', () => {
    const small = new ObjectId('000000000000000000000001');
    const large = new ObjectId('000000000000000000000002');
    assert.equal(matches({ a: { $gt: small } }, { a: large }), true);
    // BinData orders by length first, then subtype, then bytes.
    assert.equal(
      matches(
        { a: { $gt: new Binary(Buffer.from([9, 9])) } },
        { a: new Binary(Buffer.from([0, 0, 0])) },
      ),
      true,
    );
    assert.equal(
      matches({ a: { $lt: new Timestamp({ t: 2, i: 0 }) } }, { a: new Timestamp({ t: 1, i: 9 }) }),
      true,
    );
  });
  test('MinKey and MaxKey bound every type, and missing', () => {
    for (const value of ['x', 5, null, [1], { b: 1 }, new Date(0)]) {
      assert.equal(matches({ a: { $gt: new MinKey() } }, { a: value }), true);
      assert.equal(matches({ a: { $lt: new MaxKey() } }, { a: value }), true);
      assert.equal(matches({ a: { $lt: new MinKey() } }, { a: value }), false);
    }
    assert.equal(matches({ a: { $lte: new MaxKey() } }, {}), true);
    assert.equal(matches({ a: { $gte: new MinKey() } }, { a: new MinKey() }), true);
    assert.equal(matches({ a: new MinKey() }, { a: 5 }), false);
  });
});

describe('null, missing and undefined', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>, boolean][] = [
    ['null matches a missing field', { a: null }, {}, true],
    ['null matches null', { a: null }, { a: null }, true],
    ['null does not match undefined (8.0)', { a: null }, { a: undefined }, false],
    ['null matches an array containing null', { a: null }, { a: [1, null] }, true],
    ['null does not match an array without null', { a: null }, { a: [1] }, false],
    ['null does not match 0', { a: null }, { a: 0 }, false],
    ['null matches a subdocument missing the field', { 'a.b': null }, { a: [{ c: 1 }] }, true],
    ['null does not match where the path yields nothing', { 'a.b': null }, { a: [1, 2] }, false],
    ['$gte null matches missing', { a: { $gte: null } }, {}, true],
    ['$lte null matches null', { a: { $lte: null } }, { a: null }, true],
    ['$lt null matches nothing', { a: { $lt: null } }, {}, false],
    ['$gt null matches nothing', { a: { $gt: null } }, { a: 5 }, false],
    ['$ne null excludes missing', { a: { $ne: null } }, {}, false],
    ['$ne null keeps values', { a: { $ne: null } }, { a: 0 }, true],
    ['$exists false matches missing', { a: { $exists: false } }, {}, true],
    ['$exists false does not match null', { a: { $exists: false } }, { a: null }, false],
    ['$in null matches missing', { a: { $in: [null, 5] } }, {}, true],
    ['$in null does not match undefined (8.0)', { a: { $in: [null] } }, { a: undefined }, false],
  ];
  for (const [name, filter, input, expected] of cases)
    test(name, () => assert.equal(matches(filter, input), expected));

  test('nullMatchesUndefined restores the earlier semantics', () => {
    const legacy = { nullMatchesUndefined: true };
    assert.equal(matches({ a: null }, { a: undefined }, legacy), true);
    assert.equal(matches({ a: { $in: [null] } }, { a: undefined }, legacy), true);
    assert.equal(matches({ a: { $gte: null } }, { a: undefined }, legacy), true);
    assert.equal(matches({ a: { $lt: null } }, { a: undefined }, legacy), false);
  });
});

describe('NaN', () => {
  const nans: BsonValue[] = [new Double(NaN), Decimal128.fromString('NaN')];
  for (const nan of nans) {
    test(`${renderValue(nan)}: $eq and $gte/$lte match NaN, $gt/$lt match nothing`, () => {
      for (const other of nans) {
        assert.equal(matches({ a: nan }, { a: other }), true);
        assert.equal(matches({ a: { $gte: nan } }, { a: other }), true);
        assert.equal(matches({ a: { $lte: nan } }, { a: other }), true);
        assert.equal(matches({ a: { $gt: nan } }, { a: other }), false);
        assert.equal(matches({ a: { $lt: nan } }, { a: other }), false);
      }
      assert.equal(matches({ a: { $gte: nan } }, { a: 5 }), false);
      assert.equal(matches({ a: { $lt: 5 } }, { a: nan }), false);
      assert.equal(matches({ a: { $lte: 5 } }, { a: nan }), false);
      assert.equal(matches({ a: { $gt: new Double(-Infinity) } }, { a: nan }), false);
    });
  }
});

describe('documents and arrays as values', () => {
  test('documents compare field by field, in order, numbers by value', () => {
    assert.equal(matches({ a: { b: 1, c: 2 } }, { a: { b: new Double(1), c: 2 } }), true);
    assert.equal(matches({ a: { b: 1, c: 2 } }, { a: { c: 2, b: 1 } }), false);
    assert.equal(matches({ a: { $gt: { b: 1 } } }, { a: { b: 2 } }), true);
  });
  test('an array value matches the whole array or an element that equals it', () => {
    assert.equal(matches({ a: [1, 2] }, { a: [1, 2] }), true);
    assert.equal(matches({ a: [1, 2] }, { a: [[1, 2], 3] }), true);
    assert.equal(matches({ a: [1, 2] }, { a: [2, 1] }), false);
    assert.equal(matches({ a: [1, 2] }, { a: [1, 2, 3] }), false);
    assert.equal(matches({ a: [] }, { a: [] }), true);
  });
  test('range predicates with array values compare arrays', () => {
    assert.equal(matches({ a: { $gt: [1] } }, { a: [2] }), true);
    assert.equal(matches({ a: { $gt: [1] } }, { a: 2 }), false);
  });
  test('a regex value under $eq is regex equality', () => {
    const regex = new BSONRegExp('a.c', 'i');
    assert.equal(matches({ a: { $eq: regex } }, { a: new BSONRegExp('a.c', 'i') }), true);
    assert.equal(matches({ a: { $eq: regex } }, { a: 'abc' }), false);
  });
});

describe('comparison argument errors', () => {
  const cases: [Record<string, unknown>, number, string][] = [
    [{ a: undefined }, 2, 'cannot compare to undefined'],
    [{ a: { $eq: undefined } }, 2, 'cannot compare to undefined'],
    [
      { a: { $gt: new BSONRegExp('x', '') } },
      2,
      "Can't have RegEx as arg to predicate over field 'a'.",
    ],
    [{ a: { $ne: new BSONRegExp('x', '') } }, 2, "Can't have regex as arg to $ne."],
  ];
  for (const [filter, code, message] of cases) {
    test(message, () => {
      assert.throws(
        () => compileFilter(doc(filter)),
        (error: unknown) =>
          error instanceof MongoError && error.code === code && error.message === message,
      );
    });
  }
});
