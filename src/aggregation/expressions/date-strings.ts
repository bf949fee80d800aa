/**
 * Dates to and from strings and parts: $dateToString, $dateFromString, $dateToParts and
 * $dateFromParts, with the server's evaluation order (format and time zone are checked before
 * the null handling of the date itself) and its error codes.
 */
import { Int32 } from 'bson';
import { isDocument } from '../../bson/types.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { civilToMillis, daysFromIsoWeekDate, isoWeekDate } from './date-civil.js';
import {
  dateParts,
  formatDate,
  fromStringSpecifiers,
  isoFormat,
  toStringSpecifiers,
  validateFormat,
} from './date-format.js';
import { parseDateString } from './date-parse.js';
import { coerceToDateMillis, evaluateTimeZone } from './date-parts.js';
import { fromLocal } from './timezone.js';
import type { CompiledExpression, OperatorContext, OperatorTable, Variables } from './types.js';
import { coerceToLong, formatValue, integral64, isNullish, typeName } from './values.js';
import type { Value } from './values.js';

/** Parses {name: expression, ...}, rejecting names outside `allowed` with `unknownCode`. */
function namedExpressions(
  argument: BsonDocument,
  allowed: readonly string[],
  context: OperatorContext,
  unknown: (key: string) => MongoError,
): Map<string, CompiledExpression> {
  const out = new Map<string, CompiledExpression>();
  for (const [key, value] of Object.entries(argument)) {
    if (!allowed.includes(key)) throw unknown(key);
    out.set(key, context.compile(value));
  }
  return out;
}

function compileDateToString(argument: BsonValue, context: OperatorContext): CompiledExpression {
  if (!isDocument(argument))
    throw new MongoError(18629, '$dateToString only supports an object as its argument');
  const args = namedExpressions(
    argument,
    ['format', 'date', 'timezone', 'onNull'],
    context,
    (key) => new MongoError(18534, `Unrecognized argument to $dateToString: ${key}`),
  );
  const date = args.get('date');
  if (date === undefined) throw new MongoError(18628, "Missing 'date' parameter to $dateToString");
  const format = args.get('format');
  const timezone = args.get('timezone');
  const onNull = args.get('onNull');
  return (root, variables) => {
    const dateValue = date(root, variables);
    const formatValue =
      format === undefined
        ? undefined
        : checkFormat(format(root, variables), 18533, '$dateToString', toStringSpecifiers);
    const zone = evaluateTimeZone(timezone, root, variables);
    if (isNullish(dateValue)) return onNull === undefined ? null : onNull(root, variables);
    if (zone === undefined) return null;
    if (format !== undefined && formatValue === null) return null;
    return formatDate(formatValue ?? isoFormat, coerceToDateMillis(dateValue), zone);
  };
}

/** A non-nullish format must be a valid format string; nullish gives null. */
function checkFormat(value: Value, code: number, name: string, allowed: string): string | null {
  if (isNullish(value)) return null;
  if (typeof value !== 'string') {
    throw new MongoError(
      code,
      `${name} requires that 'format' be a string, found: ${typeName(value)} with value ${formatValue(value)}`,
    );
  }
  validateFormat(value, allowed);
  return value;
}

function compileDateFromString(argument: BsonValue, context: OperatorContext): CompiledExpression {
  if (!isDocument(argument)) {
    throw new MongoError(
      40540,
      `$dateFromString only supports an object as an argument, found: ${typeName(argument)}`,
    );
  }
  const args = namedExpressions(
    argument,
    ['format', 'dateString', 'timezone', 'onNull', 'onError'],
    context,
    (key) => new MongoError(40541, `Unrecognized argument to $dateFromString: ${key}`),
  );
  const dateString = args.get('dateString');
  if (dateString === undefined)
    throw new MongoError(40542, "Missing 'dateString' parameter to $dateFromString");
  const format = args.get('format');
  const onNull = args.get('onNull');
  const onError = args.get('onError');
  const timezone = args.get('timezone');
  return (root, variables) => {
    const text = dateString(root, variables);
    const formatText =
      format === undefined
        ? undefined
        : checkFormat(format(root, variables), 40684, '$dateFromString', fromStringSpecifiers);
    const zone = evaluateTimeZone(timezone, root, variables);
    if (isNullish(text)) return onNull === undefined ? null : onNull(root, variables);
    try {
      if (typeof text !== 'string') {
        throw new MongoError(
          'ConversionFailure',
          `$dateFromString requires that 'dateString' be a string, found: ${typeName(text)} with value ${formatValue(text)}`,
        );
      }
      if (zone === undefined) return null;
      if (format !== undefined && formatText === null) return null;
      return new Date(parseDateString(text, zone, formatText ?? undefined));
    } catch (error) {
      if (
        onError !== undefined &&
        error instanceof MongoError &&
        error.codeName === 'ConversionFailure'
      ) {
        return onError(root, variables);
      }
      throw error;
    }
  };
}

