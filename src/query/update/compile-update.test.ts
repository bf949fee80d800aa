/**
 * Parse-time validation of update documents: the errors MongoDB reports before touching
 * any document (update_driver.cpp validateMod, UpdateObjectNode::parseAndMerge,
 * field_checker.cpp, each node's init()). Codes and messages are the server's.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileUpdate } from './compile-update.js';
import { assertMongoError, bsonDoc, testMatcher } from './update-test-helpers.js';

function compile(update: Record<string, unknown>, arrayFilters?: Record<string, unknown>[]) {
  return compileUpdate(bsonDoc(update), {
    compileFilter: testMatcher,
    ...(arrayFilters ? { arrayFilters: arrayFilters.map(bsonDoc) } : {}),
  });
}

void describe('update kind', () => {
  // write_ops_parsers.cpp: isClassicalUpdateReplacement looks at the first field only,
  // and "an empty update object will be treated as replacement".
  const cases: [Record<string, unknown>, 'replacement' | 'operators'][] = [
    [{}, 'replacement'],
    [{ a: 1 }, 'replacement'],
    [{ a: 1, $set: { b: 1 } }, 'replacement'],
    [{ $set: { a: 1 } }, 'operators'],
    [{ $set: {} }, 'operators'],
  ];
  for (const [update, kind] of cases) {
    void test(`${JSON.stringify(update)} is ${kind}`, () => {
      assert.equal(compile(update).kind, kind);
    });
  }

  void test('a replacement may not be multi (FailedToParse)', () => {
    assertMongoError(
      () => compileUpdate(bsonDoc({ a: 1 }), { compileFilter: testMatcher, multi: true }),
      9,
      'multi update is not supported for replacement-style update',
    );
  });
});

void describe('operator validation (validateMod)', () => {
  const expected = (name: string): string =>
    `Unknown modifier: ${name}. Expected a valid update modifier or pipeline-style update ` +
    'specified as an array';
  const cases: [string, Record<string, unknown>, number, string][] = [
    ['unknown operator', { $foo: { a: 1 } }, 9, expected('$foo')],
    ['a plain field after an operator', { $set: { a: 1 }, z: 2 }, 9, expected('z')],
    ['$pushAll was removed in 3.6', { $pushAll: { a: [1] } }, 9, expected('$pushAll')],
    // Only the first field decides the kind, so a DBRef-shaped replacement reads as operators.
    ['a document starting with $ref', { $ref: 'c', $id: 1 }, 9, expected('$ref')],
    [
      'a scalar operand',
      { $set: 5 },
      9,
      'Modifiers operate on fields but we found type int instead. For example: ' +
        '{$mod: {<field>: ...}} not {$set: 5}',
    ],
    [
      'an array operand',
      { $inc: [1] },
      9,
      'Modifiers operate on fields but we found type array instead. For example: ' +
        '{$mod: {<field>: ...}} not {$inc: [ 1 ]}',
    ],
  ];
  for (const [name, update, code, message] of cases) {
    void test(name, () => assertMongoError(() => compile(update), code, message));
  }
});

void describe('path validation (field_checker.cpp, parseAndMerge)', () => {
  const cases: [string, Record<string, unknown>, number, string][] = [
    ['empty path', { $set: { '': 1 } }, 56, 'An empty update path is not valid.'],
    [
      'empty middle part',
      { $set: { 'a..b': 1 } },
      56,
      "The update path 'a..b' contains an empty field name, which is not allowed.",
    ],
    [
      'trailing dot',
      { $unset: { 'a.': 1 } },
      56,
      "The update path 'a.' contains an empty field name, which is not allowed.",
    ],
    [
      'two positional parts',
      { $set: { 'a.$.b.$': 1 } },
      2,
      "Too many positional (i.e. '$') elements found in path 'a.$.b.$'",
    ],
    [
      'positional first',
      { $set: { '$.a': 1 } },
      2,
      "Cannot have positional (i.e. '$') element in the first position in path '$.a'",
    ],
    [
      'array filter first',
      { $set: { '$[].a': 1 } },
      2,
      "Cannot have array filter identifier (i.e. '$[<id>]') element in the first position " +
        "in path '$[].a'",
    ],
    [
      'unknown identifier',
      { $set: { 'a.$[i]': 1 } },
      2,
      "No array filter found for identifier 'i' in path 'a.$[i]'",
    ],
    [
      'identifiers are case sensitive',
      { $set: { 'a.$[I]': 1 } },
      2,
      "No array filter found for identifier 'I' in path 'a.$[I]'",
    ],
  ];
  for (const [name, update, code, message] of cases) {
    void test(name, () => assertMongoError(() => compile(update), code, message));
  }
});

void describe('conflicting paths (ConflictingUpdateOperators)', () => {
  const at = (path: string, conflict: string): string =>
    `Updating the path '${path}' would create a conflict at '${conflict}'`;
  const cases: [string, Record<string, unknown>, string][] = [
    ['parent then child', { $set: { a: 1, 'a.b': 2 } }, at('a.b', 'a')],
    ['child then parent', { $set: { 'a.b': 1 }, $inc: { a: 1 } }, at('a', 'a')],
    ['same path, two operators', { $set: { a: 1 }, $unset: { a: 1 } }, at('a', 'a')],
    ['deeper prefix', { $set: { 'a.b.c': 1, 'a.b': 1 } }, at('a.b', 'a.b')],
    ['array node then field', { $set: { 'a.$[]': 1, 'a.b': 1 } }, at('a.b', 'a')],
    ['field then array node', { $set: { 'a.0': 1, 'a.$[].b': 1 } }, at('a.$[].b', 'a')],
    ['$rename target', { $rename: { a: 'b' }, $set: { b: 1 } }, at('b', 'b')],
    ['$rename source', { $rename: { a: 'b' }, $set: { 'a.c': 1 } }, at('a.c', 'a')],
    ['$setOnInsert counts too', { $setOnInsert: { a: 1 }, $set: { a: 2 } }, at('a', 'a')],
  ];
  for (const [name, update, message] of cases) {
    void test(name, () => assertMongoError(() => compile(update), 40, message));
  }

  void test('siblings and different positional forms do not conflict at parse time', () => {
    assert.equal(compile({ $set: { 'a.b': 1, 'a.c': 2, 'a.$': 3, 'a.0': 4 } }).kind, 'operators');
  });
});

void describe('array filters (parsed_update.cpp, expression_with_placeholder.cpp)', () => {
  const cases: [string, Record<string, unknown>[], Record<string, unknown>, number, string][] = [
    [
      'unused filter',
      [{ i: 0 }, { j: 0 }],
      { $set: { 'a.$[i]': 5 } },
      9,
      "The array filter for identifier 'j' was not used in the update { $set: { a.$[i]: 5 } }",
    ],
    [
      'two top-level fields',
      [{ i: 0, j: 0 }],
      { $set: { 'a.$[i]': 5 } },
      9,
      "Error parsing array filter :: caused by :: Expected a single top-level field name, found 'i' and 'j'",
    ],
    [
      'upper-case placeholder',
      [{ I: 0 }],
      { $set: { a: 5 } },
      2,
      'Error parsing array filter :: caused by :: The top-level field name must be an ' +
        "alphanumeric string beginning with a lowercase letter, found 'I'",
    ],
    [
      'placeholder with punctuation',
      [{ 'a-b': 0 }],
      { $set: { a: 5 } },
      2,
      'Error parsing array filter :: caused by :: The top-level field name must be an ' +
        "alphanumeric string beginning with a lowercase letter, found 'a-b'",
    ],
    [
      'no top-level field',
      [{}],
      { $set: { a: 5 } },
      9,
      'Cannot use an expression without a top-level field name in arrayFilters',
    ],
    [
      'duplicate identifier',
      [{ i: 0 }, { i: 1 }],
      { $set: { 'a.$[i]': 5 } },
      9,
      'Found multiple array filters with the same top-level field name i',
    ],
    [
      'different fields inside $or',
      [{ $or: [{ i: 0 }, { j: 1 }] }],
      { $set: { 'a.$[i]': 5 } },
      9,
      "Error parsing array filter :: caused by :: Expected a single top-level field name, found 'i' and 'j'",
    ],
  ];
  for (const [name, filters, update, code, message] of cases) {
    void test(name, () => assertMongoError(() => compile(update, filters), code, message));
  }

  void test('dotted paths and logical operators share one placeholder', () => {
    const filters = [
      { 'x.a': 1, 'x.b': { $gt: 0 } },
      { $and: [{ y: 1 }, { $or: [{ 'y.c': 2 }] }] },
    ];
    assert.equal(compile({ $set: { 'a.$[x]': 1, 'b.$[y]': 1 } }, filters).kind, 'operators');
  });

  void test('a filter the matcher rejects is reported with the array-filter context', () => {
    assertMongoError(
      () => compile({ $set: { 'a.$[i]': 1 } }, [{ i: { $bogus: 1 } }]),
      2,
      'Error parsing array filter :: caused by :: unknown operator: $bogus',
    );
  });

  void test('array filters are parsed even for a replacement, but need not be used', () => {
    assert.equal(compile({ a: 1 }, [{ i: 0 }]).kind, 'replacement');
    assertMongoError(() => compile({ a: 1 }, [{ I: 0 }]), 2);
  });
});

void describe('operand validation (each node init())', () => {
  const cases: [string, Record<string, unknown>, number, string][] = [
    [
      '$inc with a string',
      { $inc: { a: 'x' } },
      14,
      'Cannot increment with non-numeric argument: {a: "x"}',
    ],
    [
      '$mul with null',
      { $mul: { 'a.b': null } },
      14,
      'Cannot multiply with non-numeric argument: {a.b: null}',
    ],
    [
      '$currentDate with a number',
      { $currentDate: { a: 1 } },
      2,
      "int is not valid type for $currentDate. Please use a boolean ('true') or a $type " +
        "expression ({$type: 'timestamp/date'}).",
    ],
    [
      '$currentDate with an unknown $type',
      { $currentDate: { a: { $type: 'day' } } },
      2,
      "The '$type' string field is required to be 'date' or 'timestamp': " +
        "{$currentDate: {field : {$type: 'date'}}}",
    ],
    [
      '$currentDate with an unknown option',
      { $currentDate: { a: { kind: 'date' } } },
      2,
      'Unrecognized $currentDate option: kind',
    ],
    ['$pop 2', { $pop: { a: 2 } }, 9, '$pop expects 1 or -1, found: 2'],
    ['$pop "x"', { $pop: { a: 'x' } }, 9, 'Expected a number in: a: "x"'],
    ['$pop 1.5', { $pop: { a: 1.5 } }, 9, 'Expected an integer: a: 1.5'],
    ['$pop NaN', { $pop: { a: NaN } }, 9, 'Expected an integer, but found NaN in: a: nan.0'],
    ['$pop 1e20', { $pop: { a: 1e20 } }, 9, 'Cannot represent as a 64-bit integer: a: 1e+20.0'],
    [
      '$pullAll with a scalar',
      { $pullAll: { a: 1 } },
      2,
      '$pullAll requires an array argument but was given a int',
    ],
    [
      '$addToSet $each not an array',
      { $addToSet: { a: { $each: 1 } } },
      14,
      'The argument to $each in $addToSet must be an array but it was of type int',
    ],
    [
      '$addToSet fields after $each',
      { $addToSet: { a: { $each: [1], x: 1 } } },
      2,
      'Found unexpected fields after $each in $addToSet: { $each: [ 1 ], x: 1 }',
    ],
    [
      '$bit with a scalar',
      { $bit: { a: 1 } },
      2,
      'The $bit modifier is not compatible with a int. You must pass in an embedded document: ' +
        '{$bit: {field: {and/or/xor: #}}',
    ],
    [
      '$bit with an unknown operation',
      { $bit: { a: { nand: 1 } } },
      2,
      "The $bit modifier only supports 'and', 'or', and 'xor', not 'nand' which is an unknown " +
        'operator: {nand: 1}',
    ],
    [
      '$bit with a double',
      { $bit: { a: { and: 1.5 } } },
      2,
      "The $bit modifier field must be an Integer(32/64 bit); a 'double' is not supported " +
        'here: {and: 1.5}',
    ],
    [
      '$bit with nothing to do',
      { $bit: { a: {} } },
      2,
      'You must pass in at least one bitwise operation. The format is: ' +
        '{$bit: {field: {and/or/xor: #}}',
    ],
  ];
  for (const [name, update, code, message] of cases) {
    void test(name, () => assertMongoError(() => compile(update), code, message));
  }
});

void describe('$push clauses (push_node.cpp, pattern_cmp.cpp)', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['unknown clause', { $each: [1], $foo: 1 }, 'Unrecognized clause in $push: $foo'],
    [
      '$each not an array',
      { $each: 1 },
      'The argument to $each in $push must be an array but it was of type: int',
    ],
    [
      '$slice not integral',
      { $each: [1], $slice: 1.5 },
      'The value for $slice must be an integer value but was given type: double',
    ],
    [
      '$position a string',
      { $each: [1], $position: 'x' },
      'The value for $position must be an integer value, not of type: string',
    ],
    ['$sort 2', { $each: [1], $sort: 2 }, 'The $sort element value must be either 1 or -1'],
    [
      '$sort a string',
      { $each: [1], $sort: 'x' },
      'The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields',
    ],
    [
      '$sort {}',
      { $each: [1], $sort: {} },
      'The sort pattern is empty when it should be a set of fields.',
    ],
    [
      '$sort {a: 2}',
      { $each: [1], $sort: { a: 2 } },
      'The sort element value must be either 1 or -1',
    ],
    [
      '$sort with an empty part',
      { $each: [1], $sort: { 'a..b': 1 } },
      'The sort field is a dotted field but has an empty part: a..b',
    ],
  ];
  for (const [name, spec, message] of cases) {
    void test(name, () => assertMongoError(() => compile({ $push: { a: spec } }), 2, message));
  }

  void test('without $each the document is the value, clauses and all', () => {
    assert.equal(compile({ $push: { a: { $slice: 1 } } }).kind, 'operators');
  });
});

void describe('$rename paths (RenameNode::init)', () => {
  const cases: [string, Record<string, unknown>, number, string][] = [
    [
      'target not a string',
      { $rename: { a: 1 } },
      2,
      "The 'to' field for $rename must be a string: a: 1",
    ],
    [
      'same path',
      { $rename: { a: 'a' } },
      2,
      'The source and target field for $rename must differ: a: "a"',
    ],
    [
      'target below source',
      { $rename: { a: 'a.b' } },
      2,
      'The source and target field for $rename must not be on the same path: a: "a.b"',
    ],
    [
      'source below target',
      { $rename: { 'a.b': 'a' } },
      2,
      'The source and target field for $rename must not be on the same path: a.b: "a"',
    ],
    [
      'positional source',
      { $rename: { 'a.$': 'b' } },
      2,
      'The source field for $rename may not be dynamic: a.$',
    ],
    [
      'array-filter target',
      { $rename: { a: 'b.$[]' } },
      2,
      'The destination field for $rename may not be dynamic: b.$[]',
    ],
    ['empty target', { $rename: { a: '' } }, 56, 'An empty update path is not valid.'],
    [
      'embedded NUL',
      { $rename: { a: 'b\0c' } },
      2,
      "The 'to' field for $rename cannot contain an embedded null byte",
    ],
  ];
  for (const [name, update, code, message] of cases) {
    void test(name, () => assertMongoError(() => compile(update), code, message));
  }

  void test('a.b and a.bc are different paths', () => {
    assert.equal(compile({ $rename: { 'a.b': 'a.bc' } }).kind, 'operators');
  });
});
