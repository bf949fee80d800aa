// Find projection: MongoDB manual "Project Fields to Return from Query", "$slice
// (projection)", "$elemMatch (projection)" ("the $elemMatch projection of an existing field
// returns the field after the inclusion of other existing fields"), "$ (projection)"; errors
// from src/mongo/db/query/projection_parser.cpp and projection_executor_utils.cpp.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Int32 } from 'bson';
import type { BsonDocument } from '../bson/types.js';
import { isDocument } from '../bson/types.js';
import { MongoError } from '../errors/mongo-error.js';
import { compileFilter } from './filter/compile-filter.js';
import type { MatchDetails } from './filter/compile-filter.js';
import type { CompileExpression } from './filter/filter-options.js';
import { getFieldByPath, MISSING } from './path.js';
import { compileProjection } from './projection.js';
import { bson, doc } from './test-values.js';

/** A stand-in for src/aggregation: $literal, "$path" and a two-argument $add of Int32s. */
const compileExpression: CompileExpression = (expression) => {
  if (typeof expression === 'string' && expression.startsWith('$')) {
    return (root) => {
      const value = getFieldByPath(root, expression.slice(1));
      return value === MISSING ? undefined : value;
    };
  }
  if (isDocument(expression)) {
    const [name, argument] = Object.entries(expression)[0] ?? [];
    if (name === '$literal') return () => argument;
    if (name === '$add') {
      const [left, right] = argument as [Int32, Int32];
      return () => new Int32(left.value + right.value);
    }
    throw new MongoError('InvalidPipelineOperator', `Unrecognized expression '${name}'`);
  }
  return () => expression;
};

const inventory = doc({
  _id: 1,
  item: 'journal',
  status: 'A',
  size: { h: 14, w: 21, uom: 'cm' },
  instock: [{ warehouse: 'A', qty: 5 }, 7, { warehouse: 'C', qty: 15 }, [{ qty: 1 }]],
  tags: ['a', 'b', 'c', 'd'],
});

function project(
  spec: Record<string, unknown>,
  input: BsonDocument = inventory,
  details?: MatchDetails,
): unknown {
  return compileProjection(doc(spec), { compileExpression }).apply(input, details);
}

function rejects(spec: Record<string, unknown>, code: number, message?: string): void {
  assert.throws(
    () => compileProjection(doc(spec), { compileExpression }),
    (error: unknown) => {
      assert.ok(error instanceof MongoError, String(error));
      assert.equal(error.code, code, error.message);
      if (message !== undefined) assert.equal(error.message, message);
      return true;
    },
  );
}

describe('inclusion', () => {
  test('named fields and _id, in document order', () => {
    assert.deepEqual(
      project({ status: 1, item: 1 }),
      doc({ _id: 1, item: 'journal', status: 'A' }),
    );
  });
  test('_id can be suppressed', () => {
    assert.deepEqual(project({ item: 1, _id: 0 }), doc({ item: 'journal' }));
  });
  test('dotted and nested specifications are the same', () => {
    const expected = doc({ _id: 1, size: { uom: 'cm' } });
    assert.deepEqual(project({ 'size.uom': 1 }), expected);
    assert.deepEqual(project({ size: { uom: 1 } }), expected);
  });
  test('arrays of documents keep matching subfields; scalars are dropped', () => {
    assert.deepEqual(
      project({ 'instock.qty': 1, _id: 0 }),
      doc({ instock: [{ qty: 5 }, { qty: 15 }, [{ qty: 1 }]] }),
    );
  });
  test('a missing field stays missing and documents without the subfield stay', () => {
    assert.deepEqual(project({ nope: 1, 'size.nope': 1 }), doc({ _id: 1, size: {} }));
  });
  test('{_id: 1} alone is an inclusion', () => {
    assert.deepEqual(project({ _id: 1 }), doc({ _id: 1 }));
  });
  test('the input is not modified', () => {
    const input = doc({ _id: 1, a: { b: 1, c: 2 } });
    project({ 'a.b': 1 }, input);
    assert.deepEqual(input, doc({ _id: 1, a: { b: 1, c: 2 } }));
  });
});

describe('exclusion', () => {
  test('everything else is kept', () => {
    assert.deepEqual(
      project({ instock: 0, tags: 0, size: 0 }),
      doc({ _id: 1, item: 'journal', status: 'A' }),
    );
  });
  test('nested fields; scalars in arrays are kept', () => {
    assert.deepEqual(
      project({ 'instock.warehouse': 0, _id: 0, item: 0, status: 0, size: 0, tags: 0 }),
      doc({ instock: [{ qty: 5 }, 7, { qty: 15 }, [{ qty: 1 }]] }),
    );
  });
  test('{_id: 1} in an exclusion changes nothing', () => {
    assert.deepEqual(
      project({ _id: 1, item: 0, status: 0, size: 0, instock: 0, tags: 0 }),
      doc({ _id: 1 }),
    );
  });
  test('{_id: 0} alone excludes only _id', () => {
    const out = project({ _id: 0 }) as BsonDocument;
    assert.deepEqual(Object.keys(out), ['item', 'status', 'size', 'instock', 'tags']);
  });
  test('an empty projection returns the document', () => {
    assert.equal(project({}), inventory);
  });
});

