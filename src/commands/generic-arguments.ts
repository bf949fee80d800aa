/**
 * Checks of the arguments every command may carry, for a standalone server: read concern
 * levels that need replication, cluster-time reads, transaction numbers, and collations
 * (which Shoal does not implement, so it refuses them instead of ignoring them).
 */
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { isDocument } from '../bson/types.js';
import { MongoError } from '../errors/mongo-error.js';
import { bsonToString } from '../bson/to-string.js';

const readConcernLevels = new Set(['local', 'available', 'majority', 'linearizable', 'snapshot']);

export function checkReadConcern(value: BsonValue | undefined): void {
  if (value === undefined || value === null) return;
  if (!isDocument(value)) throw new MongoError('FailedToParse', 'readConcern must be an object');
  const level = value.level;
  if (level !== undefined && (typeof level !== 'string' || !readConcernLevels.has(level))) {
    throw new MongoError('FailedToParse', `Invalid read concern level: ${bsonToString(level)}`);
  }
  if (level === 'snapshot' || level === 'linearizable') {
    throw new MongoError(
      'NotAReplicaSet',
      `node needs to be a replica set member to use readConcern: ${level}`,
    );
  }
  if (value.afterClusterTime !== undefined || value.atClusterTime !== undefined) {
    throw new MongoError(
      'IllegalOperation',
      'Cannot specify afterClusterTime readConcern without replication enabled',
    );
  }
  if (value.afterOpTime !== undefined) {
    throw new MongoError(
      'NotAReplicaSet',
      'node needs to be a replica set member to use read concern',
    );
  }
}

/** Only the simple collation (binary comparison) is implemented. */
export function checkCollation(value: BsonValue | undefined): void {
  if (value === undefined || value === null) return;
  if (!isDocument(value)) throw new MongoError('TypeMismatch', "'collation' must be an object");
  if (value.locale === 'simple' && Object.keys(value).length === 1) return;
  throw new MongoError(
    'NotImplemented',
    'Shoal does not support collations other than {locale: "simple"} yet',
  );
}

export function checkGenericArguments(body: BsonDocument): void {
  if (body.txnNumber !== undefined) {
    throw new MongoError(
      'IllegalOperation',
      'Transaction numbers are only allowed on a replica set member or mongos',
    );
  }
  checkReadConcern(body.readConcern);
  checkCollation(body.collation);
}
