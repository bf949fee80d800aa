/**
 * $unwind, $count, $sortByCount, $bucket and $bucketAuto (document_source_unwind.cpp,
 * document_source_count.cpp, document_source_bucket.cpp, document_source_bucket_auto.cpp,
 * granularity_rounder_*.cpp; examples from the manual's pages for these stages).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { dbl, int, typed } from '../test-support.js';
import { pipelineError, runPipeline } from './test-support.js';

const show = (docs: BsonDocument[]): string[] => docs.map(typed);

describe('$unwind', () => {
  const docs: BsonDocument[] = [
    { _id: int(1), a: [int(1), int(2)] },
    { _id: int(2), a: [] },
    { _id: int(3), a: null },
    { _id: int(4) },
    { _id: int(5), a: 'scalar' },
    { _id: int(6), a: { b: [int(7)] } },
  ];

  test('one document per element; non-arrays pass through; null, missing and [] are dropped', () => {
    assert.deepEqual(show(runPipeline([{ $unwind: '$a' }], docs)), [
      '{_id: int:1, a: int:1}',
      '{_id: int:1, a: int:2}',
      '{_id: int:5, a: string:scalar}',
      '{_id: int:6, a: {b: [int:7]}}',
    ]);
  });

  test('preserveNullAndEmptyArrays keeps them (an empty array loses its field); includeArrayIndex is a long', () => {
    const out = runPipeline(
      [{ $unwind: { path: '$a', includeArrayIndex: 'i', preserveNullAndEmptyArrays: true } }],
      docs,
    );
    assert.deepEqual(show(out), [
      '{_id: int:1, a: int:1, i: long:0}',
      '{_id: int:1, a: int:2, i: long:1}',
      '{_id: int:2, i: null}',
      '{_id: int:3, a: null, i: null}',
      '{_id: int:4, i: null}',
      '{_id: int:5, a: string:scalar, i: null}',
      '{_id: int:6, a: {b: [int:7]}, i: null}',
    ]);
  });

  test('a dotted path unwinds the nested array, with no traversal of arrays on the way', () => {
    assert.deepEqual(show(runPipeline([{ $unwind: '$a.b' }], docs)), [
      '{_id: int:6, a: {b: int:7}}',
    ]);
  });

  const errors: [BsonValue, number][] = [
    [int(1), 15981],
    ['a', 28818],
    [{ path: int(1) }, 28808],
    [{ path: '$a', preserveNullAndEmptyArrays: int(1) }, 28809],
    [{ path: '$a', includeArrayIndex: '' }, 28810],
    [{ path: '$a', x: int(1) }, 28811],
    [{}, 28812],
    [{ path: '$a', includeArrayIndex: '$i' }, 28822],
  ];
  for (const [spec, code] of errors) {
    test(`error ${code}`, () => assert.equal(pipelineError([{ $unwind: spec }]).code, code));
  }
});

describe('$count and $sortByCount', () => {
  const docs = ['a', 'b', 'a', 'c', 'a', 'b'].map((x, i) => ({ _id: int(i), x }));
  test('$count is one document with an int count', () => {
    assert.deepEqual(show(runPipeline([{ $count: 'n' }], docs)), ['{n: int:6}']);
    assert.deepEqual(show(runPipeline([{ $match: { x: 'z' } }, { $count: 'n' }], docs)), []);
  });

  test('$sortByCount groups and sorts by count descending', () => {
    assert.deepEqual(show(runPipeline([{ $sortByCount: '$x' }], docs)), [
      '{_id: string:a, count: int:3}',
      '{_id: string:b, count: int:2}',
      '{_id: string:c, count: int:1}',
    ]);
  });

  const errors: [BsonDocument, number][] = [
    [{ $count: int(1) }, 40156],
    [{ $count: '' }, 40157],
    [{ $count: '$n' }, 40158],
    [{ $count: 'a.b' }, 40160],
    [{ $sortByCount: { a: int(1) } }, 40147],
    [{ $sortByCount: 'x' }, 40148],
    [{ $sortByCount: int(1) }, 40149],
  ];
  for (const [stage, code] of errors) {
    test(`error ${code}`, () => assert.equal(pipelineError([stage]).code, code));
  }
});

describe('$bucket', () => {
  const docs = [int(1), int(5), dbl(10.5), int(20), int(3)].map((price) => ({ price }));
  test('buckets by boundaries, with a default bucket and custom outputs', () => {
    const out = runPipeline(
      [
        {
          $bucket: {
            groupBy: '$price',
            boundaries: [int(0), int(5), int(15)],
            default: 'other',
            output: { n: { $sum: int(1) }, max: { $max: '$price' } },
          },
        },
      ],
      docs,
    );
    assert.deepEqual(show(out), [
      '{_id: int:0, n: int:2, max: int:3}',
      '{_id: int:5, n: int:2, max: double:10.5}',
      '{_id: string:other, n: int:1, max: int:20}',
    ]);
  });

  test('a value outside every bucket without a default is $switch error 40066', () => {
    assert.equal(
      pipelineError([{ $bucket: { groupBy: '$price', boundaries: [int(0), int(5)] } }], docs).code,
      40066,
    );
  });

  const errors: [BsonValue, number][] = [
    [int(1), 40201],
    [{ groupBy: '$a', boundaries: [int(0), int(1)], foo: int(1) }, 40197],
    [{ groupBy: '$a' }, 40198],
    [{ groupBy: '$a', boundaries: int(1) }, 40200],
    [{ groupBy: 'a', boundaries: [int(0), int(1)] }, 40202],
    [{ groupBy: '$a', boundaries: [int(0), '$x'] }, 40191],
    [{ groupBy: '$a', boundaries: [int(0)] }, 40192],
    [{ groupBy: '$a', boundaries: [int(0), 'a'] }, 40193],
    [{ groupBy: '$a', boundaries: [int(5), int(1)] }, 40194],
    [{ groupBy: '$a', boundaries: [int(0), int(5)], default: int(3) }, 40199],
    [{ groupBy: '$a', boundaries: [int(0), int(5)], output: int(1) }, 40196],
  ];
  for (const [spec, code] of errors) {
    test(`error ${code}`, () => assert.equal(pipelineError([{ $bucket: spec }]).code, code));
  }
});

describe('$bucketAuto', () => {
  const docs = [int(1), int(2), int(2), int(3), int(4), int(5), int(6), int(7)].map((v, i) => ({
    _id: int(i),
    v,
  }));
  // round(8 / 3) = 3 documents per bucket; the two 2s stay together; the last bucket takes the rest.
  test('about n/buckets documents each; equal values never straddle a boundary', () => {
    const out = runPipeline([{ $bucketAuto: { groupBy: '$v', buckets: int(3) } }], docs);
    assert.deepEqual(show(out), [
      '{_id: {min: int:1, max: int:3}, count: int:3}',
      '{_id: {min: int:3, max: int:6}, count: int:3}',
      '{_id: {min: int:6, max: int:7}, count: int:2}',
    ]);
  });

  test('more buckets than documents gives one document per bucket; missing groups as null', () => {
    const out = runPipeline(
      [{ $bucketAuto: { groupBy: '$w', buckets: int(2), output: { ids: { $push: '$_id' } } } }],
      docs.slice(0, 2),
    );
    assert.deepEqual(show(out), ['{_id: {min: null, max: null}, ids: [int:0, int:1]}']);
  });

  test('granularity rounds the boundaries to the series (R5: 1.0, 1.6, 2.5, 4.0, 6.3, ...)', () => {
    const out = runPipeline(
      [{ $bucketAuto: { groupBy: '$v', buckets: int(2), granularity: 'R5' } }],
      docs,
    );
    assert.deepEqual(show(out), [
      '{_id: {min: double:0.63, max: double:4}, count: int:4}',
      '{_id: {min: double:4, max: double:10}, count: int:4}',
    ]);
  });

  test('POWERSOF2 rounds to powers of two with $pow result types', () => {
    const out = runPipeline(
      [{ $bucketAuto: { groupBy: '$v', buckets: int(2), granularity: 'POWERSOF2' } }],
      docs,
    );
    assert.deepEqual(show(out), [
      '{_id: {min: double:0.5, max: int:4}, count: int:4}',
      '{_id: {min: int:4, max: int:8}, count: int:4}',
    ]);
  });

  const errors: [BsonValue, number][] = [
    [int(1), 40240],
    [{ groupBy: 'v', buckets: int(1) }, 40239],
    [{ groupBy: '$v', buckets: 'x' }, 40241],
    [{ groupBy: '$v', buckets: dbl(1.5) }, 40242],
    [{ groupBy: '$v', buckets: int(0) }, 40243],
    [{ groupBy: '$v', buckets: int(1), output: int(1) }, 40244],
    [{ groupBy: '$v', buckets: int(1), foo: int(1) }, 40245],
    [{ groupBy: '$v' }, 40246],
    [{ groupBy: '$v', buckets: int(1), granularity: 'R7' }, 40257],
    [{ groupBy: '$v', buckets: int(1), granularity: int(1) }, 40261],
  ];
  for (const [spec, code] of errors) {
    test(`error ${code}`, () =>
      assert.equal(pipelineError([{ $bucketAuto: spec }], docs).code, code));
  }

  test('a granularity needs non-negative numbers (40258, 40260)', () => {
    const spec = { groupBy: '$v', buckets: int(2), granularity: 'E6' };
    assert.equal(pipelineError([{ $bucketAuto: spec }], [{ v: 'x' }]).code, 40258);
    assert.equal(pipelineError([{ $bucketAuto: spec }], [{ v: int(-1) }]).code, 40260);
  });
});
