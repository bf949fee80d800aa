/**
 * The one place commands compile update specifications, wiring the filter matcher into
 * $pull conditions and arrayFilters.
 */
import type { BsonDocument } from '../bson/types.js';
import { compileUpdate, upsertSeed } from '../query/update/index.js';
import type { CompiledUpdate } from '../query/update/index.js';
import { compileMatcher } from './matcher.js';

export function compileUpdateFor(
  update: BsonDocument,
  arrayFilters: BsonDocument[] | undefined,
  multi = false,
): CompiledUpdate {
  return compileUpdate(update, {
    multi,
    ...(arrayFilters === undefined ? {} : { arrayFilters }),
    compileFilter: (filter) => {
      const matcher = compileMatcher(filter);
      return (doc) => matcher(doc);
    },
  });
}

export function upsertSeedFor(filter: BsonDocument, kind: CompiledUpdate['kind']): BsonDocument {
  return upsertSeed(filter, kind);
}
