/**
 * $dateAdd, $dateSubtract, $dateDiff and $dateTrunc: argument parsing, evaluation order and
 * error codes of the server's expressions; the calendar work is in date-units.ts.
 */
import { Long } from 'bson';
import { isDocument } from '../../bson/types.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { coerceToDateMillis, evaluateTimeZone, isCoercibleToDate } from './date-parts.js';
import { dateAdd, dateDiff, dateTrunc, dayOfWeekNumber, isTimeUnit, sunday } from './date-units.js';
import type { TimeUnit } from './date-units.js';
import type { TimeZone } from './timezone.js';
import type { CompiledExpression, OperatorContext, OperatorTable, Variables } from './types.js';
import { coerceToLong, formatValue, int64Min, integral64, isNullish, typeName } from './values.js';
import type { Value } from './values.js';

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

/** parseTimeUnit(value, expressionName): 5439013 / 5439014. */
function timeUnit(value: Value, name: string): TimeUnit {
  if (typeof value !== 'string') {
    throw new MongoError(
      5439013,
      `${name} requires 'unit' to be a string, but got ${typeName(value)}`,
    );
  }
  if (!isTimeUnit(value)) {
    throw new MongoError(
      5439014,
      `${name} parameter 'unit' value cannot be recognized as a time unit: ${value}`,
    );
  }
  return value;
}

function startOfWeek(value: Value, name: string): number {
  if (typeof value !== 'string') {
    throw new MongoError(
      5439015,
      `${name} requires 'startOfWeek' to be a string, but got ${typeName(value)}`,
    );
  }
  const day = dayOfWeekNumber(value);
  if (day === undefined) {
    throw new MongoError(
      5439016,
      `${name} parameter 'startOfWeek' value cannot be recognized as a day of a week: ${value}`,
    );
  }
  return day;
}

/** Evaluates the timezone with the server's added error context. */
function zoneWithContext(
  expression: CompiledExpression | undefined,
  root: BsonDocument,
  variables: Variables,
  name: string,
): TimeZone | undefined {
  try {
    return evaluateTimeZone(expression, root, variables);
  } catch (error) {
    if (!(error instanceof MongoError)) throw error;
    throw new MongoError(
      error.code,
      `${name} parameter 'timezone' value parsing failed :: caused by :: ${error.message}`,
    );
  }
}

function compileDateAddOrSubtract(subtract: boolean) {
  return (argument: BsonValue, context: OperatorContext): CompiledExpression => {
    const name = context.name;
    if (!isDocument(argument))
      throw new MongoError(5166400, `${name} expects an object as its argument`);
    const args = namedExpressions(
      argument,
      ['startDate', 'unit', 'amount', 'timezone'],
      context,
      (key) =>
        new MongoError(
          5166401,
          `Unrecognized argument to ${name}: ${key}. Expected arguments are startDate, unit, amount, and optionally timezone.`,
        ),
    );
    const [start, unit, amount] = [args.get('startDate'), args.get('unit'), args.get('amount')];
    if (start === undefined || unit === undefined || amount === undefined) {
      throw new MongoError(5166402, `${name} requires startDate, unit, and amount to be present`);
    }
    const timezone = args.get('timezone');
    return (root, variables) => {
      const startValue = start(root, variables);
      if (isNullish(startValue)) return null;
      const unitValue = unit(root, variables);
      if (isNullish(unitValue)) return null;
      const amountValue = amount(root, variables);
      if (isNullish(amountValue)) return null;
      const zone = evaluateTimeZone(timezone, root, variables);
      if (zone === undefined) return null;
      if (!isCoercibleToDate(startValue)) {
        throw new MongoError(5166403, `${name} requires startDate to be convertible to a date`);
      }
      if (typeof unitValue !== 'string') {
        throw new MongoError(5166404, `${name} expects string defining the time unit`);
      }
      if (!isTimeUnit(unitValue))
        throw new MongoError('FailedToParse', `unknown time unit value: ${unitValue}`);
      if (integral64(amountValue) === undefined) {
        throw new MongoError(5166405, `${name} expects integer amount of time units`);
      }
      let units = coerceToLong(amountValue as Parameters<typeof coerceToLong>[0]);
      if (subtract) {
        if (units === int64Min) {
          throw new MongoError(6045000, `invalid $dateSubtract 'amount' parameter value: ${units}`);
        }
        units = -units;
      }
      return new Date(dateAdd(coerceToDateMillis(startValue), unitValue, units, zone));
    };
  };
}

function requireDate(value: Value, name: string, parameter: string, code: number): number {
  if (!isCoercibleToDate(value)) {
    throw new MongoError(
      code,
      `${name} requires '${parameter}' to be a date, but got ${typeName(value)}`,
    );
  }
  return coerceToDateMillis(value);
}

