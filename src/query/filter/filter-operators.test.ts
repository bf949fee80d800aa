// Operator semantics and errors: MongoDB manual pages for each operator, and
// src/mongo/db/matcher/expression_parser.cpp / expression_leaf.cpp for messages and codes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Binary,
  BSONRegExp,
  BSONSymbol,
  DBRef,
  Decimal128,
  Double,
  Int32,
  Long,
  MinKey,
  ObjectId,
} from 'bson';
import type { BsonDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { SeededRandom } from '../../platform/random.js';
import { bson, doc } from '../test-values.js';
import { compileFilter } from './compile-filter.js';
import type { FilterOptions } from './filter-options.js';
import { parseFilter } from './parse-filter.js';

function matches(
  filter: Record<string, unknown>,
  input: Record<string, unknown>,
  options?: FilterOptions,
): boolean {
  return compileFilter(doc(filter), options)(doc(input));
}

type Case = [string, Record<string, unknown>, Record<string, unknown>, boolean];

function table(cases: Case[]): void {
  for (const [name, filter, input, expected] of cases)
    test(name, () => assert.equal(matches(filter, input), expected));
}

function rejects(
  filter: Record<string, unknown>,
  code: number,
  message: string,
  options?: FilterOptions,
): void {
  assert.throws(
    () => compileFilter(doc(filter), options),
    (error: unknown) => {
      assert.ok(error instanceof MongoError, String(error));
      assert.equal(error.message, message);
      assert.equal(error.code, code);
      return true;
    },
  );
}

describe('logical operators', () => {
  table([
    ['$and', { $and: [{ a: 1 }, { b: 2 }] }, { a: 1, b: 2 }, true],
    ['$and fails on one', { $and: [{ a: 1 }, { b: 2 }] }, { a: 1, b: 3 }, false],
    ['$or', { $or: [{ a: 1 }, { b: 2 }] }, { b: 2 }, true],
    ['$nor', { $nor: [{ a: 1 }, { b: 2 }] }, { c: 1 }, true],
    ['$nor fails on one', { $nor: [{ a: 1 }, { b: 2 }] }, { b: 2 }, false],
    ['an empty filter matches everything', {}, { a: 1 }, true],
    ['$comment is ignored', { $comment: 'hello', a: 1 }, { a: 1 }, true],
    ['$alwaysTrue', { $alwaysTrue: 1 }, {}, true],
    ['$alwaysFalse', { $alwaysFalse: 1 }, {}, false],
    ['top-level $id is a DBRef field equality', { $id: 5 }, { $id: 5 }, true],
  ]);
  test('errors', () => {
    rejects({ $and: {} }, 2, '$and must be an array');
    rejects({ $or: [] }, 2, '$and/$or/$nor must be a nonempty array');
    rejects({ $nor: [5] }, 2, '$or/$and/$nor entries need to be full objects');
    rejects({ $alwaysTrue: 2 }, 9, '$alwaysTrue must be an integer value of 1');
    rejects(
      { $foo: 1 },
      2,
      "unknown top level operator: $foo. If you have a field name that starts with a '$' symbol, consider using $getField or $setField.",
    );
    rejects(
      { $not: { a: 1 } },
      2,
      'unknown top level operator: $not. If you are trying to negate an entire expression, use $nor.',
    );
    rejects({ a: { $foo: 1 } }, 2, 'unknown operator: $foo');
    rejects({ a: { $gt: 1, b: 1 } }, 2, 'unknown operator: b');
    rejects({ a: { $not: 5 } }, 2, '$not needs a regex or a document');
    rejects({ a: { $not: {} } }, 2, '$not cannot be empty');
    rejects({ a: { $not: { b: 1 } } }, 2, 'unknown operator: b');
  });
  test('an object whose first field is not an operator is a value', () => {
    assert.equal(matches({ a: { b: 1, $gt: 2 } }, { a: { b: 1, $gt: 2 } }), true);
  });
});

describe('$exists', () => {
  table([
    ['true on a present field', { a: { $exists: true } }, { a: null }, true],
    ['true on a missing field', { a: { $exists: true } }, {}, false],
    ['false on a missing field', { a: { $exists: false } }, {}, true],
    ['any truthy value', { a: { $exists: 1 } }, { a: 0 }, true],
    ['zero is false', { a: { $exists: 0 } }, { a: 0 }, false],
    [
      'through an array of documents',
      { 'a.b': { $exists: true } },
      { a: [{ c: 1 }, { b: 1 }] },
      true,
    ],
    ['not through scalars', { 'a.b': { $exists: true } }, { a: [1, 2] }, false],
    ['an empty array exists', { a: { $exists: true } }, { a: [] }, true],
  ]);
});

describe('$type', () => {
  const values: [string, unknown, number][] = [
    ['double', new Double(1), 1],
    ['string', 'x', 2],
    ['object', { b: 1 }, 3],
    ['binData', new Binary(Buffer.from([1])), 5],
    ['undefined', undefined, 6],
    ['bool', false, 8],
    ['date', new Date(0), 9],
    ['null', null, 10],
    ['regex', new BSONRegExp('a', ''), 11],
    ['symbol', new BSONSymbol('s'), 14],
    ['int', new Int32(1), 16],
    ['long', Long.fromNumber(1), 18],
    ['decimal', Decimal128.fromString('1'), 19],
    ['minKey', new MinKey(), -1],
  ];
  for (const [alias, value, code] of values) {
    test(alias, () => {
      assert.equal(matches({ a: { $type: alias } }, { a: value }), true);
      assert.equal(matches({ a: { $type: code } }, { a: value }), true);
      assert.equal(matches({ a: { $type: new Double(code) } }, { a: value }), true);
      assert.equal(
        matches({ a: { $type: alias === 'string' ? 'int' : 'string' } }, { a: value }),
        false,
      );
    });
  }
  table([
    [
      '"number" matches every numeric type',
      { a: { $type: 'number' } },
      { a: Decimal128.fromString('2') },
      true,
    ],
    ['"number" does not match strings', { a: { $type: 'number' } }, { a: '2' }, false],
    ['an array of types', { a: { $type: ['string', 'long'] } }, { a: Long.fromNumber(1) }, true],
    ['"array" matches an array field', { a: { $type: 'array' } }, { a: [] }, true],
    ['array elements are tested too', { a: { $type: 'string' } }, { a: [1, 'x'] }, true],
    ['missing has no type', { a: { $type: 'null' } }, {}, false],
  ]);
  test('errors', () => {
    rejects({ a: { $type: 'foo' } }, 2, 'Unknown type name alias: foo');
    rejects(
      { a: { $type: 'missing' } },
      2,
      "'missing' is not a legal type name. To query for non-existence of a field, use {$exists:false}.",
    );
    rejects({ a: { $type: 0 } }, 2, 'Invalid numerical type code: 0. Instead use {$exists:false}.');
    rejects({ a: { $type: 20 } }, 2, 'Invalid numerical type code: 20');
    rejects({ a: { $type: 1.5 } }, 2, 'Invalid numerical type code: 1.5');
    rejects({ a: { $type: true } }, 14, 'type must be represented as a number or a string');
    rejects({ a: { $type: [] } }, 9, 'a must match at least one type');
  });
});

describe('$regex', () => {
  table([
    ['a regex value is a regex match', { a: new BSONRegExp('^ab', '') }, { a: 'abc' }, true],
    ['matches anywhere', { a: { $regex: 'b' } }, { a: 'abc' }, true],
    ['$options i', { a: { $regex: '^AB', $options: 'i' } }, { a: 'abc' }, true],
    ['$options before $regex', { a: { $options: 'i', $regex: '^AB' } }, { a: 'abc' }, true],
    [
      '$regex with a BSONRegExp and its flags',
      { a: { $regex: new BSONRegExp('^AB', 'i') } },
      { a: 'abc' },
      true,
    ],
    ['m: ^ after a newline', { a: { $regex: '^b', $options: 'm' } }, { a: 'a\nb' }, true],
    ['no m: ^ only at the start', { a: { $regex: '^b' } }, { a: 'a\nb' }, false],
    ['s: dot matches a newline', { a: { $regex: 'a.b', $options: 's' } }, { a: 'a\nb' }, true],
    [
      'x: whitespace and comments ignored',
      { a: { $regex: 'a b # c', $options: 'x' } },
      { a: 'ab' },
      true,
    ],
    ['array elements', { a: new BSONRegExp('^x', '') }, { a: ['a', 'xy'] }, true],
    ['symbols', { a: new BSONRegExp('^x', '') }, { a: new BSONSymbol('xy') }, true],
    ['numbers never match', { a: new BSONRegExp('1', '') }, { a: 1 }, false],
    [
      'a stored regex with the same pattern and flags',
      { a: new BSONRegExp('x', 'i') },
      { a: new BSONRegExp('x', 'i') },
      true,
    ],
    [
      'a stored regex with other flags',
      { a: new BSONRegExp('x', 'i') },
      { a: new BSONRegExp('x', '') },
      false,
    ],
    ['$not with a regex', { a: { $not: new BSONRegExp('^a', '') } }, { a: 'bcd' }, true],
    ['$not with a regex matches missing', { a: { $not: new BSONRegExp('^a', '') } }, {}, true],
    [
      '$in with a regex and $options-free pattern',
      { a: { $in: [new BSONRegExp('^A', 'i')] } },
      { a: 'abc' },
      true,
    ],
  ]);
  test('errors', () => {
    rejects({ a: { $regex: 'a', $options: 'g' } }, 51108, ' invalid flag in regex options: g');
    rejects({ a: { $regex: 'a', $options: 'l' } }, 51108, ' invalid flag in regex options: l');
    rejects(
      { a: { $regex: new BSONRegExp('a', 'i'), $options: 'm' } },
      51075,
      'options set in both $regex and $options',
    );
    rejects(
      { a: { $options: 'm', $regex: new BSONRegExp('a', 'i') } },
      51074,
      'options set in both $regex and $options',
    );
    rejects({ a: { $regex: 5 } }, 2, '$regex has to be a string');
    rejects({ a: { $regex: 'a', $options: 5 } }, 2, '$options has to be a string');
    rejects({ a: { $options: 'i' } }, 2, '$options needs a $regex');
    rejects(
      { a: { $regex: 'a\0b' } },
      2,
      'Regular expression cannot contain an embedded null byte',
    );
    assert.throws(
      () => compileFilter({ a: { $regex: '(' } }),
      (error: unknown) => error instanceof MongoError && error.code === 51091,
    );
  });
});

describe('$mod', () => {
  table([
    ['int', { a: { $mod: [4, 1] } }, { a: 9 }, true],
    ['doubles are truncated', { a: { $mod: [4, 1] } }, { a: 9.9 }, true],
    ['negative dividends keep their sign', { a: { $mod: [4, -1] } }, { a: -9 }, true],
    ['decimals are truncated', { a: { $mod: [4, 1] } }, { a: Decimal128.fromString('9.99') }, true],
    [
      'longs beyond 2^53',
      { a: { $mod: [10, 3] } },
      { a: Long.fromString('9007199254740993') },
      true,
    ],
    ['NaN never matches', { a: { $mod: [4, 0] } }, { a: NaN }, false],
    ['infinity never matches', { a: { $mod: [4, 0] } }, { a: Infinity }, false],
    ['strings never match', { a: { $mod: [4, 1] } }, { a: '9' }, false],
    ['a fractional divisor is truncated', { a: { $mod: [4.5, 1] } }, { a: 9 }, true],
    [
      'x mod -1 is 0',
      { a: { $mod: [-1, 0] } },
      { a: Long.fromString('-9223372036854775808') },
      true,
    ],
  ]);
  test('errors', () => {
    rejects({ a: { $mod: 4 } }, 2, 'malformed mod, needs to be an array');
    rejects({ a: { $mod: [] } }, 2, 'malformed mod, not enough elements');
    rejects({ a: { $mod: [4] } }, 2, 'malformed mod, not enough elements');
    rejects({ a: { $mod: ['4', 1] } }, 2, 'malformed mod, divisor not a number');
    rejects({ a: { $mod: [4, '1'] } }, 2, 'malformed mod, remainder not a number');
    rejects({ a: { $mod: [4, 1, 2] } }, 2, 'malformed mod, too many elements');
    rejects({ a: { $mod: [0, 1] } }, 2, 'divisor cannot be 0');
    rejects(
      { a: { $mod: [NaN, 1] } },
      2,
      'malformed mod, divisor value is invalid :: caused by :: Unable to coerce NaN/Inf to integral type',
    );
  });
});

describe('bitwise operators', () => {
  // 54 = 0b110110
  table([
    ['$bitsAllSet positions', { a: { $bitsAllSet: [1, 2, 4, 5] } }, { a: 54 }, true],
    ['$bitsAllSet fails on a clear bit', { a: { $bitsAllSet: [0, 1] } }, { a: 54 }, false],
    ['$bitsAllSet mask', { a: { $bitsAllSet: 6 } }, { a: 54 }, true],
    ['$bitsAnySet', { a: { $bitsAnySet: [0, 1] } }, { a: 54 }, true],
    ['$bitsAllClear', { a: { $bitsAllClear: [0, 3] } }, { a: 54 }, true],
    ['$bitsAnyClear', { a: { $bitsAnyClear: [1, 3] } }, { a: 54 }, true],
    ["negative numbers are two's complement", { a: { $bitsAllSet: [63, 0] } }, { a: -1 }, true],
    [
      'positions past 63 test the sign bit of numbers',
      { a: { $bitsAllSet: [200] } },
      { a: -5 },
      true,
    ],
    ['non-integral doubles do not match', { a: { $bitsAnySet: [0] } }, { a: 1.5 }, false],
    ['integral doubles match', { a: { $bitsAnySet: [0] } }, { a: 1.0 }, true],
    ['a BinData mask', { a: { $bitsAllSet: new Binary(Buffer.from([0x06])) } }, { a: 54 }, true],
    [
      'BinData values',
      { a: { $bitsAllSet: [1, 9] } },
      { a: new Binary(Buffer.from([0x02, 0x02])) },
      true,
    ],
    [
      'BinData values are zero-extended',
      { a: { $bitsAllClear: [64] } },
      { a: new Binary(Buffer.from([0xff])) },
      true,
    ],
    ['strings never match', { a: { $bitsAllClear: [0] } }, { a: 'x' }, false],
    ['array elements', { a: { $bitsAllSet: [0] } }, { a: [2, 3] }, true],
  ]);
  test('errors', () => {
    rejects({ a: { $bitsAllSet: -1 } }, 9, 'Expected a positive number in: $bitsAllSet: -1');
    rejects(
      { a: { $bitsAllSet: [-1] } },
      2,
      'Failed to parse bit position. Expected a positive number in: 0: -1',
    );
    rejects(
      { a: { $bitsAllSet: 'x' } },
      2,
      '$bitsAllSet takes an Array, a number, or a BinData but received: $bitsAllSet: "x"',
    );
  });
});

describe('$expr', () => {
  const compileExpression: FilterOptions['compileExpression'] = (expression) => (root) => {
    // A stand-in evaluator: {$field: name} reads a top-level field.
    const name = (expression as BsonDocument).$field as string;
    return root[name];
  };
  test('truthiness follows aggregation: false, null, missing and zero are false', () => {
    const expr = { $expr: { $field: 'x' } };
    const truthy: unknown[] = [true, 1, 'x', [], {}, NaN];
    const falsy: unknown[] = [
      false,
      0,
      null,
      new Double(-0),
      Decimal128.fromString('0.00'),
      Long.fromNumber(0),
    ];
    for (const x of truthy)
      assert.equal(matches(expr, { x }, { compileExpression }), true, String(x));
    for (const x of falsy)
      assert.equal(matches(expr, { x }, { compileExpression }), false, String(x));
    assert.equal(matches(expr, {}, { compileExpression }), false);
  });
  test('needs the aggregation hook', () => {
    rejects(
      { $expr: true },
      238,
      '$expr needs aggregation expressions, which are not available here',
    );
    assert.deepEqual(parseFilter(doc({ $expr: 1 })), { kind: 'expr', expression: new Int32(1) });
  });
  test('is not allowed where the context bans it', () => {
    rejects({ $expr: true }, 224, '$expr is not allowed in this context', {
      allow: { expr: false },
    });
  });
});

describe('$sampleRate', () => {
  test('0 and 1 are constants', () => {
    assert.equal(matches({ $sampleRate: 0 }, {}), false);
    assert.equal(matches({ $sampleRate: 1 }, {}), true);
  });
  test('selects about the given fraction with the injected random source', () => {
    const matcher = compileFilter(doc({ $sampleRate: 0.25 }), { random: new SeededRandom(7) });
    let selected = 0;
    for (let i = 0; i < 4000; i++) if (matcher({})) selected++;
    assert.ok(selected > 800 && selected < 1200, String(selected));
  });
  test('errors', () => {
    rejects({ $sampleRate: 2 }, 2, 'numeric argument to $sampleRate must be in [0, 1]');
    rejects({ $sampleRate: NaN }, 2, 'numeric argument to $sampleRate must be in [0, 1]');
    rejects({ $sampleRate: 'x' }, 2, 'argument to $sampleRate must be a numeric type');
  });
});

describe('features Shoal does not have', () => {
  test('$where fails as on a server without JavaScript', () => {
    rejects(
      { $where: 'this.a == 1' },
      6108304,
      'no globalScriptEngine in $where parsing: Shoal does not run JavaScript',
    );
    rejects({ $where: 'x' }, 2, '$where is not allowed in this context', {
      allow: { where: false },
    });
    rejects({ a: { $where: 'x' } }, 2, '$where cannot be applied to a field');
  });
  test('$text fails as without a text index', () => {
    rejects(
      { $text: { $search: 'x' } },
      27,
      'text index required for $text query (Shoal does not support text indexes)',
    );
  });
  test('geospatial operators', () => {
    rejects(
      { a: { $near: [0, 0] } },
      291,
      'error processing query: planner returned error :: caused by :: unable to find index for $geoNear query (Shoal does not support geospatial queries)',
    );
    rejects(
      { a: { $geoWithin: {} } },
      238,
      '$geoWithin is not supported: Shoal does not support geospatial queries',
    );
    rejects({ a: { $maxDistance: 1, $near: [0, 0] } }, 2, 'unknown operator: $maxDistance');
  });
});

describe('the parsed tree', () => {
  test('negations stay explicit for the planner', () => {
    const tree = parseFilter(doc({ a: { $ne: 1 }, b: { $nin: [2] }, c: { $exists: false } }));
    assert.deepEqual(tree, {
      kind: 'and',
      children: [
        { kind: 'not', child: { kind: 'compare', path: 'a', op: 'eq', value: new Int32(1) } },
        { kind: 'not', child: { kind: 'in', path: 'b', values: [new Int32(2)], regexes: [] } },
        { kind: 'not', child: { kind: 'exists', path: 'c' } },
      ],
    });
  });
  test('$in values are sorted and deduplicated', () => {
    const tree = parseFilter(doc({ a: { $in: [3, 1, 1.0, 'x', 2] } }));
    assert.deepEqual(tree, { kind: 'in', path: 'a', values: bson([1, 2, 3, 'x']), regexes: [] });
  });
  test('a range on one field is two sibling nodes', () => {
    const tree = parseFilter(doc({ a: { $gt: 1, $lt: 5 } }));
    assert.deepEqual(tree, {
      kind: 'and',
      children: [
        { kind: 'compare', path: 'a', op: 'gt', value: new Int32(1) },
        { kind: 'compare', path: 'a', op: 'lt', value: new Int32(5) },
      ],
    });
  });
});

describe('DBRef fields', () => {
  const id = new ObjectId('5f0000000000000000000001');
  const ref = new DBRef('users', id);
  const stored: BsonDocument = {
    r: new DBRef('users', id),
    refs: [new DBRef('groups', id), new DBRef('users', id)],
  };
  test('a DBRef equals the same reference, and the document it encodes', () => {
    assert.equal(compileFilter({ r: ref })(stored), true);
    assert.equal(compileFilter({ r: { $ref: 'users', $id: id } })(stored), true);
    assert.equal(compileFilter({ r: new DBRef('other', id) })(stored), false);
  });
  test('dotted paths reach $ref and $id', () => {
    assert.equal(compileFilter({ 'r.$id': id })(stored), true);
    assert.equal(compileFilter({ 'r.$ref': 'users' })(stored), true);
    assert.equal(compileFilter({ 'refs.$ref': 'groups' })(stored), true);
  });
  test('$elemMatch with DBRef fields', () => {
    assert.equal(compileFilter({ refs: { $elemMatch: { $ref: 'users', $id: id } } })(stored), true);
    assert.equal(compileFilter({ refs: { $elemMatch: { $ref: 'other' } } })(stored), false);
  });
});
