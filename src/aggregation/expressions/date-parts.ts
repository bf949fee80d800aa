/**
 * The date-part operators ($year ... $isoWeekYear), which take a date or {date, timezone}
 * (DateExpressionAcceptingTimeZone), plus the helpers every date operator shares: coercion to
 * a date (Date, Timestamp or ObjectId) and time zone arguments.
 */
import { Int32, Long } from 'bson';
import { isDocument } from '../../bson/types.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { isoWeekDate } from './date-civil.js';
import { dateParts, dayOfWeekOf, dayOfYearOf, weekOf } from './date-format.js';
import type { DateParts } from './date-format.js';
import { formatBsonElement } from './format-bson.js';
import { timeZoneFor, utcZone } from './timezone.js';
import type { TimeZone } from './timezone.js';
import type { CompiledExpression, OperatorContext, OperatorTable, Variables } from './types.js';
import { formatValue, isNullish, typeName } from './values.js';
import type { Value } from './values.js';

/** Value::coerceToDate: Date, Timestamp (its seconds) or ObjectId (its timestamp), else 16006. */
export function coerceToDateMillis(value: Value): number {
  if (value instanceof Date) return value.getTime();
  const tag = (value as { _bsontype?: string } | null | undefined)?._bsontype;
  if (tag === 'Timestamp') return (value as { t: number }).t * 1000;
  if (tag === 'ObjectId') return (value as { getTimestamp(): Date }).getTimestamp().getTime();
  throw new MongoError(16006, `can't convert from BSON type ${typeName(value)} to Date`);
}

/** Value::coercibleToDate. */
export function isCoercibleToDate(value: Value): boolean {
  if (value instanceof Date) return true;
  const tag = (value as { _bsontype?: string } | null | undefined)?._bsontype;
  return tag === 'Timestamp' || tag === 'ObjectId';
}

/** makeTimeZone: no expression means UTC; a nullish value means "return null" (undefined). */
export function evaluateTimeZone(
  expression: CompiledExpression | undefined,
  root: BsonDocument,
  variables: Variables,
): TimeZone | undefined {
  if (expression === undefined) return utcZone;
  const id = expression(root, variables);
  if (isNullish(id)) return undefined;
  if (typeof id !== 'string') {
    throw new MongoError(40517, `timezone must evaluate to a string, found ${typeName(id)}`);
  }
  return timeZoneFor(id);
}

type PartOf = (parts: DateParts) => BsonValue;

function compileDatePart(partOf: PartOf) {
  return (argument: BsonValue, context: OperatorContext): CompiledExpression => {
    const name = context.name;
    let date: CompiledExpression | undefined;
    let timezone: CompiledExpression | undefined;
    if (isDocument(argument) && !(Object.keys(argument)[0] ?? '').startsWith('$')) {
      for (const [key, value] of Object.entries(argument)) {
        if (key === 'date') date = context.compile(value);
        else if (key === 'timezone') timezone = context.compile(value);
        else throw new MongoError(40535, `unrecognized option to ${name}: "${key}"`);
      }
      if (date === undefined) {
        throw new MongoError(
          40539,
          `missing 'date' argument to ${name}, provided: ${formatBsonElement(name, argument)}`,
        );
      }
    } else if (Array.isArray(argument)) {
      if (argument.length !== 1) {
        throw new MongoError(
          40536,
          `${name} accepts exactly one argument if given an array, but was given ${argument.length}`,
        );
      }
      date = context.compile(argument[0]);
    } else {
      date = context.compile(argument);
    }
    const dateExpression = date;
    return (root, variables) => {
      const value = dateExpression(root, variables);
      if (isNullish(value)) return null;
      const millis = coerceToDateMillis(value);
      if (timezone === undefined) return partOf(dateParts(millis, utcZone));
      const id = timezone(root, variables);
      if (isNullish(id)) return null;
      if (typeof id !== 'string') {
        throw new MongoError(
          40533,
          `${name} requires a string for the timezone argument, but was given a ${typeName(id)} (${formatValue(id)})`,
        );
      }
      return partOf(dateParts(millis, timeZoneFor(id)));
    };
  };
}

const int = (value: number): Int32 => new Int32(value);

export const datePartOperators: OperatorTable = {
  $year: compileDatePart((p) => int(p.year)),
  $month: compileDatePart((p) => int(p.month)),
  $dayOfMonth: compileDatePart((p) => int(p.day)),
  $hour: compileDatePart((p) => int(p.hour)),
  $minute: compileDatePart((p) => int(p.minute)),
  $second: compileDatePart((p) => int(p.second)),
  $millisecond: compileDatePart((p) => int(p.millisecond)),
  $dayOfYear: compileDatePart((p) => int(dayOfYearOf(p))),
  $dayOfWeek: compileDatePart((p) => int(dayOfWeekOf(p))),
  $week: compileDatePart((p) => int(weekOf(p))),
  $isoWeek: compileDatePart((p) => int(isoWeekDate(p.year, p.month, p.day).isoWeek)),
  $isoDayOfWeek: compileDatePart((p) => int(isoWeekDate(p.year, p.month, p.day).isoDayOfWeek)),
  // TimeZone::isoYear returns long long, so the server answers with a NumberLong.
  $isoWeekYear: compileDatePart((p) =>
    Long.fromNumber(isoWeekDate(p.year, p.month, p.day).isoYear),
  ),
};
