/**
 * $project and $unset. Both are the find projection language under the aggregation policies
 * (ProjectionPolicies::aggregateProjectionPolicies): the find-only features, positional `$`,
 * $elemMatch and find's $slice, do not exist, so `{$slice: ...}` and `{$elemMatch: ...}` are
 * aggregation expressions; an empty specification is an error; errors carry the server's
 * "Invalid $project" context.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { compileProjection } from '../../query/projection.js';
import type { StageCompiler } from '../pipeline-compiler.js';
import type { ParseContext, StageDefinition } from '../pipeline-context.js';
import { TransformDefinition, withContext } from './stage-support.js';

/** Rejects or reinterprets what only find() allows, walking nested specifications. */
function checkAggregationPolicies(spec: BsonDocument, compiler: StageCompiler): void {
  for (const [name, value] of Object.entries(spec)) {
    if (name.endsWith('.$') || name.includes('.$.') || name === '$') {
      throw new MongoError(31324, 'Cannot use positional projection in aggregation projection');
    }
    if (!isDocument(value)) continue;
    const keys = Object.keys(value);
    const first = keys[0];
    if (keys.length === 1 && (first === '$slice' || first === '$elemMatch')) {
      // Only the expression forms exist here: compiling reports their errors, and a $slice
      // the find parser would accept never compiles as an expression.
      compiler.compile(value);
    } else if (first !== undefined && !first.startsWith('$')) {
      checkAggregationPolicies(value, compiler);
    }
  }
}

/** A compiled projection function for $project-like specs (also used by pipeline updates). */
export function compileAggregationProjection(
  spec: BsonDocument,
  compiler: StageCompiler,
  stageName: string,
): (doc: BsonDocument) => BsonDocument {
  return withContext(`Invalid ${stageName}`, () => {
    if (Object.keys(spec).length === 0) {
      throw new MongoError(51272, 'projection specification must have at least one field');
    }
    checkAggregationPolicies(spec, compiler);
    const projection = compileProjection(spec, {
      compileExpression: (expression) => compiler.expression(expression),
    });
    return (doc) => projection.apply(doc);
  });
}

export function parseProject(
  spec: BsonValue,
  context: ParseContext,
  name: string,
): StageDefinition {
  if (!isDocument(spec)) throw new MongoError(15969, `${name} specification must be an object`);
  return new TransformDefinition(
    name,
    spec,
    'PROJECTION',
    compileAggregationProjection(spec, context.compiler, name),
  );
}

/** $unset's fields as an exclusion projection. */
export function exclusionSpec(spec: BsonValue): BsonDocument {
  let fields: string[];
  if (typeof spec === 'string') {
    fields = [spec];
  } else {
    if (!Array.isArray(spec)) {
      throw new MongoError(31002, '$unset specification must be a string or an array');
    }
    if (spec.length === 0) {
      throw new MongoError(
        31119,
        '$unset specification must be a string or an array with at least one field',
      );
    }
    fields = spec.map((field) => {
      if (typeof field !== 'string') {
        throw new MongoError(
          31120,
          '$unset specification must be a string or an array containing only string values',
        );
      }
      return field;
    });
  }
  const exclusion: BsonDocument = {};
  for (const field of fields) exclusion[field] = false;
  return exclusion;
}

/** $unset: 'a' or ['a', 'b.c'], an exclusion projection. */
export function parseUnset(spec: BsonValue, context: ParseContext, name: string): StageDefinition {
  return new TransformDefinition(
    name,
    spec,
    'PROJECTION',
    compileAggregationProjection(exclusionSpec(spec), context.compiler, name),
  );
}
