/**
 * The remaining operators: $literal/$const, $rand (injected Random), $meta (Shoal has no text,
 * geo or search metadata), $function (Shoal runs no JavaScript), $bsonSize, $binarySize,
 * $tsSecond and $tsIncrement.
 */
import { Double, Int32, Long } from 'bson';
import { isDocument } from '../../bson/types.js';
import type { BsonValue } from '../../bson/types.js';
import { encodeDocument } from '../../bson/serialize.js';
import { MongoError } from '../../errors/mongo-error.js';
import { systemRandom } from '../../platform/random.js';
import { unary } from './arguments.js';
import { constant } from './constants.js';
import type { CompiledExpression, OperatorContext, OperatorTable } from './types.js';
import { isNullish, typeName } from './values.js';

function compileLiteral(argument: BsonValue): CompiledExpression {
  return constant(argument);
}

function compileRand(argument: BsonValue, context: OperatorContext): CompiledExpression {
  if (!isDocument(argument)) {
    throw new MongoError(10065, 'invalid parameter: expected an object ($rand)');
  }
  if (Object.keys(argument).length > 0) {
    throw new MongoError(3040501, '$rand does not currently accept arguments');
  }
  const random = context.scope.random ?? systemRandom;
  return () => new Double(random.next());
}

const metadataNames = new Set([
  'textScore',
  'randVal',
  'searchScore',
  'searchHighlights',
  'geoNearDistance',
  'geoNearPoint',
  'recordId',
  'indexKey',
  'sortKey',
  'searchScoreDetails',
  'timeseriesBucketMinTime',
  'timeseriesBucketMaxTime',
]);

/** Metadata only text, geo or Atlas Search queries produce; Shoal has none of them. */
const searchMetadata = new Set([
  'textScore',
  'searchScore',
  'searchHighlights',
  'searchScoreDetails',
  'geoNearDistance',
  'geoNearPoint',
]);

function compileMeta(argument: BsonValue): CompiledExpression {
  if (typeof argument !== 'string')
    throw new MongoError(17307, '$meta only supports string arguments');
  if (!metadataNames.has(argument)) {
    throw new MongoError(17308, `Unsupported argument to $meta: ${argument}`);
  }
  if (searchMetadata.has(argument)) {
    throw new MongoError(
      40218,
      `query requires ${argument} metadata, but it is not available (Shoal does not support text, geo or search queries)`,
    );
  }
  // Other metadata (randVal, recordId, indexKey, sortKey, ...) is not attached to documents.
  return constant(undefined);
}

function compileFunction(): CompiledExpression {
  throw new MongoError(
    31264,
    'Cannot run server-side javascript without the javascript engine enabled: Shoal does not run JavaScript ($function)',
  );
}

function compileBsonSize(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operand = unary(argument, context);
  return (root, variables) => {
    const value = operand(root, variables);
    if (isNullish(value)) return null;
    if (!isDocument(value)) {
      throw new MongoError(31393, `$bsonSize requires a document input, found: ${typeName(value)}`);
    }
    return new Int32(encodeDocument(value).length);
  };
}

function compileBinarySize(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operand = unary(argument, context);
  return (root, variables) => {
    const value = operand(root, variables);
    if (isNullish(value)) return null;
    if (typeof value === 'string') return new Int32(Buffer.byteLength(value, 'utf8'));
    if ((value as { _bsontype?: string })._bsontype === 'Binary') {
      return new Int32((value as { position: number }).position);
    }
    throw new MongoError(
      51276,
      `$binarySize requires a string or BinData argument, found: ${typeName(value)}`,
    );
  };
}

function compileTimestampPart(part: 't' | 'i', code: number) {
  return (argument: BsonValue, context: OperatorContext): CompiledExpression => {
    const operand = unary(argument, context);
    return (root, variables) => {
      const value = operand(root, variables);
      if (isNullish(value)) return null;
      if ((value as { _bsontype?: string })._bsontype !== 'Timestamp') {
        throw new MongoError(
          code,
          ` Argument to ${context.name} must be a timestamp, but is ${typeName(value)}`,
        );
      }
      return Long.fromNumber((value as { t: number; i: number })[part]);
    };
  };
}

/** Operators whose value differs per evaluation, or that must never run at parse time. */
export const unfoldableMiscOperators = ['$rand', '$meta'];

export const miscOperators: OperatorTable = {
  $literal: compileLiteral,
  $const: compileLiteral,
  $rand: compileRand,
  $meta: compileMeta,
  $function: compileFunction,
  $bsonSize: compileBsonSize,
  $binarySize: compileBinarySize,
  $tsSecond: compileTimestampPart('t', 5687301),
  $tsIncrement: compileTimestampPart('i', 5687302),
};
