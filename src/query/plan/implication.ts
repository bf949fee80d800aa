/**
 * Does a query imply a partial index's filter? A conservative answer: each conjunct of the
 * partial filter must be implied by one conjunct of the query (the same predicate, a
 * tighter comparison, an equality inside the range, or any value test for $exists).
 */
import { compareValues } from '../../bson/compare.js';
import { canonicalTypeRank, bsonTypeOf } from '../../bson/types.js';
import type { FilterNode } from '../filter/index.js';
import { mayMatchMissing } from './leaf-bounds.js';

function sameBracket(a: unknown, b: unknown): boolean {
  return canonicalTypeRank(a as never) === canonicalTypeRank(b as never);
}

function satisfies(value: unknown, op: string, bound: unknown): boolean {
  if (!sameBracket(value, bound)) return false;
  const order = compareValues(value as never, bound as never);
  switch (op) {
    case 'eq':
      return order === 0;
    case 'gt':
      return order > 0;
    case 'gte':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'lte':
      return order <= 0;
    default:
      return false;
  }
}

function implies(query: FilterNode, required: FilterNode): boolean {
  if (required.kind === 'exists')
    return 'path' in query && query.path === required.path && !mayMatchMissing(query);
  if (required.kind === 'compare' && query.kind === 'compare' && query.path === required.path) {
    if (query.op === 'eq') return satisfies(query.value, required.op, required.value);
    if (
      query.op === required.op ||
      (required.op === 'gte' && query.op === 'gt') ||
      (required.op === 'lte' && query.op === 'lt')
    ) {
      const direction = required.op.startsWith('g') ? 1 : -1;
      const order = compareValues(query.value, required.value) * direction;
      return (
        sameBracket(query.value, required.value) &&
        (order > 0 || (order === 0 && (query.op === required.op || query.op.length === 2)))
      );
    }
    return false;
  }
  if (
    required.kind === 'type' &&
    query.kind === 'compare' &&
    query.op === 'eq' &&
    query.path === required.path
  ) {
    return required.types.includes(bsonTypeOf(query.value));
  }
  return JSON.stringify(query) === JSON.stringify(required);
}

export function filterImplies(
  query: readonly FilterNode[],
  required: readonly FilterNode[],
): boolean {
  return required.every((needed) => query.some((given) => implies(given, needed)));
}
