/**
 * Date decomposition in a time zone and the server's strftime-like formatting
 * (TimeZone::outputDateWithFormat): %Y %m %d %H %M %S %L %j %w %U %G %V %u %z %Z %b %B %%.
 * Components outside 0-9999 cannot be printed (18537), as in the server.
 */
import { MongoError } from '../../errors/mongo-error.js';
import {
  civilFromDays,
  dayOfYear,
  isoWeekDate,
  millisPerHour,
  millisPerMinute,
  millisPerSecond,
  splitMillis,
  weekday,
} from './date-civil.js';
import { utcZone } from './timezone.js';
import type { TimeZone } from './timezone.js';

export interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Days since the epoch of the local date. */
  days: number;
  /** The zone's offset from UTC at this instant, in milliseconds. */
  offset: number;
}

export function dateParts(utcMillis: number, zone: TimeZone): DateParts {
  const offset = zone.offsetAt(utcMillis);
  const { days, millisOfDay } = splitMillis(utcMillis + offset);
  const { year, month, day } = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(millisOfDay / millisPerHour),
    minute: Math.floor((millisOfDay % millisPerHour) / millisPerMinute),
    second: Math.floor((millisOfDay % millisPerMinute) / millisPerSecond),
    millisecond: millisOfDay % millisPerSecond,
    days,
    offset,
  };
}

/** $dayOfWeek: 1 (Sunday) to 7 (Saturday). */
export function dayOfWeekOf(parts: DateParts): number {
  return weekday(parts.days) + 1;
}

export function dayOfYearOf(parts: DateParts): number {
  return dayOfYear(parts.year, parts.month, parts.day);
}

/** $week (TimeZone::week): weeks start on Sunday; days before the first Sunday are week 0. */
export function weekOf(parts: DateParts): number {
  const previousSunday = dayOfYearOf(parts) - dayOfWeekOf(parts);
  return Math.floor((previousSunday + 7) / 7);
}

export const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export const toStringSpecifiers = 'bBdGHjLmMSwuUVYzZ';
export const fromStringSpecifiers = 'bBdGHjLmMSuVYzZ';

/** Checks that every '%' introduces an allowed specifier (18535, 18536). */
export function validateFormat(format: string, allowed: string): void {
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') continue;
    i += 1;
    if (i >= format.length) throw new MongoError(18535, "Unmatched '%' at end of format string");
    const specifier = format[i] as string;
    if (specifier !== '%' && !allowed.includes(specifier)) {
      throw new MongoError(18536, `Invalid format character '%${specifier}' in format string`);
    }
  }
}

class OutOfRange extends Error {
  constructor(readonly component: number) {
    super(String(component));
  }
}

function padded(value: number, width: number): string {
  if (value < 0 || value > 9999) throw new OutOfRange(value);
  return String(value).padStart(width, '0');
}

function formatOffset(offset: number): string {
  const minutes = Math.trunc(offset / millisPerMinute);
  const magnitude = Math.abs(minutes);
  return `${offset < 0 ? '-' : '+'}${padded(Math.floor(magnitude / 60), 2)}${padded(magnitude % 60, 2)}`;
}

function formatSpecifier(specifier: string, parts: DateParts): string {
  switch (specifier) {
    case '%':
      return '%';
    case 'Y':
      return padded(parts.year, 4);
    case 'm':
      return padded(parts.month, 2);
    case 'd':
      return padded(parts.day, 2);
    case 'H':
      return padded(parts.hour, 2);
    case 'M':
      return padded(parts.minute, 2);
    case 'S':
      return padded(parts.second, 2);
    case 'L':
      return padded(parts.millisecond, 3);
    case 'j':
      return padded(dayOfYearOf(parts), 3);
    case 'w':
      return padded(dayOfWeekOf(parts), 1);
    case 'U':
      return padded(weekOf(parts), 2);
    case 'G':
      return padded(isoWeekDate(parts.year, parts.month, parts.day).isoYear, 4);
    case 'V':
      return padded(isoWeekDate(parts.year, parts.month, parts.day).isoWeek, 2);
    case 'u':
      return padded(isoWeekDate(parts.year, parts.month, parts.day).isoDayOfWeek, 1);
    case 'z':
      return formatOffset(parts.offset);
    case 'Z':
      return String(Math.trunc(parts.offset / millisPerMinute));
    case 'b':
      return (monthNames[parts.month - 1] ?? '').slice(0, 3);
    case 'B':
      return monthNames[parts.month - 1] ?? '';
    default:
      throw new Error(`unvalidated format specifier %${specifier}`);
  }
}

/** Formats a validated format string; throws 18537 for components outside 0-9999. */
export function formatDate(format: string, utcMillis: number, zone: TimeZone): string {
  const parts = dateParts(utcMillis, zone);
  let out = '';
  try {
    for (let i = 0; i < format.length; i++) {
      const ch = format[i] as string;
      if (ch !== '%') {
        out += ch;
        continue;
      }
      i += 1;
      out += formatSpecifier(format[i] as string, parts);
    }
  } catch (error) {
    if (!(error instanceof OutOfRange)) throw error;
    throw new MongoError(
      18537,
      `Could not convert date to string: date component was outside the supported range of 0-9999: ${error.component}`,
    );
  }
  return out;
}

export const isoFormat = '%Y-%m-%dT%H:%M:%S.%LZ';

/** The ISO-8601 UTC rendering ("1970-01-01T00:00:00.000Z"), or undefined outside years 0-9999. */
export function formatIsoDate(utcMillis: number): string | undefined {
  if (!Number.isFinite(utcMillis)) return undefined;
  try {
    return formatDate(isoFormat, utcMillis, utcZone);
  } catch {
    return undefined;
  }
}
