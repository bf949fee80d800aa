// Path semantics follow src/mongo/db/matcher/path.cpp (BSONElementIterator) for matching,
// and dotted_path_support.cpp (extractAllElementsAlongPath) for distinct.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DBRef, Int32 } from 'bson';
import type { ObjectId } from 'bson';
import fc from 'fast-check';
import type { BsonDocument, BsonValue } from '../bson/types.js';
import {
  compilePath,
  distinctValues,
  getField,
  getFieldByPath,
  getPathValues,
  matchPath,
  MISSING,
  noMatch,
  setField,
} from './path.js';
import type { MaybeValue } from './path.js';
import { bson, doc } from './test-values.js';

function values(document: BsonDocument, path: string): [MaybeValue, number][] {
  return getPathValues(document, path).map(({ value, arrayIndex }) => [value, arrayIndex]);
}

describe('getPathValues: what the matcher sees', () => {
  const cases: [string, Record<string, unknown>, string, [unknown, number][]][] = [
    ['a scalar', { a: 5 }, 'a', [[5, -1]]],
    ['a missing field', {}, 'a', [[MISSING, -1]]],
    [
      'a leaf array: each element, then the array',
      { a: [5, 6] },
      'a',
      [
        [5, 0],
        [6, 1],
        [[5, 6], -1],
      ],
    ],
    ['an empty leaf array', { a: [] }, 'a', [[[], -1]]],
    [
      'documents in an array',
      { a: [{ b: 1 }, { b: 2 }] },
      'a.b',
      [
        [1, 0],
        [2, 1],
      ],
    ],
    [
      'an array below an array: outermost offset',
      { a: [{ b: [1, 2] }] },
      'a.b',
      [
        [1, 0],
        [2, 0],
        [[1, 2], 0],
      ],
    ],
    ['arrays of arrays are not flattened', { a: [[{ b: 1 }]] }, 'a.b', []],
    ['a document without the field yields missing', { a: [{ c: 1 }] }, 'a.b', [[MISSING, 0]]],
    ['scalars in an array yield nothing', { a: [1, 2] }, 'a.b', []],
    ['a scalar before the end is missing', { a: 1 }, 'a.b', [[MISSING, -1]]],
    ['a numeric component indexes the array', { a: [5, 6] }, 'a.1', [[6, -1]]],
    ['a numeric component names a field of a document', { a: { '0': 7 } }, 'a.0', [[7, -1]]],
    ['an index past the end yields nothing', { a: [5] }, 'a.3', []],
    ['"01" is not an index', { a: [5, 6] }, 'a.01', []],
    ['an index into a nested array', { a: [[1, 2], [3]] }, 'a.0.1', [[2, -1]]],
    [
      'an index after documents: the field first, then the element',
      { a: [{ b: 1 }, { b: 2 }] },
      'a.1.b',
      [
        [MISSING, 0],
        [MISSING, 1],
        [2, -1],
      ],
    ],
  ];
  for (const [name, input, path, expected] of cases) {
    test(name, () => {
      const want = expected.map(([value, index]) => [
        value === MISSING ? MISSING : bson(value),
        index,
      ]);
      assert.deepEqual(values(doc(input), path), want);
    });
  }

  test('DBRef values are traversed as documents', () => {
    // The bson typings want an ObjectId, but any value is a valid $id.
    const input = { r: new DBRef('c', new Int32(5) as unknown as ObjectId) };
    assert.deepEqual(values(input, 'r.$id'), [[new Int32(5), -1]]);
    assert.deepEqual(values(input, 'r.$ref'), [['c', -1]]);
  });

  test('inherited members of Object.prototype are not fields', () => {
    for (const path of ['__proto__', 'toString', 'constructor.name', 'hasOwnProperty']) {
      assert.deepEqual(values({}, path), [[MISSING, -1]], path);
    }
  });
});

