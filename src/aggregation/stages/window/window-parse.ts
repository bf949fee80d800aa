/**
 * Parsing one $setWindowFields output (window_function_expression.cpp): the first
 * $-prefixed key names the function; each family has the server's own argument rules and
 * messages, and its default window.
 */
import { Decimal128, Int32 } from 'bson';
import type { BsonDocument, BsonValue } from '../../../bson/types.js';
import { isDocument, isNumber } from '../../../bson/types.js';
import { toDouble } from '../../../bson/arith.js';
import { compareValues } from '../../../bson/compare.js';
import { toDecimal } from '../../../bson/number-convert.js';
import { MongoError } from '../../../errors/mongo-error.js';
import { createAccumulator } from '../../accumulators/accumulator.js';
import { constantOf } from '../../expressions/constants.js';
import { isTimeUnit } from '../../expressions/date-units.js';
import { decimalAdd, decimalDivide } from '../../expressions/decimal-bridge.js';
import { formatValue, integral32, typeName } from '../../expressions/values.js';
import type { StageCompiler } from '../../pipeline-compiler.js';
import {
  CovarianceAccumulator,
  ExpMovingAvgAccumulator,
  IntegralAccumulator,
  LocfAccumulator,
} from './window-accumulators.js';
import { leftUnboundedWindow, parseWindowBounds, unboundedWindow } from './window-bounds.js';
import type { SortByShape, WindowBounds } from './window-bounds.js';
import {
  AccumulatingFunction,
  DerivativeFunction,
  EndpointFunction,
  inputArgument,
  LinearFillFunction,
  RankFunction,
  ShiftFunction,
} from './window-functions.js';
import type { WindowFunction } from './window-functions.js';

export interface WindowParseContext {
  readonly compiler: StageCompiler;
  readonly sortBy: SortByShape | undefined;
}

type WindowParser = (
  spec: BsonDocument,
  name: string,
  context: WindowParseContext,
) => WindowFunction;

function failed(message: string): MongoError {
  return new MongoError('FailedToParse', message);
}

const simpleAccumulators = [
  '$addToSet',
  '$avg',
  '$count',
  '$max',
  '$min',
  '$push',
  '$stdDevPop',
  '$stdDevSamp',
  '$sum',
];

/** {$fn: <arg>, window: {...}}: the generic form (ExpressionRemovable::parse). */
function parseGeneric(
  spec: BsonDocument,
  name: string,
  context: WindowParseContext,
): { bounds: WindowBounds; argument: BsonValue } {
  let bounds = unboundedWindow;
  let found: string | undefined;
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'window') bounds = parseWindowBounds(value, context.compiler, context.sortBy);
    else if (parsers.has(key)) {
      if (found !== undefined) throw failed('Cannot specify two functions in window function spec');
      found = key;
    } else throw failed(`Window function found an unknown argument: ${key}`);
  }
  return { bounds, argument: spec[name] };
}

function parseAccumulator(
  spec: BsonDocument,
  name: string,
  context: WindowParseContext,
): WindowFunction {
  const { bounds, argument } = parseGeneric(spec, name, context);
  const factory = createAccumulator(name, argument, context.compiler.scope);
  const variables = context.compiler.variables;
  return new AccumulatingFunction(
    bounds,
    (partition, index) => factory.argument(partition.docs[index] as BsonDocument, variables),
    () => factory.create({}, variables),
  );
}

/** $firstN, $topN, $median, ...: {$fn: {...}, window: {...}} with their own argument parsers. */
function parseWithOwnArguments(
  spec: BsonDocument,
  name: string,
  context: WindowParseContext,
): WindowFunction {
  let bounds = unboundedWindow;
  for (const key of Object.keys(spec)) {
    if (key === 'window') bounds = parseWindowBounds(spec[key], context.compiler, context.sortBy);
    else if (key !== name) throw failed(`${name} got unexpected argument: ${key}`);
  }
  const factory = createAccumulator(name, spec[name], context.compiler.scope);
  const variables = context.compiler.variables;
  return new AccumulatingFunction(
    bounds,
    (partition, index) => factory.argument(partition.docs[index] as BsonDocument, variables),
    () => factory.create({}, variables),
  );
}

function parseFirstLast(
  spec: BsonDocument,
  name: string,
  context: WindowParseContext,
): WindowFunction {
  let bounds: WindowBounds | undefined;
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'window') {
      if (bounds !== undefined)
        throw failed(`saw multiple 'window' fields in '${name}' expression`);
      bounds = parseWindowBounds(value, context.compiler, context.sortBy);
    } else if (key !== name) throw failed(`${name} got unexpected argument: ${key}`);
  }
  return new EndpointFunction(
    bounds ?? unboundedWindow,
    context.compiler.expression(spec[name]),
    name === '$last',
  );
}

