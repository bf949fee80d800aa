/**
 * The collection options Shoal stores and reports in listCollections. Options whose
 * behaviour Shoal does not implement are refused up front rather than stored and ignored.
 */
import type { BsonDocument } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { bsonToString } from '../../bson/to-string.js';

const unsupported: Record<string, string> = {
  capped: 'capped collections',
  viewOn: 'views',
  timeseries: 'time series collections',
  clusteredIndex: 'clustered collections',
  encryptedFields: 'queryable encryption',
  collation: 'collations',
};

const validationLevels = new Set(['off', 'strict', 'moderate']);
const validationActions = new Set(['error', 'warn']);

export function createCollectionOptions(body: BsonDocument): BsonDocument {
  for (const [field, feature] of Object.entries(unsupported)) {
    const value = body[field];
    if (value === undefined || value === null || value === false) continue;
    throw new MongoError(
      'NotImplemented',
      `Shoal does not support ${feature} yet (create option '${field}')`,
    );
  }
  const options: BsonDocument = {};
  if (body.validator !== undefined) {
    if (!isDocument(body.validator))
      throw new MongoError('TypeMismatch', "'validator' must be an object");
    options.validator = body.validator;
  }
  for (const [field, allowed] of [
    ['validationLevel', validationLevels],
    ['validationAction', validationActions],
  ] as const) {
    const value = body[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !allowed.has(value)) {
      throw new MongoError(
        'BadValue',
        `Enumeration value '${bsonToString(value)}' for field '${field}' is not a valid value.`,
      );
    }
    options[field] = value;
  }
  for (const field of [
    'changeStreamPreAndPostImages',
    'storageEngine',
    'indexOptionDefaults',
  ] as const) {
    if (body[field] !== undefined) options[field] = body[field];
  }
  return options;
}
