/**
 * The $sort clause of $push (PatternElementCmp, pattern_cmp.cpp): 1/-1 sorts whole
 * elements; {field: 1/-1, ...} sorts documents by the values at those paths, a missing
 * path (or any element that is not a document) counting as null.
 */
import { compareValues } from '../../../bson/compare.js';
import type { BsonDocument, BsonValue } from '../../../bson/types.js';
import { isDocument, isNumber } from '../../../bson/types.js';
import { MongoError } from '../../../errors/mongo-error.js';
import { toDouble } from '../../../bson/arith.js';
import { splitPath } from '../field-path.js';

export type ArrayOrder = (a: BsonValue, b: BsonValue) => number;

interface SortKey {
  readonly path: string;
  readonly direction: 1 | -1;
}

export function parseSortSpec(spec: BsonValue): ArrayOrder {
  if (isDocument(spec)) return patternOrder(parsePattern(spec));
  if (isNumber(spec)) {
    const direction = toDouble(spec);
    if (direction !== 1 && direction !== -1) {
      throw new MongoError('BadValue', 'The $sort element value must be either 1 or -1');
    }
    return (a, b) => direction * compareValues(a, b);
  }
  throw new MongoError(
    'BadValue',
    'The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort ' +
      'embedded fields',
  );
}

/** pattern_cmp::checkSortClause. */
function parsePattern(pattern: BsonDocument): SortKey[] {
  const names = Object.keys(pattern);
  if (names.length === 0) {
    throw new MongoError(
      'BadValue',
      'The sort pattern is empty when it should be a set of fields.',
    );
  }
  return names.map((path) => {
    const order = pattern[path];
    const direction = isNumber(order) ? toDouble(order) : 0;
    if (direction !== 1 && direction !== -1) {
      throw new MongoError('BadValue', 'The sort element value must be either 1 or -1');
    }
    const parts = splitPath(path);
    if (parts.length === 0) throw new MongoError('BadValue', 'The sort field cannot be empty');
    if (parts.some((part) => part.length === 0)) {
      throw new MongoError(
        'BadValue',
        `The sort field is a dotted field but has an empty part: ${path}`,
      );
    }
    return { path, direction };
  });
}

function patternOrder(keys: readonly SortKey[]): ArrayOrder {
  return (a, b) => {
    for (const key of keys) {
      const order = compareValues(sortKeyOf(a, key.path), sortKeyOf(b, key.path));
      if (order !== 0) return order * key.direction;
    }
    return 0;
  };
}

function sortKeyOf(element: BsonValue, path: string): BsonValue {
  if (!isDocument(element)) return null;
  return extractAtPath(element, path) ?? null;
}

/**
 * dotted_path_support::extractElementAtPath: a literal dotted field name wins; otherwise
 * descend through documents and arrays (by canonical index) without array expansion.
 */
function extractAtPath(container: BsonValue, path: string): BsonValue | undefined {
  const direct = fieldOf(container, path);
  if (direct !== undefined) return direct.value;
  const dot = path.indexOf('.');
  if (dot < 0) return undefined;
  const sub = fieldOf(container, path.slice(0, dot));
  if (sub === undefined || !isNonEmptyContainer(sub.value)) return undefined;
  return extractAtPath(sub.value, path.slice(dot + 1));
}

function fieldOf(container: BsonValue, name: string): { value: BsonValue } | undefined {
  if (isDocument(container)) {
    return Object.hasOwn(container, name) ? { value: container[name] } : undefined;
  }
  if (Array.isArray(container)) {
    const index = Number(name);
    if (String(index) !== name || index >= container.length) return undefined;
    return { value: container[index] };
  }
  return undefined;
}

function isNonEmptyContainer(value: BsonValue): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return isDocument(value) && Object.keys(value).length > 0;
}
