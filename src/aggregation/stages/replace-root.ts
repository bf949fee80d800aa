/**
 * $replaceRoot {newRoot: <expr>} and $replaceWith <expr>: the document becomes the value of
 * the expression, which must be a document (ReplaceRootTransformation).
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { typeNameOf } from '../../query/describe.js';
import { formatDocument, formatValue, typeName } from '../expressions/values.js';
import type { StageCompiler } from '../pipeline-compiler.js';
import type { ParseContext, StageDefinition } from '../pipeline-context.js';
import { checkSpecFields } from './spec-fields.js';
import { TransformDefinition } from './stage-support.js';

/** A compiled replacement, also used by pipeline-style updates. */
export function compileReplaceRoot(
  newRoot: BsonValue,
  compiler: StageCompiler,
  name: string,
): (doc: BsonDocument) => BsonDocument {
  const expression = compiler.expression(newRoot);
  const opener = name === '$replaceWith' ? "'replacement document'" : "'newRoot' expression";
  return (doc) => {
    const value = expression(doc);
    if (!isDocument(value)) {
      throw new MongoError(
        40228,
        `${opener} must evaluate to an object, but resulting value was: ${formatValue(value)}. ` +
          `Type of resulting value: '${typeName(value)}'. Input document: ${formatDocument(doc)}`,
      );
    }
    return value;
  };
}

/** The newRoot expression of a $replaceRoot or $replaceWith specification. */
export function newRootOf(spec: BsonValue, name: string): BsonValue {
  if (name === '$replaceWith') return spec;
  if (!isDocument(spec)) {
    throw new MongoError(
      40229,
      `expected an object as specification for $replaceRoot stage, got ${typeNameOf(spec)}`,
    );
  }
  checkSpecFields('$replaceRoot', spec, ['newRoot'], ['newRoot']);
  return spec.newRoot;
}

export function parseReplaceRoot(
  spec: BsonValue,
  context: ParseContext,
  name: string,
): StageDefinition {
  const apply = compileReplaceRoot(newRootOf(spec, name), context.compiler, name);
  return new TransformDefinition(name, spec, 'REPLACE_ROOT', apply);
}
