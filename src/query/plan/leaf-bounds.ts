/**
 * The index bounds one predicate implies for the values at its path, or undefined when
 * it implies none (the index can then only be scanned whole for that field).
 */
import { BSONRegExp } from 'bson';
import type { BsonValue } from '../../bson/types.js';
import {
  BsonType,
  bsonTypeOf,
  canonicalRankOfType,
  canonicalTypeRank,
  isNumber,
} from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import type { ComparisonOperator, FilterNode, RegexSpec } from '../filter/index.js';
import type { Interval } from './intervals.js';
import {
  allValues,
  complement,
  maxKey,
  minKey,
  normalize,
  point,
  typeBracketAbove,
  typeBracketBelow,
  wholeBracket,
} from './intervals.js';

function equalityIntervals(value: BsonValue): Interval[] {
  // {a: null} also matches undefined (MongoDB 7.0), which sorts first.
  if (value === null) return [point(undefined), point(null)];
  if (Array.isArray(value)) {
    // An indexed array is stored element by element: the first element (or undefined for
    // an empty array) finds it, the whole array finds nested arrays.
    return normalize([point(value), point(value.length === 0 ? undefined : value[0])]);
  }
  return [point(value)];
}

/** PCRE metacharacters that end a literal prefix (analyze_regex.cpp, "man pcrepattern"). */
const regexSpecial = new Set(['.', '+', '(', ')', '[', ']', '}', '\\', '^', '$']);
/** Quantifiers that can make the character before them optional. */
const regexOptional = new Set(['*', '?', '{']);

/**
 * A "|" not escaped by a backslash, on a best-effort basis: false positives only cost the
 * bounds (analyze_regex.cpp stringMayHaveUnescapedPipe).
 */
function mayHaveUnescapedPipe(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== '|') continue;
    if (pattern[i - 1] !== '\\' || pattern[i - 2] === '\\') return true;
  }
  return false;
}

/**
 * The literal prefix every match of an anchored, case-sensitive regex starts with, as a
 * string range (analyze_regex.cpp getRegexPrefixMatch, more conservative on escapes): an
 * alternation anywhere means no prefix, and a character followed by * ? or { is optional.
 */
export function regexPrefixInterval(regex: RegexSpec): Interval | undefined {
  if (regex.options.includes('i') || regex.options.includes('m') || regex.options.includes('x'))
    return undefined;
  if (!regex.pattern.startsWith('^')) return undefined;
  const body = regex.pattern.slice(1);
  if (mayHaveUnescapedPipe(body)) return undefined;
  const chars: string[] = [];
  for (const char of body) {
    if (regexOptional.has(char)) {
      chars.pop();
      break;
    }
    if (regexSpecial.has(char)) break;
    chars.push(char);
  }
  const prefix = chars.join('');
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
  const inclusive = op === 'lte' || op === 'gte';
  // index_bounds_builder.cpp: $lte/$gte null is $eq null by type bracketing, nothing is
  // strictly above or below null or NaN, and only NaN is <= or >= NaN.
  if (value === null) return inclusive ? equalityIntervals(null) : [];
  if (isNumber(value) && Number.isNaN(toDouble(value))) return inclusive ? [point(value)] : [];
  if (Array.isArray(value)) return [arrayRange(op === 'lt' || op === 'lte', value)];
  const rank = canonicalRankOfType(value === undefined ? BsonType.undefined : typeOfRank(value));
  if (rank === -1 || rank === 127) return undefined;
  // $lt the smallest value of a type ($lt: "") is the empty [X, X): no interval at all.
  return normalize([
    op === 'lt' || op === 'lte'
      ? typeBracketBelow(value, inclusive)
      : typeBracketAbove(value, inclusive),
  ]);
}

/**
 * A range against an array compares arrays lexicographically, but a multikey index holds
 * their elements: a matching array's first element lies between the operand's first
 * element (or the operand itself, by type order) and MinKey or MaxKey
 * (index_bounds_builder.cpp buildBoundsForQueryElementForLT/GT).
 */
