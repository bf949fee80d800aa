/**
 * From per-field interval lists to byte ranges of the index's KeyStrings. Leading fields
 * whose bounds are all points are exploded into one range per combination (as MongoDB
 * explodes $in over a compound prefix), the next field contributes one range per
 * interval, and constraints on later fields are checked on each key instead.
 */
import type { BsonValue } from '../../bson/types.js';
import { compareValues } from '../../bson/compare.js';
import { encodeKeyPrefixBound } from '../../bson/key-string.js';
import type { Direction } from '../../bson/key-string.js';
import type { Interval } from './intervals.js';
import { isAllValues, isPoint } from './intervals.js';

/** Combinations explored before falling back to checking keys (internalQueryMaxScansToExplode). */
export const rangesMax = 200;

export interface KeyRange {
  /** Inclusive. */
  start: Buffer;
  /** Exclusive. */
  end: Buffer;
}

export interface KeyRanges {
  ranges: KeyRange[];
  /** Fields whose bounds the ranges do not enforce; keys must be checked against them. */
  checkFields: number[];
}

function rangeFor(
  prefix: BsonValue[],
  interval: Interval | undefined,
  directions: Direction[],
): KeyRange {
  if (interval === undefined || isAllValues([interval])) {
    return {
      start: encodeKeyPrefixBound(prefix, directions, 'before'),
      end: encodeKeyPrefixBound(prefix, directions, 'after'),
    };
  }
  const direction = directions[prefix.length] ?? 1;
  const low = encodeKeyPrefixBound(
    [...prefix, interval.low],
    directions,
    interval.lowInclusive ? 'before' : 'after',
  );
  const lowEnd = encodeKeyPrefixBound(
    [...prefix, interval.low],
    directions,
    interval.lowInclusive ? 'after' : 'before',
  );
  const high = encodeKeyPrefixBound(
    [...prefix, interval.high],
    directions,
    interval.highInclusive ? 'after' : 'before',
  );
  const highStart = encodeKeyPrefixBound(
    [...prefix, interval.high],
    directions,
    interval.highInclusive ? 'before' : 'after',
  );
  // A descending field stores larger values at smaller bytes.
  return direction === 1 ? { start: low, end: high } : { start: highStart, end: lowEnd };
}

function explode(fields: Interval[][], pointFields: number): BsonValue[][] {
  let prefixes: BsonValue[][] = [[]];
  for (let i = 0; i < pointFields; i++) {
    const values = (fields[i] as Interval[]).map((interval) => interval.low);
    prefixes = prefixes.flatMap((prefix) => values.map((value) => [...prefix, value]));
  }
  return prefixes;
}

function mergeRanges(ranges: KeyRange[]): KeyRange[] {
  const sorted = ranges
    .filter((range) => Buffer.compare(range.start, range.end) < 0)
    .sort((a, b) => Buffer.compare(a.start, b.start));
  const merged: KeyRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && Buffer.compare(range.start, last.end) <= 0) {
      if (Buffer.compare(range.end, last.end) > 0) last.end = range.end;
    } else {
      merged.push({ ...range });
    }
  }
  return merged;
}

export function keyRanges(fields: Interval[][], directions: Direction[]): KeyRanges {
  let pointFields = 0;
  let combinations = 1;
  while (pointFields < fields.length) {
    const intervals = fields[pointFields] as Interval[];
    if (!intervals.every(isPoint) || combinations * intervals.length > rangesMax) break;
    combinations *= intervals.length;
    pointFields++;
  }
  const rangeField = fields[pointFields];
  const rangeIntervals = rangeField === undefined ? [undefined] : rangeField;
  const ranges = explode(fields, pointFields).flatMap((prefix) =>
    rangeIntervals.map((interval) => rangeFor(prefix, interval, directions)),
  );
  const checkFields: number[] = [];
  for (let i = pointFields + 1; i < fields.length; i++)
    if (!isAllValues(fields[i] as Interval[])) checkFields.push(i);
  return { ranges: mergeRanges(ranges), checkFields };
}

/** Whether a value lies in an ordered interval list. */
export function inIntervals(value: BsonValue, intervals: readonly Interval[]): boolean {
  return intervals.some((interval) => {
    const low = compareValues(value, interval.low);
    if (low < 0 || (low === 0 && !interval.lowInclusive)) return false;
    const high = compareValues(value, interval.high);
    return high < 0 || (high === 0 && interval.highInclusive);
  });
}
