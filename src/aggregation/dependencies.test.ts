import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EJSON } from 'bson';
import type { BsonValue } from '../bson/types.js';
import { parsePipeline } from './pipeline.js';
import { pipelineFields } from './dependencies.js';
import { testContext } from './stages/test-support.js';

function fieldsOf(pipeline: string): string[] | undefined {
  const run = testContext({ collection: 'c' });
  try {
    const specs = EJSON.parse(pipeline, { relaxed: false }) as BsonValue[];
    const fields = pipelineFields(parsePipeline(specs, run.context).stages);
    return fields === undefined ? undefined : [...fields].sort();
  } finally {
    run.environment.dispose();
  }
}

describe('pipelineFields', () => {
  test('a $group reads its key and accumulator arguments, and nothing after it matters', () => {
    assert.deepEqual(
      fieldsOf(
        '[{"$group": {"_id": "$category", "n": {"$sum": 1}, "avg": {"$avg": "$score.value"}}}, {"$project": {"zzz": 0}}]',
      ),
      ['category', 'score'],
    );
  });

  test('$match and $sort before a $group add their fields', () => {
    assert.deepEqual(
      fieldsOf(
        '[{"$match": {"a.b": 1, "$or": [{"c": 2}, {"d": {"$gt": 1}}]}}, {"$sort": {"e": 1}}, {"$group": {"_id": null, "s": {"$sum": "$f"}}}]',
      ),
      ['a', 'c', 'd', 'e', 'f'],
    );
  });

  test('an inclusion $project reads its fields and _id unless excluded', () => {
    assert.deepEqual(fieldsOf('[{"$project": {"a": 1, "b.c": 1, "x": {"$add": ["$y", 1]}}}]'), [
      '_id',
      'a',
      'b',
      'y',
    ]);
    assert.deepEqual(fieldsOf('[{"$project": {"_id": 0, "a": 1}}]'), ['a']);
  });

  test('anything that passes the whole document on, or reads $$ROOT, needs every field', () => {
    assert.equal(fieldsOf('[{"$match": {"a": 1}}]'), undefined);
    assert.equal(fieldsOf('[{"$project": {"a": 0}}]'), undefined);
    assert.equal(fieldsOf('[{"$addFields": {"x": 1}}]'), undefined);
    assert.equal(fieldsOf('[{"$group": {"_id": null, "docs": {"$push": "$$ROOT"}}}]'), undefined);
    assert.equal(
      fieldsOf('[{"$match": {"$jsonSchema": {"required": ["a"]}}}, {"$count": "n"}]'),
      undefined,
    );
    assert.equal(
      fieldsOf(
        '[{"$lookup": {"from": "o", "localField": "a", "foreignField": "b", "as": "j"}}, {"$count": "n"}]',
      ),
      undefined,
    );
  });

  test('$$CURRENT.x and $literal are understood', () => {
    assert.deepEqual(
      fieldsOf('[{"$group": {"_id": "$$CURRENT.k", "v": {"$first": {"$literal": "$notAField"}}}}]'),
      ['k'],
    );
  });
});
