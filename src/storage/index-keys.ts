/**
 * The keys a document contributes to an index: MongoDB's key generation (multikey
 * expansion, parallel-array rejection, null for missing fields) from src/query, plus the
 * index's own rules: sparse indexes skip documents with none of the fields, partial
 * indexes skip documents outside their filter.
 */
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { isDocument } from '../bson/types.js';
import { compareValues } from '../bson/compare.js';
import { forEachIndexKey } from '../query/index-keys.js';
import { getField, MISSING } from '../query/path.js';
import { compileFilter } from '../query/filter/index.js';
import type { Matcher } from '../query/filter/index.js';
import type { IndexEntry } from './catalog-entry.js';

export interface DocumentKeys {
  keys: BsonValue[][];
  /** The document put an array on an indexed path. */
  multikey: boolean;
}

const noKeys: DocumentKeys = { keys: [], multikey: false };
const partialMatchers = new WeakMap<BsonDocument, Matcher>();

function partialMatcher(filter: BsonDocument): Matcher {
  let matcher = partialMatchers.get(filter);
  if (matcher === undefined) {
    matcher = compileFilter(filter, { nullMatchesUndefined: true });
    partialMatchers.set(filter, matcher);
  }
  return matcher;
}

/**
 * Walks `path` through documents: 'array' when an array appears on the way (or at the
 * end), 'present' when the path ends at a non-array value, 'missing' otherwise.
 */
function walkPath(doc: BsonDocument, path: string): 'array' | 'present' | 'missing' {
  let current: BsonValue = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(current)) return 'array';
    if (!isDocument(current)) return 'missing';
    const next = getField(current, part);
    if (next === MISSING) return 'missing';
    current = next;
  }
  return Array.isArray(current) ? 'array' : 'present';
}

export function pathHasArray(doc: BsonDocument, path: string): boolean {
  return walkPath(doc, path) === 'array';
}

function hasAnyField(doc: BsonDocument, paths: string[]): boolean {
  return paths.some((path) => walkPath(doc, path) !== 'missing');
}

function dedupe(keys: BsonValue[][]): BsonValue[][] {
  if (keys.length < 2) return keys;
  const sorted = [...keys].sort((a, b) => compareTuples(a, b));
  return sorted.filter(
    (key, i) => i === 0 || compareTuples(sorted[i - 1] as BsonValue[], key) !== 0,
  );
}

function compareTuples(a: BsonValue[], b: BsonValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const order = compareValues(a[i], b[i]);
    if (order !== 0) return order;
  }
  return 0;
}

export function indexKeysOf(index: IndexEntry, doc: BsonDocument): DocumentKeys {
  const paths = index.fields.map((field) => field.path);
  if (index.partialFilter !== undefined && !partialMatcher(index.partialFilter)(doc)) return noKeys;
  if (index.sparse && !hasAnyField(doc, paths)) return noKeys;
  if (paths.length === 1 && paths[0] === '_id') {
    return { keys: [[doc._id === undefined ? null : doc._id]], multikey: false };
  }
  const keys: BsonValue[][] = [];
  forEachIndexKey(doc, paths, (key) => keys.push([...key]));
  const multikey = keys.length > 1 || paths.some((path) => pathHasArray(doc, path));
  return { keys: dedupe(keys), multikey };
}
