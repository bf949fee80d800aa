/**
 * Test support: writes BSON values as JS literals. Integers become Int32 (Int64 when too
 * large), other numbers Double; use the bson classes directly for anything else.
 */
import { Double, Int32, Long } from 'bson';
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { isDocument } from '../bson/types.js';

export function bson(value: unknown): BsonValue {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Object.is(value, -0)) {
      return value >= -(2 ** 31) && value < 2 ** 31 ? new Int32(value) : Long.fromNumber(value);
    }
    return new Double(value);
  }
  if (Array.isArray(value)) return value.map(bson);
  if (isDocument(value)) {
    const out: BsonDocument = {};
    for (const [key, field] of Object.entries(value)) {
      Object.defineProperty(out, key, {
        value: bson(field),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value as BsonValue;
}

export function doc(value: Record<string, unknown>): BsonDocument {
  return bson(value) as BsonDocument;
}
