/** Parsing one entry of update's `updates` array. */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { checkFields, optionalArray, optionalBool, optionalDocument } from '../args.js';
import { checkCollation } from '../generic-arguments.js';

export interface UpdateStatement {
  filter: BsonDocument;
  update: BsonDocument;
  pipeline: BsonValue[] | undefined;
  /** `c`: constants a pipeline update reads as $$name. */
  constants: BsonValue | undefined;
  hint: BsonValue | undefined;
  upsert: boolean;
  multi: boolean;
  arrayFilters: BsonDocument[] | undefined;
}

/** The fields of an update statement in MongoDB 7.0 (`sort` arrived in 8.0). */
const statementFields = new Set([
  'q',
  'u',
  'c',
  'upsert',
  'multi',
  'arrayFilters',
  'hint',
  'collation',
  'upsertSupplied',
  'sampleId',
]);

export function parseUpdateStatement(value: BsonValue): UpdateStatement {
  if (!isDocument(value)) throw new MongoError('TypeMismatch', 'update statements must be objects');
  checkFields('update.updates', value, statementFields, { nested: true });
  checkCollation(value.collation);
  const filter = optionalDocument('update.updates', value, 'q');
  if (filter === undefined)
    throw new MongoError(40414, "BSON field 'update.updates.q' is missing but a required field");
  const u = value.u;
  if (u === undefined)
    throw new MongoError(40414, "BSON field 'update.updates.u' is missing but a required field");
  const pipeline = Array.isArray(u) ? u : undefined;
  if (pipeline === undefined && !isDocument(u)) {
    throw new MongoError('FailedToParse', 'Update argument must be either an object or an array');
  }
  const arrayFilters = optionalArray('update.updates', value, 'arrayFilters');
  if (arrayFilters !== undefined && !arrayFilters.every(isDocument)) {
    throw new MongoError('TypeMismatch', 'arrayFilters must be an array of objects');
  }
  const update = pipeline === undefined ? (u as BsonDocument) : {};
  const multi = optionalBool('update.updates', value, 'multi') ?? false;
  if (pipeline !== undefined && arrayFilters !== undefined) {
    throw new MongoError(
      'FailedToParse',
      'arrayFilters may not be specified for pipeline-style updates',
    );
  }
  if (value.c !== undefined && pipeline === undefined) {
    throw new MongoError(
      'FailedToParse',
      'Constant values may only be specified for pipeline updates',
    );
  }
  return {
    constants: value.c,
    hint: value.hint,
    filter,
    update,
    pipeline,
    upsert: optionalBool('update.updates', value, 'upsert') ?? false,
    multi,
    arrayFilters: arrayFilters,
  };
}