function parseRank(spec: BsonDocument, name: string, context: WindowParseContext): WindowFunction {
  if (Object.keys(spec).length !== 1)
    throw new MongoError(5371601, 'Rank style window functions take no other arguments');
  const argument = spec[name];
  if (!isDocument(argument) || Object.keys(argument).length > 0) {
    throw new MongoError(5371603, `${name} must be specified with '{}' as the value`);
  }
  if (context.sortBy?.fields !== 1) {
    throw new MongoError(
      5371602,
      `${name} must be specified with a top level sortBy expression with exactly one element`,
    );
  }
  return new RankFunction(name as '$rank' | '$denseRank' | '$documentNumber');
}

function parseShift(spec: BsonDocument, name: string, context: WindowParseContext): WindowFunction {
  for (const key of Object.keys(spec)) {
    if (key === 'window') throw failed("$shift does not accept a 'window' field");
    if (key !== name) throw failed(`Window function found an unknown argument: ${key}`);
  }
  const args = spec[name];
  if (!isDocument(args)) throw failed('Argument to $shift must be an object');
  let output: BsonValue | undefined;
  let by: number | undefined;
  let defaultValue: BsonValue = null;
  for (const [key, value] of Object.entries(args)) {
    if (key === 'output') output = value;
    else if (key === 'default') {
      const constant = constantOf(context.compiler.compile(value));
      if (constant === undefined)
        throw failed("'$shift:default' expression must yield a constant value.");
      defaultValue = constant.value ?? null;
    } else if (key === 'by') {
      by = isNumber(value) ? integral32(value) : undefined;
      if (by === undefined)
        throw failed(`'$shift:by' field must be an integer, but found  by: ${formatValue(value)}`);
    } else throw failed(`Unknown argument in ${name}`);
  }
  if (output === undefined) throw failed(`${name} requires an 'output' expression.`);
  if (by === undefined) throw failed(`${name} requires 'by' as an integer value.`);
  if (context.sortBy === undefined) throw failed(`'${name}' requires a sortBy`);
  return new ShiftFunction(context.compiler.expression(output), by, defaultValue);
}

const unitMillis: Readonly<Record<string, number>> = {
  week: 604800000,
  day: 86400000,
  hour: 3600000,
  minute: 60000,
  second: 1000,
  millisecond: 1,
};

function parseUnit(value: BsonValue): number {
  if (typeof value !== 'string') throw failed(`unit' must be a string, but got ${typeName(value)}`);
  if (!isTimeUnit(value)) throw failed(`unknown time unit value: ${value}`);
  const millis = unitMillis[value];
  if (millis === undefined) throw new MongoError(5490710, "unit must be 'week' or smaller");
  return millis;
}

function validateSortBy(name: string, context: WindowParseContext): void {
  if (context.sortBy === undefined) throw failed(`${name} requires a sortBy`);
  if (context.sortBy.fields !== 1) throw failed(`${name} requires a non-compound sortBy`);
}

/** $derivative and $integral: {$fn: {input, unit}, window}. */
function parseWithUnit(
  spec: BsonDocument,
  name: string,
  context: WindowParseContext,
): WindowFunction {
  validateSortBy(name, context);
  let bounds: WindowBounds | undefined;
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'window') {
      if (bounds !== undefined) throw failed(`There can be only one 'window' field for ${name}`);
      bounds = parseWindowBounds(value, context.compiler, context.sortBy);
    } else if (key !== name) throw failed(`${name} got unexpected argument: ${key}`);
  }
  const args = spec[name];
  if (!isDocument(args))
    throw failed(`${name} expects an object, but got a ${typeName(args)}: ${formatValue(args)}`);
  let input: BsonValue | undefined;
  let unit: number | undefined;
  for (const [key, value] of Object.entries(args)) {
    if (key === 'input') input = value;
    else if (key === 'unit') unit = parseUnit(value);
    else throw failed(`${name} got unexpected argument: ${key}`);
  }
  if (input === undefined) throw failed(`${name} requires an 'input' expression`);
  const expression = context.compiler.expression(input);
  if (name === '$derivative') {
    if (bounds === undefined) throw failed('$derivative requires explicit window bounds');
    return new DerivativeFunction(bounds, expression, unit);
  }
  return new AccumulatingFunction(
    bounds ?? unboundedWindow,
    (partition, index) => [
      partition.sortValues?.[index] ?? null,
      expression(partition.docs[index] as BsonDocument) ?? null,
    ],
    () => new IntegralAccumulator(unit),
  );
}

