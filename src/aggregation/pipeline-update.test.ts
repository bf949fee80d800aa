/**
 * Pipeline-style updates: only the one-document stages are allowed, each with its stage's
 * semantics, $$NOW and `let` variables from the command.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BsonValue } from '../bson/types.js';
import { MongoError } from '../errors/mongo-error.js';
import { int, testScope, typed } from './test-support.js';
import { StageCompiler } from './pipeline-compiler.js';
import { compileUpdatePipeline } from './pipeline-update.js';

function compiler(variables: [string, BsonValue][] = []): StageCompiler {
  const scope = testScope();
  for (const [name] of variables) scope.variablesInScope.add(name);
  return StageCompiler.over({ scope, variables: new Map(variables) });
}

function codeOf(pipeline: BsonValue[]): number {
  try {
    compileUpdatePipeline(pipeline, compiler());
  } catch (error) {
    if (error instanceof MongoError) return error.code;
    throw error;
  }
  throw new Error('expected an error');
}

describe('compileUpdatePipeline', () => {
  test('applies $set, $unset, $project and $replaceWith in order', () => {
    const update = compileUpdatePipeline(
      [
        { $set: { total: { $add: ['$a', '$b'] }, 'n.x': int(1) } },
        { $unset: 'b' },
        { $project: { a: int(0) } },
        { $replaceWith: { $mergeObjects: ['$$ROOT', { at: '$$NOW' }] } },
      ],
      compiler(),
    );
    const out = update({ _id: int(1), a: int(2), b: int(3) });
    assert.equal(
      typed(out),
      '{_id: int:1, total: int:5, n: {x: int:1}, at: date:2024-01-02T03:04:05.678Z}',
    );
  });

  test('let variables are visible', () => {
    const update = compileUpdatePipeline(
      [{ $set: { v: '$$factor' } }],
      compiler([['factor', int(7)]]),
    );
    assert.equal(typed(update({})), '{v: int:7}');
  });

  test('other stages are InvalidOptions (72); unknown ones are 40324', () => {
    assert.equal(codeOf([{ $group: { _id: null } }]), 72);
    assert.equal(codeOf([{ $match: {} }]), 72);
    assert.equal(codeOf([{ $nope: {} }]), 40324);
    assert.equal(codeOf([int(1)]), 14);
    assert.equal(codeOf([{ $set: {}, $unset: 'a' }]), 40323);
  });
});