function compileDateDiff(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const name = '$dateDiff';
  if (!isDocument(argument))
    throw new MongoError(5166301, '$dateDiff only supports an object as its argument');
  const args = namedExpressions(
    argument,
    ['startDate', 'endDate', 'unit', 'timezone', 'startOfWeek'],
    context,
    (key) => new MongoError(5166302, `Unrecognized argument to $dateDiff: ${key}`),
  );
  const [start, end, unit] = [args.get('startDate'), args.get('endDate'), args.get('unit')];
  if (start === undefined)
    throw new MongoError(5166303, "Missing 'startDate' parameter to $dateDiff");
  if (end === undefined) throw new MongoError(5166304, "Missing 'endDate' parameter to $dateDiff");
  if (unit === undefined) throw new MongoError(5166305, "Missing 'unit' parameter to $dateDiff");
  const weekStart = args.get('startOfWeek');
  return (root, variables) => {
    const startValue = start(root, variables);
    if (isNullish(startValue)) return null;
    const endValue = end(root, variables);
    if (isNullish(endValue)) return null;
    const unitValue = unit(root, variables);
    if (isNullish(unitValue)) return null;
    const weekActive = weekStart !== undefined && unitValue === 'week';
    const weekValue = weekActive ? weekStart(root, variables) : undefined;
    if (weekActive && isNullish(weekValue)) return null;
    const zone = zoneWithContext(args.get('timezone'), root, variables, name);
    if (zone === undefined) return null;
    const startMillis = requireDate(startValue, name, 'startDate', 5166307);
    const endMillis = requireDate(endValue, name, 'endDate', 5166307);
    const parsedUnit = timeUnit(unitValue, name);
    const firstDay = weekActive ? startOfWeek(weekValue, name) : sunday;
    return Long.fromBigInt(dateDiff(startMillis, endMillis, parsedUnit, zone, firstDay));
  };
}

function binSizeOf(value: Value): bigint {
  const size = integral64(value);
  if (size === undefined) {
    throw new MongoError(
      5439017,
      `$dateTrunc requires 'binSize' to be a 64-bit integer, but got value '${formatValue(value)}' of type ${typeName(value)}`,
    );
  }
  if (size <= 0n)
    throw new MongoError(
      5439018,
      `$dateTrunc requires 'binSize' to be greater than 0, but got value ${size}`,
    );
  return size;
}

function compileDateTrunc(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const name = '$dateTrunc';
  if (!isDocument(argument))
    throw new MongoError(5439007, '$dateTrunc only supports an object as its argument');
  const args = namedExpressions(
    argument,
    ['date', 'unit', 'binSize', 'timezone', 'startOfWeek'],
    context,
    (key) =>
      new MongoError(
        5439008,
        `Unrecognized argument to $dateTrunc: ${key}. Expected arguments are date, unit, and optionally, binSize, timezone, startOfWeek`,
      ),
  );
  const [date, unit] = [args.get('date'), args.get('unit')];
  if (date === undefined) throw new MongoError(5439009, "Missing 'date' parameter to $dateTrunc");
  if (unit === undefined) throw new MongoError(5439010, "Missing 'unit' parameter to $dateTrunc");
  const [binSize, weekStart] = [args.get('binSize'), args.get('startOfWeek')];
  return (root, variables) => {
    const dateValue = date(root, variables);
    if (isNullish(dateValue)) return null;
    const unitValue = unit(root, variables);
    if (isNullish(unitValue)) return null;
    const binValue = binSize === undefined ? undefined : binSize(root, variables);
    if (binSize !== undefined && isNullish(binValue)) return null;
    const weekActive = weekStart !== undefined && unitValue === 'week';
    const weekValue = weekActive ? weekStart(root, variables) : undefined;
    if (weekActive && isNullish(weekValue)) return null;
    const zone = zoneWithContext(args.get('timezone'), root, variables, name);
    if (zone === undefined) return null;
    const millis = requireDate(dateValue, name, 'date', 5439012);
    const parsedUnit = timeUnit(unitValue, name);
    const size = binSize === undefined ? 1n : binSizeOf(binValue);
    const firstDay = weekActive ? startOfWeek(weekValue, name) : sunday;
    return new Date(dateTrunc(millis, parsedUnit, size, zone, firstDay));
  };
}

export const dateArithmeticOperators: OperatorTable = {
  $dateAdd: compileDateAddOrSubtract(false),
  $dateSubtract: compileDateAddOrSubtract(true),
  $dateDiff: compileDateDiff,
  $dateTrunc: compileDateTrunc,
};
