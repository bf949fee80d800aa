/**
 * Accumulator parsing for $group and $setWindowFields: an accumulator spec ({$sum: <expr>},
 * {$topN: {n, sortBy, output}}, ...) compiles once into an argument expression, evaluated per
 * document by the stage, and a factory for per-group state.
 */
import { Int32 } from 'bson';
import { isDocument, isNumber } from '../../bson/types.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { compileExpression } from '../expression.js';
import { constant } from '../expressions/constants.js';
import { formatBsonElement } from '../expressions/format-bson.js';
import type { CompiledExpression, ExpressionScope, Variables } from '../expressions/types.js';
import {
  AddToSetAccumulator,
  FirstAccumulator,
  LastAccumulator,
  MergeObjectsAccumulator,
  MinMaxAccumulator,
  PushAccumulator,
  StdDevAccumulator,
} from './basic.js';
import {
  FirstLastNAccumulator,
  MinMaxNAccumulator,
  sortKeyPart,
  TopBottomAccumulator,
  validateN,
} from './n-accumulators.js';
import { parsePercentileSpec, PercentileAccumulator } from './percentile.js';
import { AvgAccumulator, SumAccumulator } from './sum-avg.js';
import type { Accumulator } from './types.js';

export type { Accumulator } from './types.js';

/** A parsed accumulator: evaluate `argument` per document, feed it to a `create()`d state. */
export interface AccumulatorFactory {
  /**
   * New state for one group. Accumulators with an `n` evaluate it here, against the
   * `initializerRoot` document (the group key, for $group) and variables.
   */
  create(initializerRoot?: BsonDocument, variables?: Variables): Accumulator;
  argument: CompiledExpression;
}

type Parser = (argument: BsonValue, scope: ExpressionScope, name: string) => AccumulatorFactory;

function single(make: () => Accumulator): Parser {
  return (argument, scope) => ({ create: make, argument: compileExpression(argument, scope) });
}

function parseCount(argument: BsonValue): AccumulatorFactory {
  if (!isDocument(argument) || Object.keys(argument).length > 0) {
    throw new MongoError('TypeMismatch', '$count takes no arguments, i.e. $count:{}');
  }
  return { create: () => new SumAccumulator(), argument: constant(new Int32(1)) };
}

/** {n, input} for $firstN/$lastN/$minN/$maxN (AccumulatorN::parseArgs). */
export function parseNArguments(
  argument: BsonValue,
  scope: ExpressionScope,
  name: string,
  objectCode: number,
): { n: CompiledExpression; input: CompiledExpression } {
  if (!isDocument(argument)) {
    throw new MongoError(
      objectCode,
      `specification must be an object; found ${formatBsonElement(name, argument)}`,
    );
  }
  let n: CompiledExpression | undefined;
  let input: CompiledExpression | undefined;
  for (const [key, value] of Object.entries(argument)) {
    if (key === 'input') input = compileExpression(value, scope);
    else if (key === 'n') n = compileExpression(value, scope);
    else throw new MongoError(5787901, `Unknown argument for 'n' operator: ${key}`);
  }
  if (n === undefined) throw new MongoError(5787906, "Missing value for 'n'");
  if (input === undefined) throw new MongoError(5787907, "Missing value for 'input'");
  return { n, input };
}

function parseN(make: (n: number) => Accumulator, objectCode: number): Parser {
  return (argument, scope, name) => {
    const { n, input } = parseNArguments(argument, scope, name, objectCode);
    return {
      create: (root = {}, variables = new Map()) => make(validateN(n(root, variables))),
      argument: input,
    };
  };
}

/** A $top/$bottom sortBy: fields with 1 or -1 (SortPattern). */
export function parseSortBy(sortBy: BsonValue): { path: string; direction: 1 | -1 }[] {
  if (!isDocument(sortBy)) {
    throw new MongoError(15973, 'the $sort key specification must be an object');
  }
  const keys = Object.keys(sortBy);
  if (keys.length === 0) throw new MongoError(15976, '$sort stage must have at least one sort key');
  return keys.map((path) => {
    const value = sortBy[path];
    const direction = isNumber(value) ? Number(value.valueOf()) : NaN;
    if (isDocument(value) && Object.hasOwn(value, '$meta')) {
      throw new MongoError(
        40218,
        'query requires text score metadata, but it is not available (Shoal does not support text search)',
      );
    }
    if (direction !== 1 && direction !== -1) {
      throw new MongoError(
        15975,
        '$sort key ordering must be 1 (for ascending) or -1 (for descending)',
      );
    }
    return { path, direction: direction };
  });
}