function parseCovariance(
  spec: BsonDocument,
  name: string,
  context: WindowParseContext,
): WindowFunction {
  const { bounds, argument } = parseGeneric(spec, name, context);
  return new AccumulatingFunction(
    bounds,
    inputArgument(context.compiler.expression(argument)),
    () => new CovarianceAccumulator(name === '$covarianceSamp'),
  );
}

function parseExpMovingAvg(
  spec: BsonDocument,
  _name: string,
  context: WindowParseContext,
): WindowFunction {
  const args = spec.$expMovingAvg;
  if (Object.keys(spec).length !== 1 || !isDocument(args)) {
    throw failed('$expMovingAvg must have exactly one argument that is an object');
  }
  const shape =
    "$expMovingAvg sub object must have exactly two fields: An 'input' field, and either an 'N' field or an 'alpha' field";
  if (Object.keys(args).length !== 2 || args.input === undefined) throw failed(shape);
  if (context.sortBy === undefined) throw failed("$expMovingAvg requires an explicit 'sortBy'");
  let alpha: Decimal128;
  if (args.N !== undefined) {
    const n = args.N;
    if (!isNumber(n)) throw failed(`'N' field must be an integer, but found type ${typeName(n)}`);
    const number = toDouble(n);
    if (number !== Math.floor(number)) {
      throw failed(
        `'N' field must be an integer, but found  N: ${formatValue(n)}. To use a non-integer, use the 'alpha' argument instead`,
      );
    }
    if (!(number > 0)) throw failed(`'N' must be greater than zero. Got ${Math.trunc(number)}`);
    alpha = decimalDivide(
      Decimal128.fromString('2'),
      decimalAdd(Decimal128.fromString(String(Math.trunc(number))), Decimal128.fromString('1')),
    );
  } else if (args.alpha !== undefined) {
    const value = args.alpha;
    if (!isNumber(value)) throw failed("'alpha' must be a number");
    if (!(compareValues(value, new Int32(0)) > 0 && compareValues(value, new Int32(1)) < 0)) {
      throw failed(
        `'alpha' must be between 0 and 1 (exclusive), found alpha: ${formatValue(value)}`,
      );
    }
    alpha = toDecimal(value);
  } else {
    throw failed(`Got unrecognized field in $expMovingAvg${shape}`);
  }
  const input = context.compiler.expression(args.input);
  return new AccumulatingFunction(
    leftUnboundedWindow,
    inputArgument(input),
    () => new ExpMovingAvgAccumulator(alpha),
  );
}

/** $locf and $linearFill take an expression and no window. */
function parseFill(spec: BsonDocument, name: string, context: WindowParseContext): WindowFunction {
  for (const key of Object.keys(spec)) {
    if (key === 'window') throw failed(`'window' field is not allowed in ${name}`);
    if (key !== name) throw failed(`Window function found an unknown argument: ${key}`);
  }
  const input = context.compiler.expression(spec[name]);
  if (name === '$locf')
    return new AccumulatingFunction(
      leftUnboundedWindow,
      inputArgument(input),
      () => new LocfAccumulator(),
    );
  if (context.sortBy?.fields !== 1) {
    throw new MongoError(
      605001,
      '$linearFill must be specified with a top level sortBy expression with exactly one element',
    );
  }
  return new LinearFillFunction(input);
}

const parsers = new Map<string, WindowParser>([
  ...simpleAccumulators.map((name): [string, WindowParser] => [name, parseAccumulator]),
  ...[
    '$firstN',
    '$lastN',
    '$minN',
    '$maxN',
    '$topN',
    '$bottomN',
    '$top',
    '$bottom',
    '$median',
    '$percentile',
  ].map((name): [string, WindowParser] => [name, parseWithOwnArguments]),
  ['$first', parseFirstLast],
  ['$last', parseFirstLast],
  ['$rank', parseRank],
  ['$denseRank', parseRank],
  ['$documentNumber', parseRank],
  ['$shift', parseShift],
  ['$derivative', parseWithUnit],
  ['$integral', parseWithUnit],
  ['$covariancePop', parseCovariance],
  ['$covarianceSamp', parseCovariance],
  ['$expMovingAvg', parseExpMovingAvg],
  ['$locf', parseFill],
  ['$linearFill', parseFill],
]);

/** Expression::parse: the function named by the spec's first $-prefixed field. */
export function parseWindowFunction(
  spec: BsonDocument,
  context: WindowParseContext,
): WindowFunction {
  for (const key of Object.keys(spec)) {
    if (!key.startsWith('$')) continue;
    const parser = parsers.get(key);
    if (parser === undefined) throw failed(`Unrecognized window function, ${key}`);
    return parser(spec, key, context);
  }
  const first = Object.keys(spec)[0];
  throw failed(`Expected a $-prefixed window function${first === undefined ? '' : `, ${first}`}`);
}
