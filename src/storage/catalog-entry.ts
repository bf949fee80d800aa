/**
 * What the catalog knows about a collection and its indexes. The persisted form is a
 * BSON document under the catalog prefix; the in-memory form adds the derived key
 * pattern and the live counters.
 */
import type { Binary } from 'bson';
import { Int32 } from 'bson';
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { isDocument, isNumber } from '../bson/types.js';
import { toDouble } from '../bson/arith.js';
import type { Direction } from '../bson/key-string.js';
import { assert } from '../util/assert.js';

export interface IndexField {
  path: string;
  direction: Direction;
}

export interface IndexEntry {
  indexId: number;
  name: string;
  /** The spec as listIndexes reports it: {v, key, name, ...options}. */
  spec: BsonDocument;
  fields: IndexField[];
  unique: boolean;
  sparse: boolean;
  partialFilter: BsonDocument | undefined;
  hidden: boolean;
  expireAfterSeconds: number | undefined;
  /** Some document put an array on an indexed path: one document, several keys. */
  multikey: boolean;
  /** Some key was longer than the store allows and is kept truncated (see index-entries). */
  longKeys: boolean;
  /**
   * Being built while writes go on: writers maintain it, the planner and the TTL monitor
   * ignore it, and a restart finds it unfinished and drops it.
   */
  building: boolean;
  /** Queries that used the index since the server started ($indexStats accesses). */
  accesses: { ops: number; since: Date };
}

export interface CollectionEntry {
  namespace: string;
  database: string;
  name: string;
  collectionId: number;
  uuid: Binary;
  options: BsonDocument;
  indexes: IndexEntry[];
  /** Live counters, persisted with every write. */
  count: number;
  dataSize: number;
  nextRecordId: number;
}

/** When $indexStats counting started: set once by the server at startup. */
let indexStatsEpochMs = 0;

export function setIndexStatsEpoch(ms: number): void {
  indexStatsEpochMs = ms;
}

export function splitNamespace(namespace: string): { database: string; name: string } {
  const dot = namespace.indexOf('.');
  assert(dot > 0, `bad namespace ${namespace}`);
  return { database: namespace.slice(0, dot), name: namespace.slice(dot + 1) };
}

export function indexFieldsOf(key: BsonDocument): IndexField[] {
  return Object.entries(key).map(([path, value]) => {
    // Only ascending/descending key patterns are supported; anything else was rejected
    // when the index was created.
    const direction: Direction = isNumber(value) && toDouble(value) < 0 ? -1 : 1;
    return { path, direction };
  });
}

export function makeIndexEntry(
  indexId: number,
  spec: BsonDocument,
  state: BsonDocument = {},
): IndexEntry {
  const key = spec.key as BsonDocument;
  const name = spec.name as string;
  const expire = spec.expireAfterSeconds;
  return {
    indexId,
    name,
    spec,
    fields: indexFieldsOf(key),
    unique: spec.unique === true || name === '_id_',
    sparse: spec.sparse === true,
    partialFilter: isDocument(spec.partialFilterExpression)
      ? spec.partialFilterExpression
      : undefined,
    hidden: spec.hidden === true,
    expireAfterSeconds: isNumber(expire) ? toDouble(expire) : undefined,
    multikey: state.multikey === true,
    longKeys: state.longKeys === true,
    building: state.building === true,
    accesses: { ops: 0, since: new Date(indexStatsEpochMs) },
  };
}

export function idIndexSpec(): BsonDocument {
  return { v: new Int32(2), key: { _id: new Int32(1) }, name: '_id_' };
}

export function encodeCatalogEntry(entry: CollectionEntry): BsonDocument {
  return {
    ns: entry.namespace,
    collectionId: new Int32(entry.collectionId),
    uuid: entry.uuid,
    options: entry.options,
    indexes: entry.indexes.map((index) => ({
      indexId: new Int32(index.indexId),
      spec: index.spec,
      // Learned from the data and never reverted: a restart must not forget them, or a
      // multikey index would intersect bounds and provide sorts it cannot.
      state: {
        multikey: index.multikey,
        longKeys: index.longKeys,
        ...(index.building ? { building: true } : {}),
      },
    })),
  };
}

export function decodeCatalogEntry(doc: BsonDocument): CollectionEntry {
  const namespace = doc.ns as string;
  const { database, name } = splitNamespace(namespace);
  const indexes = (doc.indexes as BsonValue[]).map((value) => {
    const index = value as BsonDocument;
    const state = isDocument(index.state) ? index.state : {};
    return makeIndexEntry((index.indexId as Int32).value, index.spec as BsonDocument, state);
  });
  return {
    namespace,
    database,
    name,
    collectionId: (doc.collectionId as Int32).value,
    uuid: doc.uuid as Binary,
    options: doc.options as BsonDocument,
    indexes,
    count: 0,
    dataSize: 0,
    nextRecordId: 1,
  };
}
