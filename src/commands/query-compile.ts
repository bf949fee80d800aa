/**
 * The one place commands compile projections and sorts from the query language, next to
 * matcher.ts for filters.
 */
import type { BsonDocument } from '../bson/types.js';
import { compileProjection } from '../query/projection.js';
import { compileSort } from '../query/sort.js';

export type Projector = (doc: BsonDocument, details: { arrayIndex?: number }) => BsonDocument;
export type DocumentComparator = (a: BsonDocument, b: BsonDocument) => number;

export function compileProjectionFor(spec: BsonDocument): Projector | undefined {
  if (Object.keys(spec).length === 0) return undefined;
  const projection = compileProjection(spec);
  return (doc, details) => projection.apply(doc, details);
}

export function compileSortFor(spec: BsonDocument): DocumentComparator | undefined {
  if (Object.keys(spec).length === 0) return undefined;
  return compileSort(spec);
}
