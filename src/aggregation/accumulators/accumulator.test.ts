/**
 * Accumulators as $group uses them: parse once, create state per group, feed evaluated
 * arguments, read the result. Expectations follow accumulator_*.cpp and the manual's examples.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Long } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { dbl, dec, evaluate, int, long, testScope, typed } from '../test-support.js';
import { decimalArithmeticAvailable } from '../expressions/decimal-bridge.js';
import { createAccumulator } from './accumulator.js';

const needsDecimal = decimalArithmeticAvailable
  ? false
  : 'needs Decimal128 arithmetic from src/bson/decimal.ts';

/** Runs an accumulator over documents, as one group, and renders the result. */
function run(
  name: string,
  argument: BsonValue,
  docs: BsonDocument[],
  groupKey: BsonDocument = {},
): string {
  const factory = createAccumulator(name, argument, testScope());
  const state = factory.create(groupKey, new Map());
  for (const doc of docs) state.process(factory.argument(doc, new Map()));
  return typed(state.result());
}

function codeOf(fn: () => unknown): number {
  try {
    fn();
  } catch (error) {
    if (error instanceof MongoError) return error.code;
    throw error;
  }
  throw new Error('expected an error');
}

const values = (...xs: BsonValue[]): BsonDocument[] => xs.map((x) => ({ x }));

void describe('$sum and $avg', () => {
  void test('types widen as the server does', () => {
    assert.equal(run('$sum', '$x', values(int(1), int(2))), 'int:3');
    assert.equal(run('$sum', '$x', values(int(2147483647), int(1))), 'long:2147483648');
    assert.equal(run('$sum', '$x', values(long(1), int(2))), 'long:3');
    assert.equal(
      run('$sum', '$x', values(long(9223372036854775807n), long(1))),
      'double:9223372036854776000',
    );
    assert.equal(run('$sum', '$x', values(int(1), dbl(0.5))), 'double:1.5');
    assert.equal(run('$sum', '$x', values('a', null, true)), 'int:0');
    assert.equal(run('$sum', '$x', []), 'int:0');
    assert.equal(run('$sum', int(1), values(null, null, null)), 'int:3');
    assert.equal(run('$avg', '$x', values(int(1), int(2), 'x')), 'double:1.5');
    assert.equal(run('$avg', '$x', values('x')), 'null');
  });

  void test('compensated summation: 0.1 ten times is exactly 1', () => {
    assert.equal(run('$sum', '$x', values(...new Array<BsonValue>(10).fill(dbl(0.1)))), 'double:1');
  });

  void test('long sums are exact even past 2^53', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }), { minLength: 1, maxLength: 20 }),
        (xs) => {
          const total = xs.reduce((a, b) => a + b, 0n);
          fc.pre(total >= -(2n ** 63n) && total < 2n ** 63n);
          assert.equal(
            run('$sum', '$x', values(...xs.map((x) => Long.fromBigInt(x)))),
            `long:${total}`,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  void test('decimal sums and averages', { skip: needsDecimal }, () => {
    assert.equal(run('$sum', '$x', values(dec('1.5'), int(1))), 'decimal:2.5');
    assert.equal(run('$avg', '$x', values(dec('1'), dec('2'))), 'decimal:1.5');
  });

  void test('$count is $sum: 1 and takes no arguments', () => {
    assert.equal(run('$count', {}, values(int(1), int(1))), 'int:2');
    assert.equal(
      codeOf(() => createAccumulator('$count', int(1), testScope())),
      14,
    );
  });
});

void describe('$min, $max, $first, $last, $push, $addToSet, $mergeObjects', () => {
  void test('$min/$max ignore nullish values and compare across types', () => {
    assert.equal(run('$min', '$x', values(null, int(3), dbl(2.5), 'a')), 'double:2.5');
    assert.equal(run('$max', '$x', values(int(3), 'a', null)), 'string:a');
    assert.equal(run('$max', '$x', values(null)), 'null');
    assert.equal(run('$min', '$x', values(int(1), dbl(1))), 'int:1');
  });

  void test('$first/$last keep the first/last value; missing reads as null', () => {
    assert.equal(run('$first', '$x', [{}, { x: int(1) }]), 'null');
    assert.equal(run('$last', '$x', values(int(1), int(2))), 'int:2');
  });

  void test('$push skips missing values, $addToSet also drops duplicates', () => {
    assert.equal(run('$push', '$x', [{ x: int(1) }, {}, { x: null }]), '[int:1, null]');
    assert.equal(run('$addToSet', '$x', values(int(1), dbl(1), int(2), long(2))), '[int:1, int:2]');
  });

  void test('$mergeObjects overrides fields in order and ignores nullish inputs', () => {
    assert.equal(
      run('$mergeObjects', '$x', values({ a: int(1), b: int(1) }, null, { b: int(2) })),
      '{a: int:1, b: int:2}',
    );
    assert.equal(
      codeOf(() => run('$mergeObjects', '$x', values(int(1)))),
      40400,
    );
  });
});

