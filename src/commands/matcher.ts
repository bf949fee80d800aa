/**
 * The one place commands compile filters, so every command wires $expr (and later
 * collation) the same way.
 */
import type { BsonDocument } from '../bson/types.js';
import { compileFilter } from '../query/filter/index.js';
import type { Matcher } from '../query/filter/index.js';

export type DocumentMatcher = Matcher;

/**
 * Shoal reports MongoDB 7.0, where {a: null} and $in: [null] also match BSON undefined
 * (8.0 dropped that); the matcher implements both.
 */
export function compileMatcher(filter: BsonDocument): DocumentMatcher {
  return compileFilter(filter, { nullMatchesUndefined: true });
}
