/**
 * Date strings to instants for $dateFromString and $convert/$toDate (TimeZoneDatabase::
 * fromString). The server uses timelib's very permissive parser; this one accepts the forms
 * the documentation shows: ISO 8601 dates and times (with 'T' or a space, fractions, 'Z' and
 * numeric offsets), YYYY/MM/DD, MM/DD/YYYY, and month names ("Feb 8, 2017", "8 February 2017"),
 * and with a format string the documented specifiers. Failures are ConversionFailure (241).
 */
import { MongoError } from '../../errors/mongo-error.js';
import {
  civilToMillis,
  civilFromDays,
  daysFromCivil,
  daysFromIsoWeekDate,
  daysInMonth,
  millisPerHour,
  millisPerMinute,
} from './date-civil.js';
import { monthNames } from './date-format.js';
import { fromLocal } from './timezone.js';
import type { TimeZone } from './timezone.js';

/** What a date string said; unset fields are undefined. */
interface Parsed {
  year?: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  millisecond?: number;
  dayOfYear?: number;
  isoYear?: number;
  isoWeek?: number;
  isoDayOfWeek?: number;
  /** Offset in milliseconds from a "+hh:mm"-style zone (zone type 1). */
  offset?: number;
  /** An abbreviation such as Z or UTC (zone type 2); all mean UTC here. */
  abbreviation?: string;
}

function failure(text: string, position: number, message: string): MongoError {
  const at = text[position] ?? '';
  return new MongoError(
    'ConversionFailure',
    `Error parsing date string '${text}'; ${position}: ${message} '${at}'`,
  );
}

class Cursor {
  position = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string {
    return this.text[this.position] ?? '';
  }

  /** Up to `max` digits (at least one), or undefined when none are there. */
  digits(max: number): number | undefined {
    let end = this.position;
    while (
      end < this.text.length &&
      end - this.position < max &&
      /\d/.test(this.text[end] as string)
    )
      end += 1;
    if (end === this.position) return undefined;
    const value = Number(this.text.slice(this.position, end));
    this.position = end;
    return value;
  }

  accept(literal: string): boolean {
    if (!this.text.startsWith(literal, this.position)) return false;
    this.position += literal.length;
    return true;
  }

  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.position += 1;
  }

  word(): string {
    const match = /^[A-Za-z]+/.exec(this.text.slice(this.position));
    if (match === null) return '';
    this.position += match[0].length;
    return match[0];
  }
}

function monthFromName(name: string): number | undefined {
  const lower = name.toLowerCase();
  const index = monthNames.findIndex(
    (month) => month.toLowerCase() === lower || month.slice(0, 3).toLowerCase() === lower,
  );
  return index === -1 ? undefined : index + 1;
}

/** A zone suffix: Z, UTC, GMT or a numeric offset. Returns false when there is none. */
function parseZone(cursor: Cursor, parsed: Parsed): boolean {
  const sign = cursor.peek();
  if (sign === '+' || sign === '-') {
    const start = cursor.position;
    cursor.position += 1;
    const hours = cursor.digits(2);
    if (hours === undefined) {
      cursor.position = start;
      return false;
    }
    let minutes = 0;
    if (cursor.accept(':')) minutes = cursor.digits(2) ?? 0;
    else if (/\d/.test(cursor.peek())) minutes = cursor.digits(2) ?? 0;
    parsed.offset = (sign === '-' ? -1 : 1) * (hours * millisPerHour + minutes * millisPerMinute);
    return true;
  }
  const start = cursor.position;
  const word = cursor.word();
  if (['Z', 'z', 'UTC', 'GMT', 'UT'].includes(word)) {
    parsed.abbreviation = word;
    return true;
  }
  cursor.position = start;
  return false;
}

function parseTime(cursor: Cursor, parsed: Parsed): void {
  const hour = cursor.digits(2);
  if (hour === undefined || !cursor.accept(':'))
    throw failure(cursor.text, cursor.position, 'Unexpected data found.');
  parsed.hour = hour;
  parsed.minute = cursor.digits(2);
  if (parsed.minute === undefined)
    throw failure(cursor.text, cursor.position, 'Unexpected data found.');
  if (cursor.accept(':')) {
    parsed.second = cursor.digits(2);
    if (parsed.second === undefined)
      throw failure(cursor.text, cursor.position, 'Unexpected data found.');
    if (cursor.accept('.') || cursor.accept(',')) {
      const start = cursor.position;
      cursor.digits(9);
      const fraction = cursor.text.slice(start, cursor.position);
      parsed.millisecond = Number(fraction.padEnd(3, '0').slice(0, 3));
    }
  }
}

