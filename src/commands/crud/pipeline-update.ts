/**
 * Pipeline-style updates (`u: [{$set: ...}, ...]`) as a CompiledUpdate, so update,
 * upsert and findAndModify treat them like operator updates: a document counts as
 * modified only if its bytes change.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { compilePipelineUpdate } from '../../aggregation/pipeline-update.js';
import { documentsBinaryEqual } from '../../query/update/binary-equal.js';
import type { CompiledUpdate } from '../../query/update/index.js';
import type { QueryCompiler } from '../query-compiler.js';

export function compiledPipelineUpdate(
  pipeline: BsonValue[],
  compiler: QueryCompiler,
): CompiledUpdate {
  const transform = compilePipelineUpdate(pipeline, compiler);
  return {
    kind: 'operators',
    apply(doc: BsonDocument) {
      const output = transform(doc);
      // A pipeline that drops _id ($replaceRoot, $project) keeps the document's own _id.
      const after =
        output._id === undefined && doc._id !== undefined ? { _id: doc._id, ...output } : output;
      return { doc: after, modified: !documentsBinaryEqual(doc, after) };
    },
  };
}

/** The command's `let` and the statement's constants (`c`), as one set of variables. */
export function statementVariables(
  letVariables: BsonValue | undefined,
  constants: BsonValue | undefined,
): BsonValue | undefined {
  if (constants === undefined || constants === null) return letVariables;
  if (letVariables === undefined || letVariables === null) return constants;
  return { ...(letVariables as BsonDocument), ...(constants as BsonDocument) };
}
