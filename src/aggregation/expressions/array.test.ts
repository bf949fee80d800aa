/**
 * Array, set and object operators: element access, slicing, $in/$indexOfArray with MongoDB
 * equality, higher-order operators binding $$this/$$value, $zip defaults, $sortArray, set
 * algebra (sorted results for $setUnion/$setIntersection), $arrayToObject/$objectToArray and
 * $getField/$setField, with expression.cpp's error codes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BsonValue } from '../../bson/types.js';
import { dbl, dec, errorOf, evaluate, int, long, typed } from '../test-support.js';

function check(cases: [BsonValue, string][], doc = {}): void {
  for (const [expression, expected] of cases) {
    void test(`${JSON.stringify(expression)} -> ${expected}`, () => {
      assert.equal(typed(evaluate(expression, doc)), expected);
    });
  }
}

const list = [int(1), int(2), int(3), int(4)];

void describe('element access and slicing', () => {
  check([
    [{ $arrayElemAt: [list, int(0)] }, 'int:1'],
    [{ $arrayElemAt: [list, int(-1)] }, 'int:4'],
    [{ $arrayElemAt: [list, long(9)] }, 'missing'],
    [{ $arrayElemAt: [list, int(-9)] }, 'missing'],
    [{ $arrayElemAt: [list, dbl(1)] }, 'int:2'],
    [{ $arrayElemAt: [null, int(1)] }, 'null'],
    [{ $first: [list] }, 'int:1'],
    [{ $last: [list] }, 'int:4'],
    [{ $first: [[]] }, 'missing'],
    [{ $slice: [list, int(2)] }, '[int:1, int:2]'],
    [{ $slice: [list, int(-2)] }, '[int:3, int:4]'],
    [{ $slice: [list, int(1), int(2)] }, '[int:2, int:3]'],
    [{ $slice: [list, int(-3), int(2)] }, '[int:2, int:3]'],
    [{ $slice: [list, int(10), int(2)] }, '[]'],
    [{ $size: [list] }, 'int:4'],
    [{ $concatArrays: [[int(1)], [int(2)], []] }, '[int:1, int:2]'],
    [{ $concatArrays: [[int(1)], null] }, 'null'],
    [{ $reverseArray: [list] }, '[int:4, int:3, int:2, int:1]'],
    [{ $isArray: [list] }, 'bool:true'],
    [{ $isArray: 'x' }, 'bool:false'],
  ]);
  void test('errors', () => {
    assert.deepEqual(errorOf({ $arrayElemAt: [int(1), int(0)] }), {
      code: 28689,
      message: "$arrayElemAt's first argument must be an array, but is int",
    });
    assert.deepEqual(errorOf({ $first: int(1) }), {
      code: 28689,
      message: "$first's argument must be an array, but is int",
    });
    assert.equal(errorOf({ $arrayElemAt: [list, 'a'] }).code, 28690);
    assert.deepEqual(errorOf({ $arrayElemAt: [list, dbl(1.5)] }), {
      code: 28691,
      message: "$arrayElemAt's second argument must be representable as a 32-bit integer: 1.5",
    });
    assert.deepEqual(errorOf({ $size: '$missing' }), {
      code: 17124,
      message: 'The argument to $size must be an array, but was of type: missing',
    });
    assert.equal(errorOf({ $slice: [int(1), int(1)] }).code, 28724);
    assert.deepEqual(errorOf({ $slice: [list, int(1), int(0)] }), {
      code: 28729,
      message: 'Third argument to $slice must be positive: 0',
    });
    assert.equal(errorOf({ $concatArrays: [int(1)] }).code, 28664);
    assert.equal(errorOf({ $reverseArray: int(1) }).code, 34435);
  });
});

void describe('$in, $indexOfArray and $range', () => {
  check([
    [{ $in: [dbl(2), list] }, 'bool:true'],
    [{ $in: [dec('2.0'), { $literal: list }] }, 'bool:true'],
    [{ $in: ['$x', [null]] }, 'bool:false'],
    [{ $indexOfArray: [list, long(3)] }, 'int:2'],
    [{ $indexOfArray: [list, int(3), int(3)] }, 'int:-1'],
    [{ $indexOfArray: [list, int(9)] }, 'int:-1'],
    [{ $indexOfArray: [null, int(1)] }, 'null'],
    [{ $range: [int(0), int(5), int(2)] }, '[int:0, int:2, int:4]'],
    [{ $range: [int(5), int(0), int(-2)] }, '[int:5, int:3, int:1]'],
    [{ $range: [int(0), int(-1)] }, '[]'],
  ]);
  void test('errors', () => {
    assert.deepEqual(errorOf({ $in: [int(1), null] }), {
      code: 40081,
      message: '$in requires an array as a second argument, found: null',
    });
    assert.equal(errorOf({ $indexOfArray: [int(1), int(1)] }).code, 40090);
    assert.equal(errorOf({ $range: ['a', int(1)] }).code, 34443);
    assert.deepEqual(errorOf({ $range: [dbl(0.5), int(1)] }), {
      code: 34444,
      message:
        '$range requires a starting value that can be represented as a 32-bit integer, found value: 0.5',
    });
    assert.deepEqual(errorOf({ $range: [int(0), int(1), int(0)] }), {
      code: 34449,
      message: '$range requires a non-zero step value',
    });
    assert.equal(errorOf({ $range: [int(0), int(2000000000)] }).code, 146);
  });
});

void describe('$filter, $map, $reduce', () => {
  const doc = { xs: list, y: int(2) };
  check(
    [
      [{ $filter: { input: '$xs', cond: { $gt: ['$$this', '$y'] } } }, '[int:3, int:4]'],
      [
        { $filter: { input: '$xs', as: 'v', cond: { $gt: ['$$v', int(1)] }, limit: int(2) } },
        '[int:2, int:3]',
      ],
      [{ $filter: { input: '$xs', cond: true, limit: null } }, '[int:1, int:2, int:3, int:4]'],
      [{ $filter: { input: '$nope', cond: true } }, 'null'],
      [
        { $map: { input: '$xs', as: 'v', in: { $multiply: ['$$v', '$y'] } } },
        '[int:2, int:4, int:6, int:8]',
      ],
      [{ $map: { input: [int(1)], in: '$$REMOVE' } }, '[null]'],
      [
        { $reduce: { input: '$xs', initialValue: int(0), in: { $add: ['$$value', '$$this'] } } },
        'int:10',
      ],
      [{ $reduce: { input: [], initialValue: 'x', in: 'y' } }, 'string:x'],
      // Nested bindings shadow, and the outer binding is restored afterwards.
      [
        {
          $map: {
            input: [int(1), int(2)],
            as: 'x',
            in: {
              $let: {
                vars: { outer: '$$x' },
                in: { $map: { input: [int(10)], as: 'x', in: { $add: ['$$x', '$$outer'] } } },
              },
            },
          },
        },
        '[[int:11], [int:12]]',
      ],
    ],
    doc,
  );
  void test('errors', () => {
    assert.equal(errorOf({ $filter: { input: int(1), cond: true } }).code, 28651);
    assert.deepEqual(errorOf({ $filter: { input: [int(1)], cond: true, limit: int(0) } }), {
      code: 327392,
      message: '$filter: limit must be greater than 0: 0',
    });
    assert.equal(
      errorOf({ $filter: { input: [int(1)], cond: true, limit: dbl(1.5) } }).code,
      327391,
    );
    assert.equal(errorOf({ $filter: { cond: true } }).code, 28648);
    assert.equal(errorOf({ $filter: { input: [] } }).code, 28650);
    assert.equal(errorOf({ $filter: { input: [], cond: true, as: 'Bad' } }).code, 16867);
    assert.equal(errorOf({ $map: { input: int(1), in: int(1) } }).code, 16883);
    assert.equal(errorOf({ $map: { input: [] } }).code, 16882);
    assert.equal(
      errorOf({ $reduce: { input: int(1), initialValue: int(0), in: int(0) } }).code,
      40080,
    );
    assert.equal(errorOf({ $reduce: { input: [], in: int(0) } }).code, 40078);
  });
});

void describe('$sortArray and $zip', () => {
  check([
    [
      { $sortArray: { input: [int(3), 'a', int(1), null], sortBy: int(1) } },
      '[null, int:1, int:3, string:a]',
    ],
    [{ $sortArray: { input: [int(3), int(1), int(2)], sortBy: int(-1) } }, '[int:3, int:2, int:1]'],
    [
      {
        $sortArray: {
          input: [{ a: int(2), b: int(1) }, { a: int(1) }, int(5), { a: int(1), b: int(0) }],
          sortBy: { a: int(1), b: int(-1) },
        },
      },
      '[int:5, {a: int:1, b: int:0}, {a: int:1}, {a: int:2, b: int:1}]',
    ],
    [{ $zip: { inputs: [[int(1), int(2)], ['a']] } }, '[[int:1, string:a]]'],
    [
      { $zip: { inputs: [[int(1), int(2)], ['a']], useLongestLength: true } },
      '[[int:1, string:a], [int:2, null]]',
    ],
    [
      { $zip: { inputs: [[int(1), int(2)], ['a']], useLongestLength: true, defaults: ['x', 'y'] } },
      '[[int:1, string:a], [int:2, string:y]]',
    ],
    [{ $zip: { inputs: [[int(1)], null] } }, 'null'],
  ]);
  void test('errors', () => {
    assert.equal(errorOf({ $sortArray: { input: [], sortBy: int(2) } }).code, 2942506);
    assert.equal(errorOf({ $sortArray: { input: int(1), sortBy: int(1) } }).code, 2942504);
    assert.equal(errorOf({ $sortArray: { input: [] } }).code, 2942503);
    assert.equal(errorOf({ $zip: { inputs: [] } }).code, 34465);
    assert.equal(errorOf({ $zip: { inputs: [[]], defaults: [int(1)] } }).code, 34466);
    assert.equal(
      errorOf({ $zip: { inputs: [[]], defaults: [], useLongestLength: true, x: int(1) } }).code,
      34464,
    );
    assert.equal(errorOf({ $zip: { inputs: [int(1)] } }).code, 34468);
  });
});

void describe('set operators', () => {
  check([
    [
      {
        $setUnion: [
          [int(3), int(1)],
          [dbl(1), int(2), long(3)],
        ],
      },
      '[int:1, int:2, int:3]',
    ],
    // The server swaps to iterate the smaller set, so equal values come from the smaller array.
    [
      {
        $setIntersection: [
          [int(3), int(1), int(2)],
          [dbl(2), int(3)],
        ],
      },
      '[double:2, int:3]',
    ],
    [
      {
        $setIntersection: [
          [int(3), int(2)],
          [dbl(2), int(3)],
        ],
      },
      '[int:2, int:3]',
    ],
    [{ $setIntersection: [] }, '[]'],
    [{ $setUnion: [[int(1)], null] }, 'null'],
    [{ $setDifference: [[int(3), int(1), int(3), int(2)], [int(2)]] }, '[int:3, int:1]'],
    [
      {
        $setEquals: [
          [int(1), int(2), int(1)],
          [dbl(2), long(1)],
        ],
      },
      'bool:true',
    ],
    [{ $setEquals: [[int(1)], [int(1), int(2)]] }, 'bool:false'],
    [
      {
        $setIsSubset: [
          [int(1), int(1)],
          [int(1), int(2)],
        ],
      },
      'bool:true',
    ],
    [{ $setIsSubset: [[int(3)], [int(1), int(2)]] }, 'bool:false'],
    [{ $anyElementTrue: [[int(0), null, 'x']] }, 'bool:true'],
    [{ $allElementsTrue: [[int(1), []]] }, 'bool:true'],
    [{ $allElementsTrue: [[]] }, 'bool:true'],
  ]);
  void test('errors', () => {
    assert.deepEqual(errorOf({ $setEquals: [[]] }), {
      code: 17045,
      message: '$setEquals needs at least two arguments had: 1',
    });
    assert.deepEqual(errorOf({ $setEquals: [[], null] }), {
      code: 17044,
      message: 'All operands of $setEquals must be arrays. 2-th argument is of type: null',
    });
    assert.equal(errorOf({ $setUnion: [int(1)] }).code, 17043);
    assert.equal(errorOf({ $setIntersection: [int(1)] }).code, 17047);
    assert.equal(errorOf({ $setDifference: [int(1), []] }).code, 17048);
    assert.equal(errorOf({ $setDifference: [[], int(1)] }).code, 17049);
    assert.equal(errorOf({ $setIsSubset: ['$x', []] }, { x: int(1) }).code, 17310);
    assert.equal(errorOf({ $setIsSubset: ['$x', int(1)] }).code, 17311);
    assert.equal(errorOf({ $setIsSubset: ['$x', '$x'] }, { x: int(1) }).code, 17046);
    assert.equal(errorOf({ $anyElementTrue: int(1) }).code, 17041);
    assert.equal(errorOf({ $allElementsTrue: null }).code, 17040);
  });
});

void describe('objects', () => {
  check(
    [
      [
        { $objectToArray: { a: int(1), b: null } },
        '[{k: string:a, v: int:1}, {k: string:b, v: null}]',
      ],
      [
        {
          $arrayToObject: [
            [
              ['a', int(1)],
              ['b', int(2)],
              ['a', int(3)],
            ],
          ],
        },
        '{a: int:3, b: int:2}',
      ],
      [{ $arrayToObject: [[{ k: 'a', v: int(1) }]] }, '{a: int:1}'],
      [{ $arrayToObject: [[]] }, '{}'],
      [{ $arrayToObject: null }, 'null'],
      [{ $getField: 'a.b' }, 'int:7'],
      [{ $getField: { field: { $literal: '$x' }, input: { $literal: { $x: int(1) } } } }, 'int:1'],
      [{ $getField: { field: 'a', input: null } }, 'null'],
      [{ $getField: { field: 'a', input: int(1) } }, 'missing'],
      [
        { $setField: { field: 'b', input: { a: int(1), b: int(2) }, value: int(3) } },
        '{a: int:1, b: int:3}',
      ],
      [
        { $setField: { field: 'c.d', input: { a: int(1) }, value: int(3) } },
        '{a: int:1, c.d: int:3}',
      ],
      [{ $unsetField: { field: 'a', input: { a: int(1), b: int(2) } } }, '{b: int:2}'],
      [{ $setField: { field: 'a', input: null, value: int(1) } }, 'null'],
      [{ $mergeObjects: [{ a: int(1), b: int(1) }, null, { b: int(2) }] }, '{a: int:1, b: int:2}'],
      [{ $mergeObjects: [[{ a: int(1) }, { a: int(2), c: int(3) }]] }, '{a: int:2, c: int:3}'],
    ],
    { 'a.b': int(7) },
  );
  void test('errors', () => {
    assert.equal(errorOf({ $objectToArray: int(1) }).code, 40390);
    assert.equal(errorOf({ $arrayToObject: [[int(1)]] }).code, 40398);
    assert.equal(errorOf({ $arrayToObject: [[['a', int(1)], { k: 'b', v: int(1) }]] }).code, 40396);
    assert.equal(errorOf({ $arrayToObject: [[['a']]] }).code, 40397);
    assert.equal(errorOf({ $arrayToObject: [[[int(1), int(1)]]] }).code, 40395);
    assert.equal(errorOf({ $arrayToObject: [[{ k: 'a' }]] }).code, 40392);
    assert.equal(errorOf({ $arrayToObject: [[{ k: int(1), v: int(1) }]] }).code, 40394);
    assert.deepEqual(errorOf({ $getField: '$a' }), {
      code: 5654600,
      message:
        "'$CURRENT.a' is a field path reference which is not allowed in this context. Did you mean {$literal: '$CURRENT.a'}?",
    });
    assert.equal(
      errorOf({ $getField: { field: { $concat: ['a', '$b'] }, input: {} } }).code,
      5654601,
    );
    assert.equal(errorOf({ $getField: { field: 'a' } }).code, 3041703);
    assert.equal(errorOf({ $getField: { field: int(1), input: {} } }).code, 5654602);
    assert.equal(errorOf({ $getField: { input: {} } }).code, 3041702);
    assert.equal(
      errorOf({ $setField: { field: 'a', input: int(1), value: int(1) } }).code,
      4161105,
    );
    assert.equal(errorOf({ $unsetField: { field: 'a', input: {}, value: int(1) } }).code, 4161101);
    assert.equal(errorOf({ $setField: { field: 'a', input: {} } }).code, 4161103);
    assert.deepEqual(errorOf({ $mergeObjects: [int(1)] }), {
      code: 40400,
      message: '$mergeObjects requires object inputs, but input 1 is of type int',
    });
  });
});
