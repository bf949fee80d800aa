/** What a find-like command asks of the planner. */
import type { BsonDocument } from '../../bson/types.js';
import type { FilterNode, Matcher } from '../filter/index.js';
import type { SortField } from '../sort.js';

export type DocumentComparator = (a: BsonDocument, b: BsonDocument) => number;

export interface ProjectionRequest {
  apply: (doc: BsonDocument, details: { arrayIndex?: number }) => BsonDocument;
  /** Top-level fields the projection reads; undefined when it may read any. */
  fields: readonly string[] | undefined;
}

export interface FindRequest {
  filter: BsonDocument;
  filterNode: FilterNode;
  matcher: Matcher;
  sortPattern: BsonDocument | undefined;
  sortFields: readonly SortField[];
  comparator: DocumentComparator | undefined;
  /** A {$natural: ±1} sort or hint: a collection scan in that direction. */
  naturalDirection: 1 | -1 | undefined;
  projection: ProjectionRequest | undefined;
  skip: number;
  limit: number | undefined;
  allowDiskUse: boolean;
  hint: string | BsonDocument | undefined;
  /** The query runs for returnKey: keys must be decoded. */
  returnKey: boolean;
}