function compileDateToParts(argument: BsonValue, context: OperatorContext): CompiledExpression {
  if (!isDocument(argument))
    throw new MongoError(40524, '$dateToParts only supports an object as its argument');
  const args = namedExpressions(
    argument,
    ['date', 'timezone', 'iso8601'],
    context,
    (key) => new MongoError(40520, `Unrecognized argument to $dateToParts: ${key}`),
  );
  const date = args.get('date');
  if (date === undefined) throw new MongoError(40522, "Missing 'date' parameter to $dateToParts");
  const timezone = args.get('timezone');
  const iso8601 = args.get('iso8601');
  return (root, variables) => {
    const dateValue = date(root, variables);
    const zone = evaluateTimeZone(timezone, root, variables);
    if (zone === undefined) return null;
    let iso = false;
    if (iso8601 !== undefined) {
      const flag = iso8601(root, variables);
      if (isNullish(flag)) return null;
      if (typeof flag !== 'boolean')
        throw new MongoError(40521, `iso8601 must evaluate to a bool, found ${typeName(flag)}`);
      iso = flag;
    }
    if (isNullish(dateValue)) return null;
    const parts = dateParts(coerceToDateMillis(dateValue), zone);
    const time = {
      hour: new Int32(parts.hour),
      minute: new Int32(parts.minute),
      second: new Int32(parts.second),
      millisecond: new Int32(parts.millisecond),
    };
    if (!iso) {
      return {
        year: new Int32(parts.year),
        month: new Int32(parts.month),
        day: new Int32(parts.day),
        ...time,
      };
    }
    const week = isoWeekDate(parts.year, parts.month, parts.day);
    return {
      isoWeekYear: new Int32(week.isoYear),
      isoWeek: new Int32(week.isoWeek),
      isoDayOfWeek: new Int32(week.isoDayOfWeek),
      ...time,
    };
  };
}

const datePartMin = -32768n;
const datePartMax = 32767n;

/** evaluateNumberWithDefault(AndBounds): null means "return null". */
function datePart(
  expression: CompiledExpression | undefined,
  name: string,
  fallback: number,
  bounded: boolean,
  root: BsonDocument,
  variables: Variables,
): number | null {
  if (expression === undefined) return fallback;
  const value = expression(root, variables);
  if (isNullish(value)) return null;
  const integer = integral64(value);
  if (integer === undefined) {
    throw new MongoError(
      40515,
      `'${name}' must evaluate to an integer, found ${typeName(value)} with value ${formatValue(value)}`,
    );
  }
  const coerced = coerceToLong(value as Parameters<typeof coerceToLong>[0]);
  if (bounded && (coerced < datePartMin || coerced > datePartMax)) {
    throw new MongoError(
      31034,
      `'${name}' must evaluate to a value in the range [${datePartMin}, ${datePartMax}]; value ${coerced} is not in range`,
    );
  }
  return Number(coerced);
}

const natural = ['year', 'month', 'day'];
const iso = ['isoWeekYear', 'isoWeek', 'isoDayOfWeek'];

function compileDateFromParts(argument: BsonValue, context: OperatorContext): CompiledExpression {
  if (!isDocument(argument))
    throw new MongoError(40519, '$dateFromParts only supports an object as its argument');
  const args = namedExpressions(
    argument,
    [...natural, 'hour', 'minute', 'second', 'millisecond', ...iso, 'timezone'],
    context,
    (key) => new MongoError(40518, `Unrecognized argument to $dateFromParts: ${key}`),
  );
  if (!args.has('year') && !args.has('isoWeekYear')) {
    throw new MongoError(
      40516,
      "$dateFromParts requires either 'year' or 'isoWeekYear' to be present",
    );
  }
  if (args.has('year') && iso.some((key) => args.has(key))) {
    throw new MongoError(
      40489,
      '$dateFromParts does not allow mixing natural dates with ISO dates',
    );
  }
  if (args.has('isoWeekYear') && natural.some((key) => args.has(key))) {
    throw new MongoError(
      40525,
      '$dateFromParts does not allow mixing ISO dates with natural dates',
    );
  }
  const useIso = args.has('isoWeekYear');
  return (root, variables) => {
    const part = (name: string, fallback: number, bounded: boolean): number | null =>
      datePart(args.get(name), name, fallback, bounded, root, variables);
    const hour = part('hour', 0, true);
    const minute = hour === null ? null : part('minute', 0, true);
    const second = minute === null ? null : part('second', 0, false);
    const millisecond = second === null ? null : part('millisecond', 0, false);
    if (millisecond === null || second === null || minute === null || hour === null) return null;
    const zone = evaluateTimeZone(args.get('timezone'), root, variables);
    if (zone === undefined) return null;
    const year = part(useIso ? 'isoWeekYear' : 'year', 1970, false);
    const middle = year === null ? null : part(useIso ? 'isoWeek' : 'month', 1, true);
    const last = middle === null ? null : part(useIso ? 'isoDayOfWeek' : 'day', 1, true);
    if (year === null || middle === null || last === null) return null;
    if (year < 1 || year > 9999) {
      const field = useIso ? 'isoWeekYear' : 'year';
      throw new MongoError(
        useIso ? 31095 : 40523,
        `'${field}' must evaluate to an integer in the range 1 to 9999, found ${year}`,
      );
    }
    const local = useIso
      ? civilToMillis(
          1970,
          1,
          1 + daysFromIsoWeekDate(year, middle, last),
          hour,
          minute,
          second,
          millisecond,
        )
      : civilToMillis(year, middle, last, hour, minute, second, millisecond);
    return new Date(fromLocal(zone, local));
  };
}

export const dateStringOperators: OperatorTable = {
  $dateToString: compileDateToString,
  $dateFromString: compileDateFromString,
  $dateToParts: compileDateToParts,
  $dateFromParts: compileDateFromParts,
};