function parseTopBottom(bottom: boolean, single: boolean): Parser {
  return (argument, scope, name) => {
    if (!isDocument(argument)) {
      throw new MongoError(
        5788001,
        `specification must be an object; found ${formatBsonElement(name, argument)}`,
      );
    }
    let n: CompiledExpression = constant(new Int32(1));
    let output: CompiledExpression | undefined;
    let sortBy: BsonValue | undefined;
    for (const [key, value] of Object.entries(argument)) {
      if (key === 'n' && !single) n = compileExpression(value, scope);
      else if (key === 'output') output = compileExpression(value, scope);
      else if (key === 'sortBy') sortBy = value;
      else throw new MongoError(5788002, `Unknown argument to ${name} '${key}'`);
    }
    if (!single && !Object.hasOwn(argument, 'n'))
      throw new MongoError(5788003, "Missing value for 'n'");
    if (output === undefined) throw new MongoError(5788004, "Missing value for 'output'");
    if (sortBy === undefined) throw new MongoError(5788005, "Missing value for 'sortBy'");
    const fields = parseSortBy(sortBy);
    const keys = fields.map((field) => compileExpression(`$${field.path}`, scope));
    const directions = fields.map((field) => field.direction);
    const outputExpression = output;
    const argumentExpression: CompiledExpression = (root, variables) => ({
      output: outputExpression(root, variables),
      sortFields: keys.map((key, i) => sortKeyPart(key(root, variables), directions[i] as 1 | -1)),
    });
    const nExpression = n;
    return {
      create: (root = {}, variables = new Map()) =>
        new TopBottomAccumulator(
          validateN(nExpression(root, variables)),
          bottom,
          single,
          directions,
          name,
        ),
      argument: argumentExpression,
    };
  };
}

function parsePercentile(median: boolean): Parser {
  return (argument, scope) => {
    const name = median ? '$median' : '$percentile';
    const spec = parsePercentileSpec(argument, name, median ? 7436100 : 7429703);
    return {
      create: () => new PercentileAccumulator(spec.percentiles, median),
      argument: compileExpression(spec.input, scope),
    };
  };
}

function javascriptAccumulator(): AccumulatorFactory {
  throw new MongoError(
    31264,
    'Cannot run server-side javascript without the javascript engine enabled: Shoal does not run JavaScript ($accumulator)',
  );
}

const parsers: ReadonlyMap<string, Parser> = new Map<string, Parser>([
  ['$sum', single(() => new SumAccumulator())],
  ['$avg', single(() => new AvgAccumulator())],
  ['$min', single(() => new MinMaxAccumulator(1))],
  ['$max', single(() => new MinMaxAccumulator(-1))],
  ['$first', single(() => new FirstAccumulator())],
  ['$last', single(() => new LastAccumulator())],
  ['$push', single(() => new PushAccumulator())],
  ['$addToSet', single(() => new AddToSetAccumulator())],
  ['$mergeObjects', single(() => new MergeObjectsAccumulator())],
  ['$stdDevPop', single(() => new StdDevAccumulator(false))],
  ['$stdDevSamp', single(() => new StdDevAccumulator(true))],
  ['$count', parseCount],
  ['$firstN', parseN((n) => new FirstLastNAccumulator(n, false), 5787801)],
  ['$lastN', parseN((n) => new FirstLastNAccumulator(n, true), 5787801)],
  ['$minN', parseN((n) => new MinMaxNAccumulator(n, false), 5787900)],
  ['$maxN', parseN((n) => new MinMaxNAccumulator(n, true), 5787900)],
  ['$top', parseTopBottom(false, true)],
  ['$bottom', parseTopBottom(true, true)],
  ['$topN', parseTopBottom(false, false)],
  ['$bottomN', parseTopBottom(true, false)],
  ['$median', parsePercentile(true)],
  ['$percentile', parsePercentile(false)],
  ['$accumulator', javascriptAccumulator],
]);

export function isAccumulatorName(name: string): boolean {
  return parsers.has(name);
}

/** Parses one accumulator: `name` with its '$', `argument` as written in the stage. */
export function createAccumulator(
  name: string,
  argument: BsonValue,
  scope: ExpressionScope,
): AccumulatorFactory {
  const parser = parsers.get(name);
  if (parser === undefined) throw new MongoError(15952, `unknown group operator '${name}'`);
  if (Array.isArray(argument))
    throw new MongoError(40237, `The ${name} accumulator is a unary operator`);
  return parser(argument, scope, name);
}
