/**
 * $setWindowFields (window_bounds.cpp, partition_iterator.cpp, window_function_*.cpp):
 * document and range windows, the rank functions, $shift, $derivative, $integral,
 * $expMovingAvg, $covariance*, $locf and $linearFill, and the parse errors.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BsonDocument, BsonValue } from '../../../bson/types.js';
import { dbl, int, typed } from '../../test-support.js';
import { pipelineError, runPipeline } from '../test-support.js';

const docs: BsonDocument[] = [
  { _id: int(1), p: 'A', t: int(1), v: int(10) },
  { _id: int(2), p: 'A', t: int(2), v: int(20) },
  { _id: int(3), p: 'A', t: int(4), v: null },
  { _id: int(4), p: 'A', t: int(5), v: int(40) },
  { _id: int(5), p: 'B', t: int(1), v: int(5) },
  { _id: int(6), p: 'B', t: int(1), v: int(7) },
];

/** One output field per document, in output order. */
function outputs(
  output: BsonDocument,
  sortBy: BsonDocument | undefined = { t: int(1) },
  partitionBy: BsonValue = '$p',
): string[] {
  const spec: BsonDocument = { partitionBy, output: { r: output } };
  if (sortBy !== undefined) spec.sortBy = sortBy;
  return runPipeline([{ $setWindowFields: spec }], docs).map(
    (doc) => `${typed(doc._id)}=${typed(doc.r)}`,
  );
}

describe('accumulator windows', () => {
  test('running total over documents [unbounded, current]', () => {
    assert.deepEqual(outputs({ $sum: '$v', window: { documents: ['unbounded', 'current'] } }), [
      'int:1=int:10',
      'int:2=int:30',
      'int:3=int:30',
      'int:4=int:70',
      'int:5=int:5',
      'int:6=int:12',
    ]);
  });

  test('the default window is the whole partition', () => {
    assert.deepEqual(outputs({ $max: '$v' }), [
      'int:1=int:40',
      'int:2=int:40',
      'int:3=int:40',
      'int:4=int:40',
      'int:5=int:7',
      'int:6=int:7',
    ]);
  });

  test('a sliding document window is clamped to the partition; an empty one gives the empty value', () => {
    assert.deepEqual(
      outputs({ $push: '$v', window: { documents: [int(-1), int(0)] } }).slice(0, 4),
      ['int:1=[int:10]', 'int:2=[int:10, int:20]', 'int:3=[int:20, null]', 'int:4=[null, int:40]'],
    );
    assert.deepEqual(outputs({ $sum: '$v', window: { documents: [int(5), int(6)] } }).slice(0, 1), [
      'int:1=int:0',
    ]);
  });

  test('range windows compare sortBy values, "current" is the current document', () => {
    assert.deepEqual(outputs({ $avg: '$v', window: { range: [int(-1), int(1)] } }).slice(0, 4), [
      'int:1=double:15',
      'int:2=double:15',
      'int:3=double:40',
      'int:4=double:40',
    ]);
    // Ties: with [unbounded, current] the tie after the current document is outside.
    assert.deepEqual(
      outputs({ $sum: '$v', window: { range: ['unbounded', 'current'] } }).slice(4),
      ['int:5=int:5', 'int:6=int:12'],
    );
    assert.deepEqual(outputs({ $sum: '$v', window: { range: ['unbounded', int(0)] } }).slice(4), [
      'int:5=int:12',
      'int:6=int:12',
    ]);
  });

  test('range windows need numeric sortBy values (5429414)', () => {
    assert.equal(
      pipelineError(
        [
          {
            $setWindowFields: {
              sortBy: { p: int(1) },
              output: { r: { $sum: int(1), window: { range: [int(0), int(1)] } } },
            },
          },
        ],
        docs,
      ).code,
      5429414,
    );
  });
});

describe('position functions', () => {
  test('$rank, $denseRank and $documentNumber', () => {
    const sortBy = { t: int(1) };
    assert.deepEqual(outputs({ $rank: {} }, sortBy, null), [
      'int:1=int:1',
      'int:5=int:1',
      'int:6=int:1',
      'int:2=int:4',
      'int:3=int:5',
      'int:4=int:6',
    ]);
    assert.deepEqual(outputs({ $denseRank: {} }, sortBy, null), [
      'int:1=int:1',
      'int:5=int:1',
      'int:6=int:1',
      'int:2=int:2',
      'int:3=int:3',
      'int:4=int:4',
    ]);
    assert.deepEqual(
      outputs({ $documentNumber: {} }, sortBy, null).map((s) => s.split('=')[1]),
      ['int:1', 'int:2', 'int:3', 'int:4', 'int:5', 'int:6'],
    );
  });

  test('$shift reads another document of the partition, or the default', () => {
    assert.deepEqual(outputs({ $shift: { output: '$v', by: int(1), default: 'end' } }), [
      'int:1=int:20',
      'int:2=null',
      'int:3=int:40',
      'int:4=string:end',
      'int:5=int:7',
      'int:6=string:end',
    ]);
  });
});

