/**
 * Pipeline-style updates (update and findAndModify with `u: [...]`, and $merge's
 * whenMatched pipeline): a pipeline of the stages that transform one document, compiled
 * once into a function. Any other stage is MongoDB's "not allowed to be used within an
 * update" error; an unknown one is "Unrecognized pipeline stage name".
 */
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { isDocument } from '../bson/types.js';
import { MongoError } from '../errors/mongo-error.js';
import type { QueryCompiler } from '../commands/query-compiler.js';
import { StageCompiler } from './pipeline-compiler.js';
import { compileAddFields } from './stages/add-fields.js';
import { compileAggregationProjection, exclusionSpec } from './stages/project.js';
import { stageParser } from './stages/registry.js';
import { compileReplaceRoot, newRootOf } from './stages/replace-root.js';
import { typeNameOf } from '../query/describe.js';

type Transform = (doc: BsonDocument) => BsonDocument;

function compileStage(name: string, spec: BsonValue, compiler: StageCompiler): Transform {
  switch (name) {
    case '$addFields':
    case '$set':
      if (!isDocument(spec)) {
        throw new MongoError(
          40272,
          `${name} specification stage must be an object, got ${typeNameOf(spec)}`,
        );
      }
      return compileAddFields(spec, compiler, name);
    case '$project':
      if (!isDocument(spec))
        throw new MongoError(15969, '$project specification must be an object');
      return compileAggregationProjection(spec, compiler, name);
    case '$unset':
      return compileAggregationProjection(exclusionSpec(spec), compiler, name);
    case '$replaceRoot':
    case '$replaceWith':
      return compileReplaceRoot(newRootOf(spec, name), compiler, name);
    default:
      if (stageParser(name) === undefined) {
        throw new MongoError(40324, `Unrecognized pipeline stage name: '${name}'`);
      }
      throw new MongoError('InvalidOptions', `${name} is not allowed to be used within an update`);
  }
}

/** Compiles an update pipeline against a stage compiler (whose variables the caller binds). */
export function compileUpdatePipeline(
  pipeline: readonly BsonValue[],
  compiler: StageCompiler,
): Transform {
  const transforms = pipeline.map((stage) => {
    if (!isDocument(stage)) {
      throw new MongoError(
        'TypeMismatch',
        "Each element of the 'pipeline' array must be an object",
      );
    }
    const names = Object.keys(stage);
    if (names.length !== 1) {
      throw new MongoError(
        40323,
        'A pipeline stage specification object must contain exactly one field.',
      );
    }
    const name = names[0] as string;
    return compileStage(name, stage[name], compiler);
  });
  return (doc) => {
    let current = doc;
    for (const transform of transforms) current = transform(current);
    return current;
  };
}

/**
 * For update and findAndModify: the command's compiler provides $$NOW and `let` variables.
 * The result is a new document; `_id` immutability is the caller's check.
 */
export function compilePipelineUpdate(
  pipeline: BsonValue[],
  compiler: QueryCompiler,
): (doc: BsonDocument) => BsonDocument {
  return compileUpdatePipeline(pipeline, StageCompiler.over(compiler));
}
