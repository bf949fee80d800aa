/**
 * The one place commands compile filters, so every command wires $expr (and later
 * collation) the same way. PENDING the matcher branch: until it merges, only the empty
 * filter is accepted.
 */
import type { BsonDocument } from '../bson/types.js';
import { MongoError } from '../errors/mongo-error.js';

export type DocumentMatcher = (doc: BsonDocument, details?: { arrayIndex?: number }) => boolean;

export function compileMatcher(filter: BsonDocument): DocumentMatcher {
  if (Object.keys(filter).length === 0) return () => true;
  throw new MongoError('NotImplemented', 'query filters are not available yet');
}
