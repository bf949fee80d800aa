/**
 * Replacement-style updates (object_replace_executor.cpp): every field but _id is
 * replaced; _id is kept when the replacement has none and may not change when it has one.
 * Top-level zero Timestamps are filled with the current one, as on insert.
 */
import { compareValues } from '../../bson/compare.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { BsonType, bsonTypeOf } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { documentsBinaryEqual } from './binary-equal.js';
import { bsonElementToString } from '../../bson/to-string.js';
import { finishDocument } from './finish-document.js';
import { validateDocumentForStorage } from './storage-validation.js';
import type { CompiledUpdate, CompileUpdateOptions, UpdateContext } from './types.js';
import { setField } from './working-document.js';

export function compileReplacement(
  replacement: BsonDocument,
  options: Pick<CompileUpdateOptions, 'multi'>,
): CompiledUpdate {
  if (options.multi === true) {
    throw new MongoError(
      'FailedToParse',
      'multi update is not supported for replacement-style update',
    );
  }
  const hasId = Object.hasOwn(replacement, '_id');
  const zeroTimestamps = Object.keys(replacement).filter(
    (name) => name !== '_id' && isZeroTimestamp(replacement[name]),
  );
  return {
    kind: 'replacement',
    apply(doc, context) {
      const target = zeroTimestamps.length === 0 ? replacement : stamped(replacement, context);
      if (documentsBinaryEqual(doc, target)) return { doc, modified: false };
      const result: BsonDocument = {};
      if (!hasId && Object.hasOwn(doc, '_id')) setField(result, '_id', doc._id);
      for (const [name, value] of Object.entries(target)) setField(result, name, value);
      if (!context.isInsert) validateDocumentForStorage(result, false);
      checkIdUnchanged(doc, result);
      return { doc: finishDocument(result, context.isInsert), modified: true };
    },
  };
}

function isZeroTimestamp(value: BsonValue): boolean {
  if (bsonTypeOf(value) !== BsonType.timestamp) return false;
  const timestamp = value as { low: number; high: number };
  return timestamp.low === 0 && timestamp.high === 0;
}

function stamped(replacement: BsonDocument, context: UpdateContext): BsonDocument {
  const result: BsonDocument = {};
  for (const [name, value] of Object.entries(replacement)) {
    const filled = name !== '_id' && isZeroTimestamp(value) ? context.nowTimestamp : value;
    setField(result, name, filled);
  }
  return result;
}

function checkIdUnchanged(original: BsonDocument, updated: BsonDocument): void {
  if (!Object.hasOwn(updated, '_id')) return;
  const id = updated._id;
  if (Array.isArray(id)) {
    throw new MongoError(
      'NotSingleValueField',
      "After applying the update to the document, the (immutable) field '_id' was found to " +
        'be an array or array descendant.',
    );
  }
  if (!Object.hasOwn(original, '_id')) return;
  if (compareValues(original._id, id) !== 0) {
    throw new MongoError(
      'ImmutableField',
      "After applying the update, the (immutable) field '_id' was found to have been " +
        `altered to ${bsonElementToString('_id', id)}`,
    );
  }
}