describe('$slice', () => {
  const cases: [unknown, unknown[]][] = [
    [2, ['a', 'b']],
    [-2, ['c', 'd']],
    [9, ['a', 'b', 'c', 'd']],
    [
      [1, 2],
      ['b', 'c'],
    ],
    [
      [-3, 2],
      ['b', 'c'],
    ],
    [[9, 2], []],
    [1.9, ['a']],
  ];
  for (const [argument, expected] of cases) {
    test(`$slice ${JSON.stringify(argument)}`, () => {
      const out = project({ tags: { $slice: argument } }) as BsonDocument;
      assert.deepEqual(out.tags, expected);
      assert.deepEqual(Object.keys(out), ['_id', 'item', 'status', 'size', 'instock', 'tags']);
    });
  }
  test('non-arrays are returned as they are', () => {
    assert.deepEqual((project({ item: { $slice: 1 } }) as BsonDocument).item, 'journal');
  });
  test('in an inclusion, a nested $slice keeps only the sliced field', () => {
    const input = doc({ _id: 1, qty: 1, details: { colors: ['blue', 'red'], sizes: ['S'] } });
    assert.deepEqual(
      project({ qty: 1, 'details.colors': { $slice: 1 } }, input),
      doc({ _id: 1, qty: 1, details: { colors: ['blue'] } }),
    );
  });
  test('through arrays of documents', () => {
    const input = doc({ a: [{ b: [1, 2, 3] }, { b: 4 }, 5] });
    assert.deepEqual(
      project({ 'a.b': { $slice: 1 } }, input),
      doc({ a: [{ b: [1] }, { b: 4 }, 5] }),
    );
  });
  test('{_id: 1} with $slice is an inclusion', () => {
    assert.deepEqual(project({ _id: 1, tags: { $slice: 1 } }), doc({ _id: 1, tags: ['a'] }));
  });
});

describe('$elemMatch', () => {
  const school = doc({
    _id: 1,
    zipcode: '63109',
    students: [
      { name: 'john', age: 10 },
      { name: 'jess', age: 11 },
    ],
  });
  test('the first matching element, after the included fields', () => {
    assert.deepEqual(
      project({ students: { $elemMatch: { age: { $gt: 10 } } }, zipcode: 1 }, school),
      doc({ _id: 1, zipcode: '63109', students: [{ name: 'jess', age: 11 }] }),
    );
  });
  test('no match: no field', () => {
    assert.deepEqual(project({ students: { $elemMatch: { age: 20 } } }, school), doc({ _id: 1 }));
  });
});

describe('positional $', () => {
  const grades = doc({ _id: 1, grades: [80, 85, 90], scores: { values: [1, 2] } });
  test('the element the query matched', () => {
    const details: MatchDetails = {};
    assert.equal(compileFilter(doc({ grades: { $gte: 85 } }))(grades, details), true);
    assert.deepEqual(project({ 'grades.$': 1 }, grades, details), doc({ _id: 1, grades: [85] }));
  });
  test('below documents', () => {
    assert.deepEqual(
      project({ 'scores.values.$': 1 }, grades, { arrayIndex: 1 }),
      doc({ _id: 1, scores: { values: [2] } }),
    );
  });
  test('without a matched element', () => {
    assert.throws(
      () => project({ 'grades.$': 1 }, grades, {}),
      (error: unknown) => error instanceof MongoError && error.code === 51246,
    );
  });
  test('a non-array field is returned as it is', () => {
    assert.deepEqual(project({ '_id.$': 1 }, grades, {}), doc({ _id: 1 }));
  });
});