function parseNumericDate(cursor: Cursor, parsed: Parsed): boolean {
  const start = cursor.position;
  const first = cursor.digits(4);
  if (first === undefined) return false;
  const firstWidth = cursor.position - start;
  const separator = cursor.peek();
  if (firstWidth === 4 && (separator === '-' || separator === '/')) {
    cursor.position += 1;
    const monthStart = cursor.position;
    const month = cursor.digits(2) ?? monthFromName(cursor.word());
    if (month === undefined) throw failure(cursor.text, monthStart, 'Unexpected data found.');
    parsed.year = first;
    parsed.month = month;
    if (cursor.accept(separator)) parsed.day = cursor.digits(2);
    else parsed.day = 1;
    return true;
  }
  if (firstWidth <= 2 && (separator === '/' || separator === '.' || separator === '-')) {
    cursor.position += 1;
    const second = cursor.digits(2);
    if (second === undefined || !cursor.accept(separator))
      throw failure(cursor.text, cursor.position, 'Unexpected data found.');
    const year = cursor.digits(4);
    if (year === undefined) throw failure(cursor.text, cursor.position, 'Unexpected data found.');
    // American order with '/', day first with '.' or '-', as timelib reads them.
    [parsed.month, parsed.day] = separator === '/' ? [first, second] : [second, first];
    parsed.year = year;
    return true;
  }
  if (firstWidth <= 2 && /[A-Za-z ]/.test(separator)) {
    // "8 February 2017" or "8-Feb-2017".
    cursor.skipSpaces();
    const month = monthFromName(cursor.word());
    if (month === undefined) throw failure(cursor.text, cursor.position, 'Unexpected data found.');
    cursor.accept('-');
    cursor.skipSpaces();
    const year = cursor.digits(4);
    if (year === undefined) throw failure(cursor.text, cursor.position, 'Unexpected data found.');
    [parsed.day, parsed.month, parsed.year] = [first, month, year];
    return true;
  }
  cursor.position = start;
  return false;
}

function parseNamedDate(cursor: Cursor, parsed: Parsed): boolean {
  const start = cursor.position;
  const month = monthFromName(cursor.word());
  if (month === undefined) {
    cursor.position = start;
    return false;
  }
  cursor.skipSpaces();
  const day = cursor.digits(2);
  cursor.accept(',');
  cursor.skipSpaces();
  const year = cursor.digits(4);
  if (day === undefined || year === undefined)
    throw failure(cursor.text, cursor.position, 'Unexpected data found.');
  [parsed.month, parsed.day, parsed.year] = [month, day, year];
  return true;
}

function parseFree(text: string): Parsed {
  const cursor = new Cursor(text.trim());
  const parsed: Parsed = {};
  cursor.skipSpaces();
  const hasDate = parseNumericDate(cursor, parsed) || parseNamedDate(cursor, parsed);
  if (hasDate) {
    if (
      cursor.accept('T') ||
      cursor.accept('t') ||
      /^ +\d/.test(cursor.text.slice(cursor.position))
    ) {
      cursor.skipSpaces();
      parseTime(cursor, parsed);
    }
  } else {
    parseTime(cursor, parsed);
  }
  cursor.skipSpaces();
  if (!cursor.done) {
    parseZone(cursor, parsed);
    cursor.skipSpaces();
  }
  if (!cursor.done) throw failure(cursor.text, cursor.position, 'Unexpected data found.');
  return parsed;
}

function formatNumber(cursor: Cursor, max: number): number {
  const value = cursor.digits(max);
  if (value === undefined) throw failure(cursor.text, cursor.position, 'Unexpected data found.');
  return value;
}

function applySpecifier(specifier: string, cursor: Cursor, parsed: Parsed): void {
  switch (specifier) {
    case 'Y':
      parsed.year = formatNumber(cursor, 4);
      break;
    case 'm':
      parsed.month = formatNumber(cursor, 2);
      break;
    case 'd':
      parsed.day = formatNumber(cursor, 2);
      break;
    case 'H':
      parsed.hour = formatNumber(cursor, 2);
      break;
    case 'M':
      parsed.minute = formatNumber(cursor, 2);
      break;
    case 'S':
      parsed.second = formatNumber(cursor, 2);
      break;
    case 'L':
      parsed.millisecond = formatNumber(cursor, 3);
      break;
    case 'j':
      parsed.dayOfYear = formatNumber(cursor, 3);
      break;
    case 'G':
      parsed.isoYear = formatNumber(cursor, 4);
      break;
    case 'V':
      parsed.isoWeek = formatNumber(cursor, 2);
      break;
    case 'u':
      parsed.isoDayOfWeek = formatNumber(cursor, 1);
      break;
    case 'b':
    case 'B': {
      const month = monthFromName(cursor.word());
      if (month === undefined)
        throw failure(cursor.text, cursor.position, 'A textual month could not be found');
      parsed.month = month;
      break;
    }
    case 'z':
      if (!parseZone(cursor, parsed))
        throw failure(
          cursor.text,
          cursor.position,
          'The timezone could not be found in the database',
        );
      break;
    case 'Z': {
      const sign = cursor.accept('-') ? -1 : (cursor.accept('+'), 1);
      parsed.offset = sign * formatNumber(cursor, 4) * millisPerMinute;
      break;
    }
    default:
      throw new Error(`unvalidated format specifier %${specifier}`);
  }
}

