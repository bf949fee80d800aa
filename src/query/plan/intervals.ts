/**
 * Index bounds as MongoDB's planner builds them: for each index field an ordered list of
 * intervals over BSON values (an OrderedIntervalList). Bounds may be looser than the
 * predicate (the plan keeps the full filter on top), never tighter.
 */
import {
  Binary,
  BSONRegExp,
  Code,
  Decimal128,
  Double,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from 'bson';
import type { BsonValue } from '../../bson/types.js';
import { canonicalTypeRank } from '../../bson/types.js';
import { compareValues } from '../../bson/compare.js';

export interface Interval {
  low: BsonValue;
  lowInclusive: boolean;
  high: BsonValue;
  highInclusive: boolean;
}

export const minKey = new MinKey();
export const maxKey = new MaxKey();

export const allValues: Interval = {
  low: minKey,
  lowInclusive: true,
  high: maxKey,
  highInclusive: true,
};

export function point(value: BsonValue): Interval {
  return { low: value, lowInclusive: true, high: value, highInclusive: true };
}

export function isAllValues(intervals: readonly Interval[]): boolean {
  const [first] = intervals;
  return (
    intervals.length === 1 &&
    first !== undefined &&
    first.low instanceof MinKey &&
    first.high instanceof MaxKey
  );
}

export function isPoint(interval: Interval): boolean {
  return (
    interval.lowInclusive &&
    interval.highInclusive &&
    compareValues(interval.low, interval.high) === 0
  );
}

/**
 * The smallest value of each canonical type rank, in rank order: a type bracket runs from
 * its own smallest value to (excluding) the next rank's smallest value.
 */
const bracketStarts: readonly (readonly [number, BsonValue])[] = [
  [-1, minKey],
  [0, undefined],
  [5, null],
  [10, new Double(NaN)],
  [15, ''],
  [20, {}],
  [25, []],
  [30, new Binary(Buffer.alloc(0), 0)],
  [35, new ObjectId('000000000000000000000000')],
  [40, false],
  [45, new Date(-8.64e15)],
  [47, new Timestamp({ t: 0, i: 0 })],
  [50, new BSONRegExp('', '')],
  [60, new Code('')],
  [65, new Code('', {})],
  [127, maxKey],
];

function bracketIndex(value: BsonValue): number {
  const rank = canonicalTypeRank(value);
  const index = bracketStarts.findIndex(([start]) => start === rank);
  return index < 0 ? bracketStarts.length - 1 : index;
}

/** [start of v's type, v] or (v, end of v's type): the bounds of a range predicate. */
export function typeBracketBelow(value: BsonValue, inclusive: boolean): Interval {
  const start = (bracketStarts[bracketIndex(value)] as readonly [number, BsonValue])[1];
  return { low: start, lowInclusive: true, high: value, highInclusive: inclusive };
}

export function typeBracketAbove(value: BsonValue, inclusive: boolean): Interval {
  const next = bracketStarts[bracketIndex(value) + 1];
  if (next === undefined)
    return { low: value, lowInclusive: inclusive, high: maxKey, highInclusive: true };
  // Numbers end at +Infinity; Decimal128 infinity is the same key as the double one.
  const high = canonicalTypeRank(value) === 10 ? Decimal128.fromString('Infinity') : next[1];
  return {
    low: value,
    lowInclusive: inclusive,
    high,
    highInclusive: canonicalTypeRank(value) === 10,
  };
}

/** Every value of one canonical type rank ($type, regex on strings). */
export function wholeBracket(rank: number): Interval {
  const index = bracketStarts.findIndex(([start]) => start === rank);
  const start = bracketStarts[index];
  const next = bracketStarts[index + 1];
  if (start === undefined) return allValues;
  return next === undefined
    ? { low: start[1], lowInclusive: true, high: maxKey, highInclusive: true }
    : { low: start[1], lowInclusive: true, high: next[1], highInclusive: false };
}

function compareLow(a: Interval, b: Interval): number {
  return compareValues(a.low, b.low) || Number(b.lowInclusive) - Number(a.lowInclusive);
}

/** Sorts and merges overlapping or touching intervals. */
export function normalize(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort(compareLow);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last === undefined) {
      merged.push({ ...interval });
      continue;
    }
    const order = compareValues(interval.low, last.high);
    if (order < 0 || (order === 0 && (interval.lowInclusive || last.highInclusive))) {
      const highOrder = compareValues(interval.high, last.high);
      if (highOrder > 0 || (highOrder === 0 && interval.highInclusive)) {
        last.high = interval.high;
        last.highInclusive = interval.highInclusive || (highOrder === 0 && last.highInclusive);
      }
    } else {
      merged.push({ ...interval });
    }
  }
  return merged;
}

function intersectTwo(a: Interval, b: Interval): Interval | undefined {
  const lowOrder = compareValues(a.low, b.low);
  const low =
    lowOrder > 0 ? a : lowOrder < 0 ? b : { ...a, lowInclusive: a.lowInclusive && b.lowInclusive };
  const highOrder = compareValues(a.high, b.high);
  const high =
    highOrder < 0
      ? a
      : highOrder > 0
        ? b
        : { ...a, highInclusive: a.highInclusive && b.highInclusive };
  const result = {
    low: low.low,
    lowInclusive: low.lowInclusive,
    high: high.high,
    highInclusive: high.highInclusive,
  };
  const order = compareValues(result.low, result.high);
  if (order > 0 || (order === 0 && !(result.lowInclusive && result.highInclusive)))
    return undefined;
  return result;
}

export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const result: Interval[] = [];
  for (const x of a)
    for (const y of b) {
      const both = intersectTwo(x, y);
      if (both !== undefined) result.push(both);
    }
  return normalize(result);
}

/** The intervals not covered by `intervals` (for $ne / $nin). */
export function complement(intervals: readonly Interval[]): Interval[] {
  const result: Interval[] = [];
  let low: BsonValue = minKey;
  let lowInclusive = true;
  for (const interval of normalize(intervals)) {
    const gap = { low, lowInclusive, high: interval.low, highInclusive: !interval.lowInclusive };
    const order = compareValues(gap.low, gap.high);
    if (order < 0 || (order === 0 && gap.lowInclusive && gap.highInclusive)) result.push(gap);
    low = interval.high;
    lowInclusive = !interval.highInclusive;
  }
  const order = compareValues(low, maxKey);
  if (order < 0 || (order === 0 && lowInclusive))
    result.push({ low, lowInclusive, high: maxKey, highInclusive: true });
  return result;
}