void describe('$stdDevPop and $stdDevSamp', () => {
  void test('the manual example: scores 62, 67, 70 (population), about 3.2998316455372216', () => {
    const result = run('$stdDevPop', '$x', values(int(62), int(67), int(70)));
    const [type, text] = result.split(':') as [string, string];
    assert.equal(type, 'double');
    // Welford's algorithm (accumulator_std_dev.cpp) lands within a few ulps of the exact value.
    const exact = Math.sqrt(98 / 9);
    assert.ok(Math.abs(Number(text) - exact) / exact < 4 * Number.EPSILON);
  });
  void test('sample deviation needs two values', () => {
    assert.equal(run('$stdDevSamp', '$x', values(int(1))), 'null');
    assert.equal(run('$stdDevSamp', '$x', values(int(1), int(3))), `double:${Math.SQRT2}`);
  });
});

void describe('n accumulators', () => {
  const docs = values(int(5), null, int(1), int(4), int(2));
  void test('$firstN/$lastN keep nulls; $minN/$maxN skip them', () => {
    assert.equal(run('$firstN', { n: int(2), input: '$x' }, docs), '[int:5, null]');
    assert.equal(run('$lastN', { n: int(2), input: '$x' }, docs), '[int:4, int:2]');
    assert.equal(run('$minN', { n: int(2), input: '$x' }, docs), '[int:1, int:2]');
    assert.equal(run('$maxN', { n: int(3), input: '$x' }, docs), '[int:5, int:4, int:2]');
  });
  void test('n may depend on the group key', () => {
    const argument = { n: { $cond: [{ $eq: ['$k', 'a'] }, int(1), int(3)] }, input: '$x' };
    assert.equal(run('$firstN', argument, docs, { k: 'a' }), '[int:5]');
    assert.equal(run('$firstN', argument, docs, { k: 'b' }), '[int:5, null, int:1]');
  });
  void test('n must be a positive integer', () => {
    assert.equal(
      codeOf(() => run('$firstN', { n: int(0), input: '$x' }, docs)),
      5787908,
    );
    assert.equal(
      codeOf(() => run('$firstN', { n: dbl(1.5), input: '$x' }, docs)),
      5787903,
    );
    assert.equal(
      codeOf(() => run('$firstN', { n: 'x', input: '$x' }, docs)),
      5787902,
    );
    assert.equal(
      codeOf(() => createAccumulator('$firstN', { input: '$x' }, testScope())),
      5787906,
    );
    assert.equal(
      codeOf(() => createAccumulator('$minN', int(1), testScope())),
      5787900,
    );
  });
});

void describe('$top, $bottom, $topN, $bottomN', () => {
  const players = [
    { player: 'a', score: int(31) },
    { player: 'b', score: int(99) },
    { player: 'c', score: int(1) },
    { player: 'd', score: int(99) },
    { player: 'e' },
  ];
  void test('sorted by sortBy; ties keep the first document seen', () => {
    assert.equal(
      run('$top', { output: '$player', sortBy: { score: int(-1) } }, players),
      'string:b',
    );
    assert.equal(
      run('$bottom', { output: '$player', sortBy: { score: int(-1) } }, players),
      'string:e',
    );
    assert.equal(
      run(
        '$topN',
        { n: int(3), output: ['$player', '$score'], sortBy: { score: int(-1) } },
        players,
      ),
      '[[string:b, int:99], [string:d, int:99], [string:a, int:31]]',
    );
    assert.equal(
      run('$bottomN', { n: int(2), output: '$player', sortBy: { score: int(1) } }, players),
      '[string:b, string:d]',
    );
    assert.equal(
      run('$topN', { n: int(2), output: '$missing', sortBy: { score: int(1) } }, players),
      '[null, null]',
    );
  });
  void test('arrays sort by their smallest element ascending, largest descending', () => {
    const docs = [
      { v: 'x', s: [int(5), int(1)] },
      { v: 'y', s: int(3) },
    ];
    assert.equal(run('$top', { output: '$v', sortBy: { s: int(1) } }, docs), 'string:x');
    assert.equal(run('$top', { output: '$v', sortBy: { s: int(-1) } }, docs), 'string:x');
  });
  void test('errors', () => {
    const scope = testScope();
    assert.equal(
      codeOf(() => createAccumulator('$top', { output: '$a' }, scope)),
      5788005,
    );
    assert.equal(
      codeOf(() => createAccumulator('$top', { sortBy: { a: int(1) } }, scope)),
      5788004,
    );
    assert.equal(
      codeOf(() => createAccumulator('$topN', { output: '$a', sortBy: { a: int(1) } }, scope)),
      5788003,
    );
    assert.equal(
      codeOf(() =>
        createAccumulator('$top', { n: int(1), output: '$a', sortBy: { a: int(1) } }, scope),
      ),
      5788002,
    );
    assert.equal(
      codeOf(() => createAccumulator('$top', { output: '$a', sortBy: { a: int(2) } }, scope)),
      15975,
    );
  });
});