describe('computed fields', () => {
  test('expressions and literals come after the included fields', () => {
    assert.deepEqual(
      project({ total: { $add: [1, 2] }, item: 1, copy: '$status', fixed: { $literal: 5 } }),
      doc({ _id: 1, item: 'journal', total: 3, copy: 'A', fixed: 5 }),
    );
  });
  test('a missing result is not output', () => {
    assert.deepEqual(project({ x: '$nope', _id: 0 }), doc({}));
  });
  test('a nested computed field is set in every element, scalars included', () => {
    const input = doc({ a: [1, { b: 1 }] });
    assert.deepEqual(
      project({ 'a.c': { $literal: 5 }, _id: 0 }, input),
      doc({ a: [{ c: 5 }, { c: 5 }] }),
    );
  });
  test('a nested computed field over a scalar or missing value makes a document', () => {
    assert.deepEqual(
      project({ 'a.c': { $literal: 5 }, _id: 0 }, doc({ a: 1 })),
      doc({ a: { c: 5 } }),
    );
    assert.deepEqual(project({ 'a.c': { $literal: 5 }, _id: 0 }, doc({})), doc({ a: { c: 5 } }));
  });
  test('without the hook', () => {
    assert.throws(
      () => compileProjection(doc({ x: { $add: [1, 2] } })),
      (error: unknown) => error instanceof MongoError && error.code === 238,
    );
  });
});

describe('dependencies', () => {
  test('inclusions name their top-level fields', () => {
    const projection = compileProjection(doc({ 'a.b': 1, c: { $slice: 1 } }));
    assert.deepEqual(projection.dependencies, { fields: ['a', 'c', '_id'], wholeDocument: false });
  });
  test('exclusions and computed fields need the whole document', () => {
    assert.equal(compileProjection(doc({ a: 0 })).dependencies.wholeDocument, true);
    assert.equal(
      compileProjection(doc({ a: '$b' }), { compileExpression }).dependencies.wholeDocument,
      true,
    );
  });
});

describe('specification errors', () => {
  test('mixing inclusion and exclusion', () => {
    rejects({ a: 1, b: 0 }, 31254, 'Cannot do exclusion on field b in inclusion projection');
    rejects({ a: 0, b: 1 }, 31253, 'Cannot do inclusion on field b in exclusion projection');
    rejects(
      { a: 0, x: 'lit' },
      31310,
      'Cannot use an expression x: "lit" in an exclusion projection',
    );
    rejects(
      { a: 0, x: { $add: [1, 2] } },
      31252,
      'Cannot use expression other than $meta in exclusion projection',
    );
  });
  test('path collisions', () => {
    rejects({ a: 1, 'a.b': 1 }, 31249, 'Path collision at a.b remaining portion b');
    rejects({ 'a.b': 1, a: 1 }, 31250, 'Path collision at a');
    rejects({ 'a.b': 1, a: { b: 0 } }, 31250);
  });
  test('invalid paths and sub-projections', () => {
    rejects({ a: {} }, 51270, 'Invalid empty sub-projection: a');
    rejects({ $a: 1 }, 16410);
    rejects({ '': 1 }, 40352);
    rejects({ a: { $foo: 1 } }, 31325, 'Unknown expression $foo');
  });
  test('positional', () => {
    rejects({ 'a.$.b': 1 }, 31394);
    rejects({ 'a.$': 0 }, 31395, 'positional projection cannot be used with exclusion');
    rejects({ 'a.$': 'x' }, 31308, 'positional projection cannot be used with a literal');
    rejects({ 'a.$': { $slice: 1 } }, 31271);
    rejects(
      { 'a.$': 1, 'b.$': 1 },
      31276,
      'Cannot specify more than one positional projection per query.',
    );
    rejects(
      { 'a.$': 1, b: { $elemMatch: {} } },
      31255,
      'Cannot specify positional operator and $elemMatch.',
    );
    rejects(
      { b: { $elemMatch: {} }, 'a.$': 1 },
      31256,
      'Cannot specify positional operator and $elemMatch.',
    );
  });
  test('$elemMatch', () => {
    rejects(
      { 'a.b': { $elemMatch: {} } },
      31275,
      'Cannot use $elemMatch projection on a nested field.',
    );
    rejects({ a: { b: { $elemMatch: {} } } }, 31275);
    rejects(
      { a: { $elemMatch: 5 } },
      31274,
      'elemMatch: Invalid argument, object required, but got int',
    );
    rejects({ a: { $elemMatch: { $where: 'x' } } }, 2, '$where is not allowed in this context');
  });
  test('$slice', () => {
    assert.throws(
      () => compileProjection(doc({ a: { $slice: 'x' } })),
      (error: unknown) => error instanceof MongoError && error.code === 31273,
    );
    assert.throws(
      () => compileProjection(doc({ a: { $slice: [1, 0] } })),
      (error: unknown) => error instanceof MongoError && error.code === 31259,
    );
  });
  test('$meta is not supported', () => {
    rejects({ score: { $meta: 'textScore' } }, 238);
  });
  test('the expression form of $slice goes through the hook', () => {
    // The fallback parses {$slice: [...]} as an aggregation expression.
    rejects({ a: { $slice: [1, 0] } }, 168);
  });
});

test('bson() keeps projection values typed', () => {
  assert.deepEqual(bson({ a: 1 }), { a: new Int32(1) });
});