describe('numeric window functions', () => {
  test('$derivative is rise over run between the window ends', () => {
    assert.deepEqual(
      outputs({ $derivative: { input: '$t' }, window: { documents: [int(-1), int(0)] } }).slice(
        0,
        2,
      ),
      ['int:1=null', 'int:2=double:1'],
    );
  });

  test('$integral sums trapezoids', () => {
    const points = [
      { _id: int(1), t: int(0), v: int(0) },
      { _id: int(2), t: int(2), v: int(4) },
      { _id: int(3), t: int(3), v: int(4) },
    ];
    const out = runPipeline(
      [
        {
          $setWindowFields: {
            sortBy: { t: int(1) },
            output: {
              r: { $integral: { input: '$v' }, window: { documents: ['unbounded', 'current'] } },
            },
          },
        },
      ],
      points,
    );
    assert.deepEqual(
      out.map((doc) => typed(doc.r)),
      ['int:0', 'double:4', 'double:8'],
    );
  });

  test('$expMovingAvg with N and with alpha', () => {
    assert.deepEqual(outputs({ $expMovingAvg: { input: '$v', N: int(3) } }).slice(0, 2), [
      'int:1=double:10',
      'int:2=double:15',
    ]);
    assert.deepEqual(outputs({ $expMovingAvg: { input: '$v', alpha: dbl(0.25) } }).slice(0, 2), [
      'int:1=double:10',
      'int:2=double:12.5',
    ]);
  });

  test('$covariancePop and $covarianceSamp', () => {
    assert.deepEqual(outputs({ $covariancePop: ['$t', '$t'] }).slice(4), [
      'int:5=double:0',
      'int:6=double:0',
    ]);
    // Pairs with a numeric v: (1,10), (1,5), (1,7), (2,20), (5,40): the sum of products of
    // deviations from (2, 16.4) is 98, over n - 1 = 4.
    assert.deepEqual(outputs({ $covarianceSamp: ['$t', '$v'] }, { t: int(1) }, null).slice(0, 1), [
      'int:1=double:24.5',
    ]);
  });

  test('$locf and $linearFill', () => {
    assert.deepEqual(outputs({ $locf: '$v' }).slice(0, 4), [
      'int:1=int:10',
      'int:2=int:20',
      'int:3=int:20',
      'int:4=int:40',
    ]);
    // (2, 20) to (5, 40): at t = 4, 20 + 2 * 20 / 3.
    const filled = runPipeline(
      [
        { $match: { p: 'A' } },
        { $setWindowFields: { sortBy: { t: int(1) }, output: { r: { $linearFill: '$v' } } } },
      ],
      docs,
    );
    assert.deepEqual(
      filled.map((doc) => typed(doc.r)),
      ['int:10', 'int:20', 'double:33.333333333333336', 'int:40'],
    );
    // Partition B has two documents at t = 1.
    assert.equal(
      pipelineError(
        [
          {
            $setWindowFields: {
              partitionBy: '$p',
              sortBy: { t: int(1) },
              output: { r: { $linearFill: '$v' } },
            },
          },
        ],
        docs,
      ).code,
      6050106,
    );
  });
});

describe('parsing', () => {
  const errors: [BsonValue, number][] = [
    [int(1), 9],
    [{ sortBy: { t: int(1) } }, 40414],
    [{ output: { r: { $foo: int(1) } } }, 9],
    [{ output: { r: { a: int(1) } } }, 9],
    [{ output: { r: int(1) } }, 9],
    [{ output: { r: { $rank: {} } } }, 5371602],
    [{ sortBy: { t: int(1) }, output: { r: { $rank: int(1) } } }, 5371603],
    [{ output: { r: { $sum: int(1), window: { documents: [int(0), int(1)] } } } }, 5339901],
    [
      {
        sortBy: { t: int(1) },
        output: { r: { $sum: int(1), window: { documents: [int(1), int(0)] } } },
      },
      5339900,
    ],
    [
      {
        sortBy: { t: int(1), v: int(1) },
        output: { r: { $sum: int(1), window: { range: [int(0), int(1)] } } },
      },
      5339902,
    ],
    [
      {
        sortBy: { t: int(1) },
        output: { r: { $sum: int(1), window: { range: [int(0), int(1)], unit: 'eon' } } },
      },
      9,
    ],
    [{ sortBy: { t: int(1) }, output: { r: { $derivative: { input: '$v' } } } }, 9],
    [{ output: { r: { $shift: { output: '$v', by: int(1) } } } }, 9],
    [
      {
        sortBy: { t: int(1) },
        output: {
          r: {
            $derivative: { input: '$v', unit: 'month' },
            window: { documents: [int(0), int(1)] },
          },
        },
      },
      5490710,
    ],
  ];
  for (const [spec, code] of errors) {
    test(`error ${code}: ${JSON.stringify(spec)}`, () =>
      assert.equal(pipelineError([{ $setWindowFields: spec }], docs).code, code));
  }
});
