/**
 * Limits every received document is checked against before any recursive code walks it:
 * nesting depth (mongod refuses BSON nested deeper than 200 levels, and stores documents
 * up to 180), and dates a JS Date cannot represent (years beyond ±271821), which Shoal
 * refuses instead of silently storing a different date.
 */
import { MongoError } from '../errors/mongo-error.js';
import type { BsonValue } from './types.js';
import { isDocument } from './types.js';

export const bsonDepthMax = 200;
export const storageDepthMax = 180;

/**
 * Each nesting level costs at least 7 bytes (type, empty name, length, terminator), so a
 * document shorter than this cannot be nested deeper than `depthMax`.
 */
export function mayExceedDepth(bytes: number, depthMax: number): boolean {
  return bytes >= depthMax * 7;
}

/** Iterative, so a hostile depth cannot overflow the stack. Depth of {} is 1. */
export function checkDocumentLimits(root: BsonValue, depthMax: number): void {
  const stack: [BsonValue, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [BsonValue, number];
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) {
        throw new MongoError(
          'BadValue',
          'Shoal cannot store dates outside years -271821 to 275760 (±8.64e15 ms)',
        );
      }
      continue;
    }
    const children = Array.isArray(value)
      ? value
      : isDocument(value)
        ? Object.values(value)
        : undefined;
    if (children === undefined) continue;
    if (depth > depthMax) {
      throw new MongoError('Overflow', `BSONObj exceeded maximum nested object depth: ${depthMax}`);
    }
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
}
