/**
 * $densify (document_source_densify.cpp; SERVER-82446's example: bounds [4, 8) over
 * 2, 4, 6 gives 2, 4, 5, 6, 7) and $fill (its desugaring in jstests/.../fill/fill_parse.js).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { dbl, int, typed } from '../test-support.js';
import { pipelineError, runPipeline } from './test-support.js';

const values = (docs: BsonDocument[]): string[] =>
  docs.map((doc) => `${typed(doc.key ?? null)}:${typed(doc.num)}`);

describe('$densify', () => {
  const docs = [
    { key: int(1), num: int(2) },
    { key: int(1), num: int(4) },
    { key: int(1), num: int(6) },
    { key: int(2), num: int(5) },
  ];

  test('explicit bounds: values below pass through, gaps up to the exclusive upper bound are filled', () => {
    const out = runPipeline(
      [
        {
          $densify: {
            field: 'num',
            partitionByFields: ['key'],
            range: { step: int(1), bounds: [int(4), int(8)] },
          },
        },
      ],
      docs,
    );
    assert.deepEqual(values(out), [
      'int:1:int:2',
      'int:1:int:4',
      'int:1:int:5',
      'int:1:int:6',
      'int:2:int:4',
      'int:2:int:5',
      'int:1:int:7',
      'int:2:int:6',
      'int:2:int:7',
    ]);
  });

  test('"full" fills every partition over the global range; "partition" over its own', () => {
    const full = runPipeline(
      [
        {
          $densify: {
            field: 'num',
            partitionByFields: ['key'],
            range: { step: int(2), bounds: 'full' },
          },
        },
      ],
      docs,
    );
    assert.deepEqual(values(full), [
      'int:1:int:2',
      'int:1:int:4',
      'int:2:int:2',
      'int:2:int:4',
      'int:2:int:5',
      'int:1:int:6',
      'int:2:int:6',
    ]);
    const own = runPipeline(
      [
        {
          $densify: {
            field: 'num',
            partitionByFields: ['key'],
            range: { step: int(1), bounds: 'partition' },
          },
        },
      ],
      docs,
    );
    assert.deepEqual(values(own), [
      'int:1:int:2',
      'int:1:int:3',
      'int:1:int:4',
      'int:1:int:5',
      'int:1:int:6',
      'int:2:int:5',
    ]);
  });

  test('generated documents hold only the partition fields and the field; dates step by unit', () => {
    const days = [
      { at: new Date('2024-01-01T00:00:00Z'), x: int(1) },
      { at: new Date('2024-01-03T00:00:00Z'), x: int(2) },
    ];
    const out = runPipeline(
      [{ $densify: { field: 'at', range: { step: int(1), unit: 'day', bounds: 'full' } } }],
      days,
    );
    assert.deepEqual(out.map(typed), [
      '{at: date:2024-01-01T00:00:00.000Z, x: int:1}',
      '{at: date:2024-01-02T00:00:00.000Z}',
      '{at: date:2024-01-03T00:00:00.000Z, x: int:2}',
    ]);
  });

  test('null or missing values pass through untouched', () => {
    const out = runPipeline(
      [{ $densify: { field: 'num', range: { step: int(1), bounds: 'full' } } }],
      [{ num: null }, { num: int(1) }, { num: int(3) }, {}],
    );
    assert.deepEqual(
      out.map((doc) => typed(doc.num)),
      ['null', 'missing', 'int:1', 'int:2', 'int:3'],
    );
  });

  const errors: [BsonValue, number][] = [
    [int(1), 9],
    [{ field: 'num' }, 40414],
    [{ field: 'num', range: { step: int(0), bounds: 'full' } }, 5733401],
    [{ field: 'num', range: { step: int(1), bounds: 'partition' } }, 5733408],
    [{ field: 'num', range: { step: int(1), bounds: 'nope' } }, 5946802],
    [{ field: 'num', range: { step: int(1), bounds: int(1) } }, 5733404],
    [{ field: 'num', range: { step: int(1), bounds: [int(1)] } }, 5733403],
    [{ field: 'num', range: { step: int(1), bounds: [int(5), int(1)] } }, 5733402],
    [{ field: 'num', range: { step: int(1), bounds: [int(1), dbl(5)] } }, 5876900],
    [{ field: 'num', range: { step: dbl(1.5), unit: 'day', bounds: 'full' } }, 6586400],
    [{ field: 'num', range: { step: int(1), unit: 'day', bounds: [int(1), int(2)] } }, 5733409],
  ];
  for (const [spec, code] of errors) {
    test(`error ${code}`, () => assert.equal(pipelineError([{ $densify: spec }]).code, code));
  }
});

describe('$fill', () => {
  const docs = [
    { _id: int(1), t: int(1), v: int(10), w: 'x' },
    { _id: int(2), t: int(2), v: null },
    { _id: int(3), t: int(3), v: int(30), w: null },
  ];

  test('value, locf and linear outputs', () => {
    const out = runPipeline(
      [
        {
          $fill: {
            sortBy: { t: int(1) },
            output: { v: { method: 'linear' }, w: { method: 'locf' }, z: { value: int(0) } },
          },
        },
      ],
      docs,
    );
    assert.deepEqual(
      out.map((doc) => `${typed(doc.v)} ${typed(doc.w)} ${typed(doc.z)}`),
      ['int:10 string:x int:0', 'double:20 string:x int:0', 'int:30 string:x int:0'],
    );
  });

  // jstests/aggregation/sources/fill/fill_parse.js
  const errors: [BsonValue, number][] = [
    ['test', 9],
    [{}, 40414],
    [{ output: {} }, 6050203],
    [{ output: { test: { method: 'random' } } }, 6050202],
    [{ output: { test: 'random' } }, 6050200],
    [{ output: { test: { method: 'locf', second: 'locf' } } }, 40415],
    [
      {
        output: { test: { method: 'locf' } },
        partitionBy: { test: '$test' },
        partitionByFields: ['test'],
      },
      6050204,
    ],
    [{ output: { test: { method: 'linear' } }, partitionBy: { part: '$part' } }, 605001],
  ];
  for (const [spec, code] of errors) {
    test(`error ${code}`, () => assert.equal(pipelineError([{ $fill: spec }]).code, code));
  }
});