function parseWithFormat(text: string, format: string): Parsed {
  const cursor = new Cursor(text);
  const parsed: Parsed = {};
  for (let i = 0; i < format.length; i++) {
    const ch = format[i] as string;
    if (ch === '%' && format[i + 1] !== '%') {
      i += 1;
      applySpecifier(format[i] as string, cursor, parsed);
      continue;
    }
    if (ch === '%') i += 1;
    if (cursor.done) throw failure(text, cursor.position, 'Data missing');
    if (!cursor.accept(ch))
      throw failure(text, cursor.position, 'The separation symbol could not be found');
  }
  if (!cursor.done) throw failure(text, cursor.position, 'Trailing data');
  return parsed;
}

/** Resolves ISO week and day-of-year forms into year/month/day. */
function resolveCalendar(parsed: Parsed): void {
  if (
    parsed.isoYear !== undefined ||
    parsed.isoWeek !== undefined ||
    parsed.isoDayOfWeek !== undefined
  ) {
    const days = daysFromIsoWeekDate(
      parsed.isoYear ?? 1970,
      parsed.isoWeek ?? 1,
      parsed.isoDayOfWeek ?? 1,
    );
    Object.assign(parsed, civilFromDays(days));
  } else if (parsed.dayOfYear !== undefined && parsed.year !== undefined) {
    Object.assign(parsed, civilFromDays(daysFromCivil(parsed.year, 1, 1) + parsed.dayOfYear - 1));
  }
}

function isValid(
  parsed: Required<Pick<Parsed, 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second'>>,
): boolean {
  return (
    parsed.month >= 1 &&
    parsed.month <= 12 &&
    parsed.day >= 1 &&
    parsed.day <= daysInMonth(parsed.year, parsed.month) &&
    parsed.hour <= 23 &&
    parsed.minute <= 59 &&
    parsed.second <= 59
  );
}

/**
 * Parses `text` as a date; with a non-UTC `zone`, the string must not carry its own zone.
 * Returns milliseconds since the epoch.
 */
export function parseDateString(text: string, zone: TimeZone, format?: string): number {
  const parsed = format === undefined ? parseFree(text) : parseWithFormat(text, format);
  resolveCalendar(parsed);
  if (parsed.hour === undefined && parsed.minute === undefined && parsed.second === undefined) {
    [parsed.hour, parsed.minute, parsed.second, parsed.millisecond] = [0, 0, 0, 0];
  } else if (format !== undefined) {
    [parsed.hour, parsed.minute, parsed.second] = [
      parsed.hour ?? 0,
      parsed.minute ?? 0,
      parsed.second ?? 0,
    ];
  }
  const { year, month, day, hour, minute, second } = parsed;
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined
  ) {
    throw new MongoError(
      'ConversionFailure',
      `an incomplete date/time string has been found, with elements missing: "${text}"`,
    );
  }
  if (!isValid({ year, month, day, hour, minute, second })) {
    throw new MongoError(
      'ConversionFailure',
      `Error parsing date string '${text}'; The parsed date was invalid ''`,
    );
  }
  if (!zone.isUtc && parsed.offset !== undefined) {
    throw new MongoError(
      'ConversionFailure',
      'you cannot pass in a date/time string with GMT offset together with a timezone argument',
    );
  }
  if (!zone.isUtc && parsed.abbreviation !== undefined) {
    throw new MongoError(
      'ConversionFailure',
      `you cannot pass in a date/time string with time zone information ('${parsed.abbreviation}') together with a timezone argument`,
    );
  }
  const local = civilToMillis(year, month, day, hour, minute, second, parsed.millisecond ?? 0);
  if (parsed.offset !== undefined) return local - parsed.offset;
  if (parsed.abbreviation !== undefined) return local;
  return fromLocal(zone, local);
}
