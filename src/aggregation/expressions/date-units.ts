/**
 * Calendar arithmetic behind $dateAdd, $dateDiff and $dateTrunc (date_time_support.cpp):
 * units of a day and longer work on local wall-clock dates in the time zone, hours and
 * shorter on elapsed time, and month arithmetic clamps the day to the end of the month.
 */
import { MongoError } from '../../errors/mongo-error.js';
import {
  civilToMillis,
  daysFromCivil,
  daysInMonth,
  isoWeekday,
  millisPerDay,
  millisPerHour,
  millisPerMinute,
  millisPerSecond,
} from './date-civil.js';
import { dateParts } from './date-format.js';
import type { DateParts } from './date-format.js';
import { fromLocal } from './timezone.js';
import type { TimeZone } from './timezone.js';
import { int64Max, int64Min } from './values.js';

export type TimeUnit =
  'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond';

export const timeUnits: readonly TimeUnit[] = [
  'year',
  'quarter',
  'month',
  'week',
  'day',
  'hour',
  'minute',
  'second',
  'millisecond',
];

/** ISO numbering: monday = 1 ... sunday = 7. */
const daysOfWeek: Readonly<Record<string, number>> = {
  monday: 1,
  mon: 1,
  tuesday: 2,
  tue: 2,
  wednesday: 3,
  wed: 3,
  thursday: 4,
  thu: 4,
  friday: 5,
  fri: 5,
  saturday: 6,
  sat: 6,
  sunday: 7,
  sun: 7,
};

export const sunday = 7;

export function isTimeUnit(name: string): name is TimeUnit {
  return (timeUnits as readonly string[]).includes(name);
}

/** Case-insensitive day-of-week name, or undefined. */
export function dayOfWeekNumber(name: string): number | undefined {
  return daysOfWeek[name.toLowerCase()];
}

/** A day-based unit amount must stay where the server's addition cannot overflow. */
const maxDays = 18446744073709551615n / 86400000n + 1n;
const maxYears = maxDays / 365n + 1n;
const amountLimits: Readonly<Record<Exclude<TimeUnit, 'millisecond'>, bigint>> = {
  year: maxYears,
  quarter: maxYears * 4n,
  month: maxYears * 12n,
  week: maxDays / 7n,
  day: maxDays,
  hour: maxDays * 24n,
  minute: maxDays * 24n * 60n,
  second: maxDays * 24n * 3600n,
};

function checkResult(millis: number): number {
  if (
    !Number.isFinite(millis) ||
    BigInt(Math.trunc(millis)) > int64Max ||
    BigInt(Math.trunc(millis)) < int64Min
  ) {
    throw new MongoError(5166406, 'dateAdd overflowed');
  }
  return millis;
}

