/**
 * Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), exact for
 * every year and free of JS Date's two-digit-year and range quirks (H. Hinnant's
 * days_from_civil / civil_from_days). ISO week dates follow timelib_isodate_from_date.
 */
export const millisPerSecond = 1000;
export const millisPerMinute = 60 * millisPerSecond;
export const millisPerHour = 60 * millisPerMinute;
export const millisPerDay = 24 * millisPerHour;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const shiftedMonth = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * shiftedMonth + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36524) -
      Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Day of the year, 1-based. */
export function dayOfYear(year: number, month: number, day: number): number {
  return daysFromCivil(year, month, day) - daysFromCivil(year, 1, 1) + 1;
}

/** 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

/** ISO 8601 day of week: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(days: number): number {
  const day = weekday(days);
  return day === 0 ? 7 : day;
}

export interface IsoWeekDate {
  isoYear: number;
  isoWeek: number;
  isoDayOfWeek: number;
}

export function isoWeekDate(year: number, month: number, day: number): IsoWeekDate {
  const days = daysFromCivil(year, month, day);
  const isoDayOfWeek = isoWeekday(days);
  // The ISO week belongs to the year containing its Thursday.
  const thursday = days - isoDayOfWeek + 4;
  const isoYear = civilFromDays(thursday).year;
  const isoWeek = Math.floor((thursday - daysFromCivil(isoYear, 1, 1)) / 7) + 1;
  return { isoYear, isoWeek, isoDayOfWeek };
}

/** Day number of an ISO week date (timelib_date_from_isodate); weeks and days may overflow. */
export function daysFromIsoWeekDate(
  isoYear: number,
  isoWeek: number,
  isoDayOfWeek: number,
): number {
  const january4 = daysFromCivil(isoYear, 1, 4);
  const week1Monday = january4 - (isoWeekday(january4) - 1);
  return week1Monday + (isoWeek - 1) * 7 + (isoDayOfWeek - 1);
}

/** Floor division of a millisecond count into a day number and the millisecond of the day. */
export function splitMillis(millis: number): { days: number; millisOfDay: number } {
  const days = Math.floor(millis / millisPerDay);
  return { days, millisOfDay: millis - days * millisPerDay };
}

/** Milliseconds since the epoch of a local civil date and time (fields may overflow). */
export function civilToMillis(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
): number {
  // Month overflow carries into years, as timelib normalizes it.
  const monthIndex = month - 1;
  const carriedYear = year + Math.floor(monthIndex / 12);
  const normalizedMonth = (((monthIndex % 12) + 12) % 12) + 1;
  const days = daysFromCivil(carriedYear, normalizedMonth, 1) + (day - 1);
  return (
    days * millisPerDay +
    hour * millisPerHour +
    minute * millisPerMinute +
    second * millisPerSecond +
    millisecond
  );
}
