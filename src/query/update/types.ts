/**
 * The public contract of src/query/update: compile an update document once, apply it to
 * many documents.
 */
import type { Timestamp } from 'bson';
import type { BsonDocument } from '../../bson/types.js';

export interface UpdateContext {
  /** An upsert is inserting a new document: $setOnInsert applies. */
  isInsert: boolean;
  /** The query matcher's MatchDetails.arrayIndex, for the positional '$'. */
  positionalIndex?: number;
  /** For $currentDate (Date). */
  now: Date;
  /** For $currentDate {$type: 'timestamp'} and zero timestamps in replacements. */
  nowTimestamp: Timestamp;
}

/** Compiles a query filter once into a predicate (the filter matcher, injected). */
export type MatcherFactory = (filter: BsonDocument) => (doc: BsonDocument) => boolean;

export interface CompileUpdateOptions {
  arrayFilters?: BsonDocument[];
  compileFilter: MatcherFactory;
  /** The update is multi: true, which a replacement does not allow. */
  multi?: boolean;
}

export interface CompiledUpdate {
  kind: 'replacement' | 'operators';
  /**
   * Returns the new document and whether anything changed. The input is never mutated;
   * the result shares unchanged subtrees with it (and with the update's own values), so
   * both must be treated as immutable. When nothing changed (and the update is not an
   * upsert insert) the input document itself is returned. MongoDB's nModified counts only real changes:
   * $set to an identical value of the identical type is a no-op, Int32(1) -> Double(1)
   * is a modification.
   */
  apply(doc: BsonDocument, context: UpdateContext): { doc: BsonDocument; modified: boolean };
}
