/**
 * The index bounds one predicate implies for the values at its path, or undefined when
 * it implies none (the index can then only be scanned whole for that field).
 */
import { BSONRegExp } from 'bson';
import type { BsonValue } from '../../bson/types.js';
import { BsonType, canonicalRankOfType } from '../../bson/types.js';
import type { FilterNode, RegexSpec } from '../filter/index.js';
import type { Interval } from './intervals.js';
import {
  allValues,
  complement,
  normalize,
  point,
  typeBracketAbove,
  typeBracketBelow,
  wholeBracket,
} from './intervals.js';

function equalityIntervals(value: BsonValue): Interval[] {
  if (value === null) return [point(null), point(undefined)];
  if (Array.isArray(value)) {
    // An indexed array is stored element by element: the first element (or undefined for
    // an empty array) finds it, the whole array finds nested arrays.
    return normalize([point(value), point(value.length === 0 ? undefined : value[0])]);
  }
  return [point(value)];
}

const regexSpecial = new Set([
  '.',
  '*',
  '+',
  '?',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '|',
  '\\',
  '^',
  '$',
]);

/** The literal prefix of an anchored, case-sensitive regex, as a string range. */
export function regexPrefixInterval(regex: RegexSpec): Interval | undefined {
  if (regex.options.includes('i') || regex.options.includes('m') || regex.options.includes('x'))
    return undefined;
  if (!regex.pattern.startsWith('^')) return undefined;
  let prefix = '';
  for (const char of regex.pattern.slice(1)) {
    if (regexSpecial.has(char)) break;
    prefix += char;
  }
  if (prefix === '') return undefined;
  const last = prefix.charCodeAt(prefix.length - 1);
  if (last >= 0xd800) return undefined;
  const upper = prefix.slice(0, -1) + String.fromCharCode(last + 1);
  return { low: prefix, lowInclusive: true, high: upper, highInclusive: false };
}

function regexIntervals(regex: RegexSpec): Interval[] {
  const asValue = point(new BSONRegExp(regex.pattern, regex.options));
  return normalize([
    regexPrefixInterval(regex) ?? wholeBracket(canonicalRankOfType(BsonType.string)),
    asValue,
  ]);
}

function typeIntervals(types: readonly number[], allNumbers: boolean): Interval[] {
  const ranks = new Set(
    types.map((type) => (type === BsonType.array ? -2 : canonicalRankOfType(type))),
  );
  if (allNumbers) ranks.add(10);
  // Arrays are indexed element by element, so $type: "array" cannot be bounded.
  if (ranks.has(-2)) return [allValues];
  return normalize([...ranks].map(wholeBracket));
}

function compareIntervals(
  op: 'eq' | 'lt' | 'lte' | 'gt' | 'gte',
  value: BsonValue,
): Interval[] | undefined {
  if (op === 'eq') return equalityIntervals(value);
  const rank = canonicalRankOfType(value === undefined ? BsonType.undefined : typeOfRank(value));
  if (rank === -1 || rank === 127) return undefined;
  return [
    op === 'lt' || op === 'lte'
      ? typeBracketBelow(value, op === 'lte')
      : typeBracketAbove(value, op === 'gte'),
  ];
}

function typeOfRank(value: BsonValue): number {
  if (value === null) return BsonType.null;
  if (value instanceof Date) return BsonType.date;
  switch (typeof value) {
    case 'string':
      return BsonType.string;
    case 'boolean':
      return BsonType.bool;
    default:
      break;
  }
  if (Array.isArray(value)) return BsonType.array;
  const tag = (value as { _bsontype?: string })._bsontype;
  if (tag === 'MinKey') return BsonType.minKey;
  if (tag === 'MaxKey') return BsonType.maxKey;
  if (tag === 'Int32' || tag === 'Long' || tag === 'Double' || tag === 'Decimal128')
    return BsonType.double;
  if (tag === 'ObjectId') return BsonType.objectId;
  if (tag === 'Binary') return BsonType.binData;
  if (tag === 'Timestamp') return BsonType.timestamp;
  if (tag === 'BSONRegExp') return BsonType.regex;
  if (tag === 'Code') return BsonType.javascript;
  if (tag === 'BSONSymbol') return BsonType.string;
  return BsonType.object;
}

function negatedIntervals(child: FilterNode): Interval[] | undefined {
  if (
    child.kind === 'compare' &&
    child.op === 'eq' &&
    !Array.isArray(child.value) &&
    !(child.value instanceof BSONRegExp)
  ) {
    return complement(equalityIntervals(child.value));
  }
  if (child.kind === 'in' && child.regexes.length === 0 && !child.values.some(Array.isArray)) {
    return complement(normalize(child.values.flatMap(equalityIntervals)));
  }
  if (child.kind === 'exists') return [point(null)];
  return undefined;
}

/** Bounds for a predicate on the values at its path; undefined when it gives none. */
export function leafIntervals(node: FilterNode): Interval[] | undefined {
  switch (node.kind) {
    case 'compare':
      return compareIntervals(node.op, node.value);
    case 'in':
      return normalize([
        ...node.values.flatMap(equalityIntervals),
        ...node.regexes.flatMap(regexIntervals),
      ]);
    case 'regex':
      return regexIntervals(node);
    case 'exists':
      return [allValues];
    case 'type':
      return typeIntervals(node.types, node.allNumbers);
    case 'not':
      return negatedIntervals(node.child);
    case 'all': {
      for (const child of node.children) {
        const bounds = leafIntervals(child);
        if (bounds !== undefined) return bounds;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Whether a predicate may match a document where its path is missing. */
export function mayMatchMissing(node: FilterNode): boolean {
  switch (node.kind) {
    case 'compare':
      return node.op === 'eq'
        ? node.value === null
        : (node.op === 'gte' || node.op === 'lte') && node.value === null;
    case 'in':
      return node.values.some((value) => value === null);
    case 'not':
      return true;
    case 'exists':
    case 'regex':
    case 'type':
    case 'mod':
    case 'size':
    case 'bits':
    case 'elemMatch':
    case 'all':
      return false;
    default:
      return true;
  }
}
