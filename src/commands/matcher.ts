/**
 * The one place commands compile filters, so every command wires $expr (and later
 * collation) the same way.
 */
import type { BsonDocument } from '../bson/types.js';
import { compileFilter } from '../query/filter/index.js';
import type { Matcher } from '../query/filter/index.js';

export type DocumentMatcher = Matcher;

export function compileMatcher(filter: BsonDocument): DocumentMatcher {
  return compileFilter(filter);
}
