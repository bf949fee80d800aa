/**
 * Sort specifications (SortPattern) and the sort-key comparator. A document's sort key is
 * the first of its index keys under the sort pattern taken as a key pattern (SortKeyGenerator):
 * ascending on an array sorts by its least element, descending by its greatest, an empty
 * array sorts before null and a missing field sorts as null.
 */
import { toDouble } from '../bson/arith.js';
import { Int32 } from 'bson';
import { compareStrings, compareValues } from '../bson/compare.js';
import type { BsonNumber } from '../bson/compare-numbers.js';
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { isDocument, isNumber } from '../bson/types.js';
import { MongoError } from '../errors/mongo-error.js';
import { forEachIndexKey } from './index-keys.js';
import type { IndexKey } from './index-keys.js';
import { asDocument, compilePath, getField, MISSING } from './path.js';
import type { CompiledPath } from './path.js';
import { describeValue } from './describe.js';
import { validateFieldPath } from './field-path.js';

export interface SortField {
  readonly path: string;
  /** 1 ascending, -1 descending. */
  readonly direction: 1 | -1;
}

export type SortKey = IndexKey;

export interface SortComparator {
  (a: BsonDocument, b: BsonDocument): number;
  readonly fields: readonly SortField[];
  /** The document's sort key: one value per field. */
  readonly keyOf: (doc: BsonDocument) => SortKey;
  readonly compareKeys: (a: SortKey, b: SortKey) => number;
}

/** Parses a sort specification; an empty one sorts nothing (every pair compares equal). */
export function parseSort(spec: BsonDocument): SortField[] {
  const fields: SortField[] = [];
  for (const [path, value] of Object.entries(spec)) {
    if (isDocument(value)) {
      const first = Object.keys(value)[0];
      if (first !== '$meta') {
        throw new MongoError(17312, '$meta is the only expression supported by $sort right now');
      }
      if (Object.keys(value).length !== 1) {
        throw new MongoError(
          'FailedToParse',
          'Cannot have additional keys in a $meta sort specification',
        );
      }
      throw new MongoError('NotImplemented', `Shoal does not support $meta sorts: ${path}`);
    }
    if (!isNumber(value)) {
      throw new MongoError(
        15974,
        `Illegal key in $sort specification: ${describeValue(path, value)}`,
      );
    }
    const direction = truncatedDirection(value);
    if (direction !== 1 && direction !== -1) {
      throw new MongoError(
        15975,
        '$sort key ordering must be 1 (for ascending) or -1 (for descending)',
      );
    }
    validateFieldPath(path);
    fields.push({ path, direction });
  }
  return fields;
}

/** safeNumberLong: doubles truncate toward zero, so 1.5 is ascending and 0.5 is invalid. */
function truncatedDirection(value: BsonNumber): number {
  const number = toDouble(value);
  return Number.isNaN(number) ? 0 : Math.trunc(number);
}

export function compileSort(spec: BsonDocument): SortComparator {
  const fields = parseSort(spec);
  const paths = fields.map((field) => compilePath(field.path));
  const directions = fields.map((field) => field.direction);
  const compareKeys = (a: SortKey, b: SortKey): number => {
    for (let i = 0; i < directions.length; i++) {
      const order = compareSortValues(a[i], b[i]);
      if (order !== 0) return order * (directions[i] as number);
    }
    return 0;
  };
  const keyOf = (doc: BsonDocument): SortKey =>
    paths.length === 0 ? [] : sortKeyOf(doc, paths, compareKeys);
  const comparator = (a: BsonDocument, b: BsonDocument): number => compareKeys(keyOf(a), keyOf(b));
  return Object.assign(comparator, { fields, keyOf, compareKeys });
}

/** compareValues, with the common same-type cases first: sorting calls this n log n times. */
function compareSortValues(a: BsonValue, b: BsonValue): number {
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : compareStrings(a, b);
  if (a instanceof Int32 && b instanceof Int32)
    return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  return compareValues(a, b);
}

/** The first index key in sort order; documents without arrays on the paths skip key generation. */
function sortKeyOf(
  doc: BsonDocument,
  paths: readonly CompiledPath[],
  compareKeys: (a: SortKey, b: SortKey) => number,
): SortKey {
  const key: SortKey = [];
  for (const path of paths) {
    const value = valueWithoutArrays(doc, path);
    if (value === arrayOnPath) return sortKeyWithArrays(doc, paths, compareKeys);
    key.push(value);
  }
  return key;
}

const arrayOnPath = Symbol('array on path');

/** The value at a path as a sort key (missing is null), unless an array is on the way. */
function valueWithoutArrays(doc: BsonDocument, path: CompiledPath): BsonValue | typeof arrayOnPath {
  let current: BsonDocument = doc;
  const last = path.parts.length - 1;
  for (let i = 0; ; i++) {
    const value = getField(current, path.parts[i] as string);
    if (value === MISSING) return null;
    if (Array.isArray(value)) return arrayOnPath;
    if (i === last) return value;
    const next = asDocument(value);
    if (next === undefined) return null;
    current = next;
  }
}

function sortKeyWithArrays(
  doc: BsonDocument,
  paths: readonly CompiledPath[],
  compareKeys: (a: SortKey, b: SortKey) => number,
): SortKey {
  let best: SortKey | undefined;
  try {
    forEachIndexKey(
      doc,
      paths.map((path) => path.path),
      (key) => {
        if (best === undefined || compareKeys(key, best) < 0) best = key;
      },
    );
  } catch (error) {
    if (error instanceof MongoError && error.codeName === 'CannotIndexParallelArrays') {
      throw new MongoError('BadValue', 'cannot sort with keys that are parallel arrays');
    }
    throw error;
  }
  return best ?? paths.map(() => null);
}

/**
 * Sorts documents stably, computing each key once (a comparator alone would recompute
 * keys O(n log n) times).
 */
export function sortDocuments<T extends BsonDocument>(
  docs: readonly T[],
  comparator: SortComparator,
): T[] {
  if (comparator.fields.length === 0) return docs.slice();
  const keyed = docs.map((doc) => ({ doc, key: comparator.keyOf(doc) }));
  keyed.sort((a, b) => comparator.compareKeys(a.key, b.key));
  return keyed.map((entry) => entry.doc);
}
