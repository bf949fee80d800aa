/**
 * Driver result models as documents (spec: Converting Returned Model Objects to Documents):
 * Maps keyed by operation index become documents keyed by the index's decimal string,
 * class instances become their own enumerable fields.
 */
import type { Document } from 'mongodb';
import { bsonTag } from './bson-values.js';

export function modelToDocument(value: unknown): unknown {
  if (value instanceof Map) {
    return Object.fromEntries(
      [...value.entries()].map(([key, item]) => [String(key), modelToDocument(item)]),
    );
  }
  if (Array.isArray(value)) return value.map(modelToDocument);
  if (typeof value !== 'object' || value === null || bsonTag(value) !== undefined) return value;
  if (value instanceof Date || value instanceof RegExp || value instanceof Uint8Array) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, modelToDocument(item)]),
  );
}

/** UpdateResult: the driver reports `upsertedId: null` where the CRUD spec leaves it unset. */
export function updateResultDocument(result: Document): Document {
  const document = modelToDocument(result) as Document;
  if (document['upsertedId'] === null) delete document['upsertedId'];
  return document;
}