function arrayRange(below: boolean, value: readonly BsonValue[]): Interval {
  const arrayRank = canonicalRankOfType(BsonType.array);
  const first = value[0];
  if (below) {
    const high =
      value.length === 0 ? [] : canonicalTypeRank(first) > arrayRank ? first : (value as BsonValue);
    return { low: minKey, lowInclusive: true, high, highInclusive: true };
  }
  const low =
    value.length === 0
      ? minKey
      : canonicalTypeRank(first) < arrayRank
        ? first
        : (value as BsonValue);
  return { low, lowInclusive: true, high: maxKey, highInclusive: true };
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

/**
 * The keys a negated equality may skip. Null stands alone here: the [null, undefined]
 * pair equality uses would also skip undefined, the key of an empty array, which $ne: null
 * matches. (index_bounds_builder.cpp complements the [null, null] point the same way.)
 */
function negatedPoints(value: BsonValue): Interval[] {
  return value === null ? [point(null)] : equalityIntervals(value);
}

function negatedIntervals(child: FilterNode): Interval[] | undefined {
  if (
    child.kind === 'compare' &&
    child.op === 'eq' &&
    !Array.isArray(child.value) &&
    !(child.value instanceof BSONRegExp)
  ) {
    return complement(negatedPoints(child.value));
  }
  if (child.kind === 'in' && child.regexes.length === 0 && !child.values.some(Array.isArray)) {
    return complement(normalize(child.values.flatMap(negatedPoints)));
  }
  if (child.kind === 'exists') return [point(null)];
  return undefined;
}

/**
 * $ne: null and $nin: [null, ...]. On a multikey index their bounds would skip the null
 * key that {a: []} under "a.b", or {a: [1]} under "a.b", also produces although the
 * document matches, so MongoDB never uses a multikey index for them
 * (planner_ixselect.cpp, notEqualsNullCanUseIndex).
 */
export function negatesNull(node: FilterNode): boolean {
  if (node.kind !== 'not') return false;
  const child = node.child;
  if (child.kind === 'compare') return child.op === 'eq' && child.value === null;
  return child.kind === 'in' && child.values.some((value) => value === null);
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

/**
 * Whether a predicate may match a document where its path is missing. A missing value
 * compares as null, and every value is above MinKey and below MaxKey, so $gt: MinKey and
 * $lt: MaxKey match it too; $all matches it when each of its conditions does.
 */
export function mayMatchMissing(node: FilterNode): boolean {
  switch (node.kind) {
    case 'compare':
      return compareMayMatchMissing(node.op, node.value);
    case 'in':
      return node.values.some((value) => value === null);
    case 'not':
      return true;
    case 'all':
      return node.children.length > 0 && node.children.every(mayMatchMissing);
    case 'exists':
    case 'regex':
    case 'type':
    case 'mod':
    case 'size':
    case 'bits':
    case 'elemMatch':
      return false;
    default:
      return true;
  }
}

function compareMayMatchMissing(op: ComparisonOperator, value: BsonValue): boolean {
  if (value === null) return op === 'eq' || op === 'gte' || op === 'lte';
  const rank = canonicalTypeRank(value);
  if (rank === canonicalRankOfType(BsonType.minKey)) return op === 'gt' || op === 'gte';
  if (rank === canonicalRankOfType(BsonType.maxKey)) return op === 'lt' || op === 'lte';
  return false;
}

/**
 * Values for which a predicate's bounds are exactly its matches on a path that holds no
 * arrays: their KeyStrings order as the matcher compares them, within one type bracket.
 * Left out: null and missing (one key), arrays and documents (element and whole-value
 * matching), regexes, NaN, MinKey/MaxKey and the rarer types (MongoDB's EXACT tightness is
 * broader; this is the part we rely on).
 */
function exactValue(value: BsonValue): boolean {
  if (typeof value === 'string' || typeof value === 'boolean') return true;
  if (isNumber(value)) return !Number.isNaN(toDouble(value));
  const type = bsonTypeOf(value);
  return type === BsonType.date || type === BsonType.objectId;
}

/** Whether the index bounds of this predicate are exact (the filter need not re-check it). */
export function exactLeaf(node: FilterNode): boolean {
  switch (node.kind) {
    case 'compare':
      return exactValue(node.value);
    case 'in':
      return node.regexes.length === 0 && node.values.length > 0 && node.values.every(exactValue);
    default:
      return false;
  }
}
