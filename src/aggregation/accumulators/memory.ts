/**
 * Approximate memory use of values (Value::getApproximateSize), for the accumulators whose
 * memory the server bounds ($push, $addToSet, $topN, ...).
 */
import { isDocument } from '../../bson/types.js';
import type { BsonValue } from '../../bson/types.js';

/** sizeof(Value) in the server. */
const valueBytes = 16;

export function approximateSize(value: BsonValue | undefined): number {
  if (typeof value === 'string') return valueBytes + (value.length > 15 ? 16 + value.length : 0);
  if (Array.isArray(value)) {
    let size = valueBytes + 24;
    for (const element of value) size += approximateSize(element);
    return size;
  }
  if (isDocument(value)) {
    let size = valueBytes + 64;
    for (const key of Object.keys(value)) size += key.length + approximateSize(value[key]);
    return size;
  }
  return valueBytes;
}

/** internalQueryMaxPushBytes / internalQueryMaxAddToSetBytes / internalQueryTopNAccumulatorBytes. */
export const accumulatorBytesMax = 100 * 1024 * 1024;