function addMonths(parts: DateParts, months: number, zone: TimeZone): number {
  const index = parts.year * 12 + (parts.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const day = Math.min(parts.day, daysInMonth(year, month));
  const local = civilToMillis(
    year,
    month,
    day,
    parts.hour,
    parts.minute,
    parts.second,
    parts.millisecond,
  );
  return fromLocal(zone, local);
}

/** dateAdd: `amount` units added to an instant in `zone`. */
export function dateAdd(utcMillis: number, unit: TimeUnit, amount: bigint, zone: TimeZone): number {
  if (unit === 'millisecond') return checkResult(utcMillis + Number(amount));
  const limit = amountLimits[unit];
  if (!(-limit < amount && amount < limit)) {
    throw new MongoError(5976500, `invalid dateAdd 'amount' parameter value: ${amount} ${unit}`);
  }
  const n = Number(amount);
  switch (unit) {
    case 'hour':
      return checkResult(utcMillis + n * millisPerHour);
    case 'minute':
      return checkResult(utcMillis + n * millisPerMinute);
    case 'second':
      return checkResult(utcMillis + n * millisPerSecond);
    case 'day':
    case 'week': {
      const parts = dateParts(utcMillis, zone);
      const days = n * (unit === 'week' ? 7 : 1);
      const local =
        (parts.days + days) * millisPerDay + (utcMillis + parts.offset - parts.days * millisPerDay);
      return checkResult(fromLocal(zone, local));
    }
    case 'month':
    case 'quarter':
    case 'year': {
      const months = n * (unit === 'year' ? 12 : unit === 'quarter' ? 3 : 1);
      return checkResult(addMonths(dateParts(utcMillis, zone), months, zone));
    }
  }
}

/** Whole days between two local dates. */
function dayDifference(start: DateParts, end: DateParts): number {
  return end.days - start.days;
}

/** 0 for the week's first day ... 6 for its last, given the first day (ISO numbering). */
function dayInWeek(days: number, startOfWeek: number): number {
  return (isoWeekday(days) - startOfWeek + 7) % 7;
}

function weekDifference(startDays: number, endDays: number, startOfWeek: number): number {
  return Math.trunc(
    (endDays - startDays + dayInWeek(startDays, startOfWeek) - dayInWeek(endDays, startOfWeek)) / 7,
  );
}

function quarterOf(month: number): number {
  return Math.floor((month - 1) / 3);
}

/** dateDiff: unit boundaries crossed from start to end, in `zone`. */
export function dateDiff(
  startMillis: number,
  endMillis: number,
  unit: TimeUnit,
  zone: TimeZone,
  startOfWeek: number,
): bigint {
  if (unit === 'millisecond') {
    const difference = BigInt(endMillis) - BigInt(startMillis);
    if (difference > int64Max || difference < int64Min)
      throw new MongoError(5166308, 'dateDiff overflowed');
    return difference;
  }
  const start = dateParts(startMillis, zone);
  const end = dateParts(endMillis, zone);
  const years = end.year - start.year;
  // The server's correction for different UTC offsets truncates toward zero.
  const offsetSeconds = (start.offset - end.offset) / 1000;
  const hours = end.hour - start.hour + dayDifference(start, end) * 24;
  const minutes = end.minute - start.minute + hours * 60;
  switch (unit) {
    case 'year':
      return BigInt(years);
    case 'quarter':
      return BigInt(quarterOf(end.month) - quarterOf(start.month) + years * 4);
    case 'month':
      return BigInt(end.month - start.month + years * 12);
    case 'week':
      return BigInt(weekDifference(start.days, end.days, startOfWeek));
    case 'day':
      return BigInt(dayDifference(start, end));
    case 'hour':
      return BigInt(hours + Math.trunc(offsetSeconds / 3600));
    case 'minute':
      return BigInt(minutes + Math.trunc(offsetSeconds / 60));
    case 'second':
      return BigInt(end.second - start.second + minutes * 60 + offsetSeconds);
  }
}

function positiveRemainder(value: bigint, divisor: bigint): bigint {
  const remainder = value % divisor;
  return remainder < 0n ? remainder + divisor : remainder;
}

const referenceMillis = 946684800000;
const unitMillis: Readonly<Partial<Record<TimeUnit, bigint>>> = {
  millisecond: 1n,
  second: 1000n,
  minute: 60000n,
  hour: 3600000n,
};

/** truncateDate: the start of the `binSize`-unit bin holding the date, bins aligned to 2000-01-01. */
export function dateTrunc(
  utcMillis: number,
  unit: TimeUnit,
  binSize: bigint,
  zone: TimeZone,
  startOfWeek: number,
): number {
  let reference = referenceMillis - zone.offsetAt(referenceMillis);
  let referenceDay = 1;
  if (unit === 'week') {
    // 2000-01-01 was a Saturday; move to the nearest following first day of the week.
    const saturdayInWeek = (6 - startOfWeek + 7) % 7;
    const adjust = (7 - saturdayInWeek) % 7;
    reference += adjust * millisPerDay;
    referenceDay += adjust;
  }
  const millisPerUnit = unitMillis[unit];
  if (millisPerUnit !== undefined) {
    const binMillis = binSize * millisPerUnit;
    if (binMillis > int64Max) throw new MongoError(5439002, 'dateTrunc overflowed');
    const shifted = BigInt(utcMillis) - BigInt(reference);
    return Number(BigInt(utcMillis) - positiveRemainder(shifted, binMillis));
  }
  if (binSize > 100000000000n) throw new MongoError(5439006, 'dateTrunc unsupported binSize value');
  const parts = dateParts(utcMillis, zone);
  const referenceDays = daysFromCivil(2000, 1, referenceDay);
  let distance: number;
  switch (unit) {
    case 'day':
      distance = parts.days - referenceDays;
      break;
    case 'week':
      distance = weekDifference(referenceDays, parts.days, startOfWeek);
      break;
    case 'month':
      distance = parts.month - 1 + (parts.year - 2000) * 12;
      break;
    case 'quarter':
      distance = quarterOf(parts.month) + (parts.year - 2000) * 4;
      break;
    case 'year':
      distance = parts.year - 2000;
      break;
    case 'hour':
    case 'minute':
    case 'second':
    case 'millisecond':
      throw new Error('sub-day units are truncated above');
  }
  const bound = BigInt(distance) - positiveRemainder(BigInt(distance), binSize);
  return dateAdd(reference, unit, bound, zone);
}