describe('matchPath', () => {
  test('stops at the first passing value and reports its outermost offset', () => {
    const input = doc({ a: [{ b: [1, 9] }, { b: [9] }] });
    const seen: MaybeValue[] = [];
    const found = matchPath(
      input,
      compilePath('a.b'),
      (value) => (seen.push(value), value instanceof Int32 && value.value === 9),
      true,
      undefined,
    );
    assert.equal(found, 0);
    assert.deepEqual(seen, bson([1, 9]) as MaybeValue[]);
  });

  test('without leaf traversal only the whole array is tested', () => {
    const input = doc({ a: [[1], [2]] });
    const seen: MaybeValue[] = [];
    const found = matchPath(
      input,
      compilePath('a'),
      (value) => (seen.push(value), false),
      false,
      undefined,
    );
    assert.equal(found, noMatch);
    assert.deepEqual(seen, [bson([[1], [2]])]);
  });
});

describe('getFieldByPath', () => {
  const input = doc({ a: { b: [10, 20] }, c: [{ d: 1 }] });
  test('walks documents and indexes arrays', () => {
    assert.deepEqual(getFieldByPath(input, 'a.b.1'), new Int32(20));
    assert.deepEqual(getFieldByPath(input, 'a.b'), bson([10, 20]));
    assert.deepEqual(getFieldByPath(input, 'c.0.d'), new Int32(1));
  });
  test('does not traverse arrays implicitly', () => {
    assert.equal(getFieldByPath(input, 'c.d'), MISSING);
    assert.equal(getFieldByPath(input, 'a.b.2'), MISSING);
    assert.equal(getFieldByPath(input, 'x.y'), MISSING);
  });
});

describe('distinctValues', () => {
  const cases: [Record<string, unknown>, string, unknown[]][] = [
    [{ a: [{ b: 1 }, { b: [2, 3] }, { c: 4 }, 5] }, 'a.b', [1, 2, 3]],
    [{ a: [1, [2]] }, 'a', [1, [2]]],
    [{ a: { b: [[1]] } }, 'a.b', [[1]]],
    [{ 'a.b': 5 }, 'a.b', [5]],
    [{ a: [[{ b: 1 }]] }, 'a.b', []],
    [{ a: [[{ b: 1 }]] }, 'a.0.b', [1]],
    [{ a: null }, 'a', [null]],
    [{}, 'a', []],
  ];
  for (const [input, path, expected] of cases) {
    test(`${JSON.stringify(input)} at ${path}`, () => {
      assert.deepEqual(distinctValues(doc(input), path), bson(expected));
    });
  }
});

describe('field access', () => {
  test('setField creates a field named __proto__ and getField reads it', () => {
    const target: BsonDocument = {};
    setField(target, '__proto__', new Int32(1));
    assert.deepEqual(Object.keys(target), ['__proto__']);
    assert.deepEqual(getField(target, '__proto__'), new Int32(1));
    assert.equal(Object.getPrototypeOf(target), Object.prototype);
  });
  test('a field holding BSON undefined exists', () => {
    assert.equal(getField({ a: undefined }, 'a'), undefined);
    assert.equal(getField({}, 'a'), MISSING);
  });
});

describe('getPathValues and matchPath agree', () => {
  // Two traversals implement one rule; they must yield the same values and offsets.
  const key = fc.constantFrom('a', 'b', '0', '1');
  const leaf = fc.oneof(
    fc.integer({ min: 0, max: 3 }).map((n) => new Int32(n)),
    fc.constant(null),
  );
  const tree = fc.letrec<{ value: BsonValue }>((recurse) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(recurse('value'), { maxLength: 3 }),
      fc.dictionary(key, recurse('value'), { maxKeys: 3 }),
    ),
  })).value;
  test('same values in the same order, same offsets', () => {
    fc.assert(
      fc.property(
        fc.dictionary(key, tree, { maxKeys: 3 }),
        fc.array(key, { minLength: 1, maxLength: 3 }),
        (input, parts) => {
          const path = compilePath(parts.join('.'));
          const expected = getPathValues(input, path);
          const seen: MaybeValue[] = [];
          matchPath(input, path, (value) => (seen.push(value), false), true, undefined);
          assert.deepEqual(
            seen,
            expected.map((entry) => entry.value),
          );
          expected.forEach((entry, k) => {
            let calls = 0;
            const found = matchPath(input, path, () => calls++ === k, true, undefined);
            assert.equal(found, entry.arrayIndex);
          });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
