/**
 * The keys a document contributes to an index. TEMPORARY: dotted paths without array
 * expansion (multikey arrives with secondary indexes); the `_id` index is exact.
 */
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { isDocument } from '../bson/types.js';
import type { IndexEntry } from './catalog-entry.js';

function valueAtPath(doc: BsonDocument, path: string): BsonValue {
  let current: BsonValue = doc;
  for (const part of path.split('.')) {
    if (!isDocument(current)) return null;
    const next: BsonValue | undefined = current[part];
    if (next === undefined) return null;
    current = next;
  }
  return current;
}

export function indexKeysOf(index: IndexEntry, doc: BsonDocument): BsonValue[][] {
  return [index.fields.map((field) => valueAtPath(doc, field.path))];
}
