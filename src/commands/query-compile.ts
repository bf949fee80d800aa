/**
 * The one place commands compile projections and sorts from the query language, next to
 * matcher.ts for filters. PENDING the matcher branch: until it merges, only the trivial
 * forms are accepted.
 */
import type { BsonDocument } from '../bson/types.js';
import { MongoError } from '../errors/mongo-error.js';
import { compileSort } from '../query/sort.js';

export type Projector = (doc: BsonDocument, details: { arrayIndex?: number }) => BsonDocument;
export type DocumentComparator = (a: BsonDocument, b: BsonDocument) => number;

export function compileProjectionFor(spec: BsonDocument): Projector | undefined {
  if (Object.keys(spec).length === 0) return undefined;
  throw new MongoError('NotImplemented', 'projections are not available yet');
}

export function compileSortFor(spec: BsonDocument): DocumentComparator | undefined {
  if (Object.keys(spec).length === 0) return undefined;
  return compileSort(spec);
}