void describe('$percentile and $median', () => {
  const docs = values(
    int(1),
    int(2),
    int(3),
    int(4),
    int(5),
    int(6),
    int(7),
    int(8),
    int(9),
    int(10),
    'x',
  );
  void test('discrete percentiles as doubles', () => {
    assert.equal(
      run(
        '$percentile',
        { input: '$x', p: [dbl(0.5), dbl(0.95), int(0), int(1)], method: 'approximate' },
        docs,
      ),
      '[double:5, double:10, double:1, double:10]',
    );
    assert.equal(run('$median', { input: '$x', method: 'approximate' }, docs), 'double:5');
  });
  void test('no numeric input gives nulls', () => {
    assert.equal(
      run(
        '$percentile',
        { input: '$x', p: [dbl(0.5), dbl(0.9)], method: 'approximate' },
        values('a'),
      ),
      '[null, null]',
    );
    assert.equal(run('$median', { input: '$x', method: 'approximate' }, []), 'null');
  });
  void test('spec errors', () => {
    const scope = testScope();
    assert.equal(
      codeOf(() =>
        createAccumulator(
          '$percentile',
          { input: '$x', p: [dbl(1.5)], method: 'approximate' },
          scope,
        ),
      ),
      2,
    );
    assert.equal(
      codeOf(() =>
        createAccumulator('$percentile', { input: '$x', p: [], method: 'approximate' }, scope),
      ),
      2,
    );
    assert.equal(
      codeOf(() =>
        createAccumulator('$percentile', { input: '$x', p: [dbl(0.5)], method: 'exact' }, scope),
      ),
      2,
    );
    assert.equal(
      codeOf(() => createAccumulator('$percentile', { input: '$x', p: [dbl(0.5)] }, scope)),
      40414,
    );
    assert.equal(
      codeOf(() =>
        createAccumulator('$median', { input: '$x', method: 'approximate', p: [] }, scope),
      ),
      40415,
    );
    assert.equal(
      codeOf(() => createAccumulator('$median', 'x', scope)),
      7436100,
    );
  });
});

void describe('parse errors', () => {
  void test('unknown accumulators, array arguments and JavaScript', () => {
    assert.equal(
      codeOf(() => createAccumulator('$foo', int(1), testScope())),
      15952,
    );
    assert.equal(
      codeOf(() => createAccumulator('$sum', [int(1)], testScope())),
      40237,
    );
    assert.equal(
      codeOf(() => createAccumulator('$accumulator', {}, testScope())),
      31264,
    );
  });
});

void describe('accumulators as expressions', () => {
  void test('one array operand is iterated, several operands are the inputs', () => {
    assert.equal(typed(evaluate({ $sum: [[int(1), int(2)]] })), 'int:3');
    assert.equal(typed(evaluate({ $sum: [int(1), int(2), 'x'] })), 'int:3');
    assert.equal(typed(evaluate({ $avg: [int(1), int(2)] })), 'double:1.5');
    assert.equal(typed(evaluate({ $max: [[int(1), int(9)], int(3)] })), '[int:1, int:9]');
    assert.equal(
      typed(evaluate({ $minN: { n: int(2), input: [int(3), int(1), int(2)] } })),
      '[int:1, int:2]',
    );
    assert.equal(
      typed(evaluate({ $lastN: { n: int(2), input: [int(3), int(1), int(2)] } })),
      '[int:1, int:2]',
    );
    assert.equal(
      typed(evaluate({ $median: { input: [int(3), int(1), int(2)], method: 'approximate' } })),
      'double:2',
    );
    assert.equal(typed(evaluate({ $stdDevPop: [int(1), int(1)] })), 'double:0');
  });
});
