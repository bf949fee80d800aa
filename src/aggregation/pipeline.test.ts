/**
 * Pipeline parsing and placement rules (Pipeline::validateCommon, validateTopLevelPipeline,
 * DocumentSource::parse) and the local rewrites, which must not change results.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BsonValue } from '../bson/types.js';
import { MongoError } from '../errors/mongo-error.js';
import { int, typed } from './test-support.js';
import { parsePipeline } from './pipeline.js';
import type { PipelineNesting } from './pipeline-context.js';
import { runPipeline, testContext } from './stages/test-support.js';
import { SortDefinition } from './stages/sort.js';

function parseError(
  pipeline: BsonValue[],
  options: { nesting?: PipelineNesting; collection?: string | undefined } = {},
): { code: number; message: string } {
  const { context, environment } = testContext({
    collection: 'collection' in options ? options.collection : 'c',
  });
  try {
    parsePipeline(pipeline, { ...context, nesting: options.nesting ?? 'top' });
  } catch (error) {
    if (error instanceof MongoError) return { code: error.code, message: error.message };
    throw error;
  } finally {
    environment.dispose();
  }
  throw new Error(`expected ${JSON.stringify(pipeline)} to fail`);
}

describe('pipeline parsing', () => {
  const cases: { name: string; pipeline: BsonValue[]; code: number; message?: RegExp | string }[] =
    [
      {
        name: 'a stage that is not an object',
        pipeline: [int(1)],
        code: 14,
        message: "Each element of the 'pipeline' array must be an object",
      },
      { name: 'two fields in one stage', pipeline: [{ $match: {}, $limit: int(1) }], code: 40323 },
      { name: 'an empty stage', pipeline: [{}], code: 40323 },
      {
        name: 'an unknown stage',
        pipeline: [{ $foo: {} }],
        code: 40324,
        message: "Unrecognized pipeline stage name: '$foo'",
      },
      {
        name: '$out before the end',
        pipeline: [{ $out: 'x' }, { $match: {} }],
        code: 40601,
        message: '$out can only be the final stage in the pipeline',
      },
      { name: '$merge before the end', pipeline: [{ $merge: 'x' }, { $match: {} }], code: 40601 },
      {
        name: '$collStats after the start',
        pipeline: [{ $match: {} }, { $collStats: {} }],
        code: 40602,
        message: '$collStats is only valid as the first stage in a pipeline',
      },
      { name: '$changeStream on a standalone', pipeline: [{ $changeStream: {} }], code: 40573 },
      { name: '$geoNear, which Shoal lacks', pipeline: [{ $geoNear: {} }], code: 238 },
      {
        name: '$documents on a collection',
        pipeline: [{ $documents: [] }],
        code: 73,
        message: "'$documents' can only be run with {aggregate: 1}",
      },
    ];
  for (const { name, pipeline, code, message } of cases) {
    test(name, () => {
      const error = parseError(pipeline);
      assert.equal(error.code, code);
      if (typeof message === 'string') assert.equal(error.message, message);
      else if (message !== undefined) assert.match(error.message, message);
    });
  }

  test('{aggregate: 1} needs a stage that runs without a collection', () => {
    assert.deepEqual(parseError([], { collection: undefined }), {
      code: 73,
      message: '{aggregate: 1} is not valid for an empty pipeline.',
    });
    assert.deepEqual(parseError([{ $match: {} }], { collection: undefined }), {
      code: 73,
      message: "{aggregate: 1} is not valid for '$match'; a collection is required.",
    });
  });

  test('writes are refused inside $lookup, $facet and $unionWith pipelines', () => {
    assert.equal(parseError([{ $out: 'x' }], { nesting: 'lookup' }).code, 51047);
    assert.equal(parseError([{ $merge: 'x' }], { nesting: 'facet' }).code, 40600);
    assert.equal(parseError([{ $out: 'x' }], { nesting: 'unionWith' }).code, 31441);
    assert.equal(
      parseError([{ $facet: { a: [{ $match: {} }] } }], { nesting: 'facet' }).code,
      40600,
    );
  });
});

describe('pipeline rewrites', () => {
  test('$sort absorbs a following $limit, and $skip then $limit becomes limit then skip', () => {
    const { context, environment } = testContext({ collection: 'c' });
    const pipeline = parsePipeline(
      [{ $sort: { a: int(1) } }, { $skip: int(2) }, { $limit: int(3) }],
      context,
    );
    environment.dispose();
    const sort = pipeline.stages[0];
    assert.ok(sort instanceof SortDefinition);
    assert.equal(sort.limit, 5);
    assert.deepEqual(
      pipeline.stages.map((stage) => stage.name),
      ['$sort', '$skip'],
    );
  });

  test('the rewritten pipeline returns what the written one means', () => {
    const docs = [5, 3, 8, 1, 9, 2, 7].map((a, i) => ({ _id: int(i), a: int(a) }));
    const result = runPipeline(
      [
        { $sort: { a: int(1) } },
        { $skip: int(2) },
        { $limit: int(3) },
        { $project: { _id: int(0) } },
      ],
      docs,
    );
    assert.deepEqual(result.map(typed), ['{a: int:3}', '{a: int:5}', '{a: int:7}']);
    const matchAfterSort = runPipeline(
      [
        { $sort: { a: int(-1) } },
        { $match: { a: { $lt: int(5) } } },
        { $project: { _id: int(0) } },
      ],
      docs,
    );
    assert.deepEqual(matchAfterSort.map(typed), ['{a: int:3}', '{a: int:2}', '{a: int:1}']);
  });
});
