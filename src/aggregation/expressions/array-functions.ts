/**
 * Array operators with per-element sub-expressions or element ordering: $filter (with limit),
 * $map, $reduce, $sortArray and $zip. Loop variables are bound in the shared Variables map and
 * restored afterwards, so the body allocates nothing per element beyond its own result.
 */
import { compareValues } from '../../bson/compare.js';
import { isDocument, isNumber } from '../../bson/types.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { getField } from './field-path.js';
import { restoreBinding, saveBinding, scopeWith } from './scope.js';
import type { CompiledExpression, OperatorContext, OperatorTable, Variables } from './types.js';
import {
  coerceToBool,
  coerceToInt,
  formatValue,
  integral32,
  isNullish,
  typeName,
} from './values.js';
import type { Value } from './values.js';

/** Reads a named-argument object, rejecting unknown names with the operator's own code. */
function namedArguments(
  argument: BsonDocument,
  allowed: readonly string[],
  unknown: (key: string) => MongoError,
): Map<string, BsonValue> {
  const found = new Map<string, BsonValue>();
  for (const [key, value] of Object.entries(argument)) {
    if (!allowed.includes(key)) throw unknown(key);
    found.set(key, value);
  }
  return found;
}

/** The loop variable's name: "as" if given (non-strings read as ""), else "this". */
function loopVariable(args: Map<string, BsonValue>): string {
  if (!args.has('as')) return 'this';
  const as = args.get('as');
  return typeof as === 'string' ? as : '';
}

function compileFilter(argument: BsonValue, context: OperatorContext): CompiledExpression {
  if (!isDocument(argument))
    throw new MongoError(28646, '$filter only supports an object as its argument');
  const args = namedArguments(
    argument,
    ['input', 'as', 'cond', 'limit'],
    (key) => new MongoError(28647, `Unrecognized parameter to $filter: ${key}`),
  );
  if (!args.has('input')) throw new MongoError(28648, "Missing 'input' parameter to $filter");
  if (!args.has('cond')) throw new MongoError(28650, "Missing 'cond' parameter to $filter");
  const input = context.compile(args.get('input'));
  const name = loopVariable(args);
  const condition = context.compile(args.get('cond'), scopeWith(context.scope, [name]));
  const limit = args.has('limit') ? context.compile(args.get('limit')) : undefined;
  return (root, variables) => {
    const array = input(root, variables);
    if (isNullish(array)) return null;
    if (!Array.isArray(array)) {
      throw new MongoError(28651, `input to $filter must be an array not ${typeName(array)}`);
    }
    if (array.length === 0) return array;
    const remaining = limit === undefined ? Infinity : filterLimit(limit(root, variables));
    const output: BsonValue[] = [];
    const saved = saveBinding(variables, name);
    try {
      for (const element of array) {
        variables.set(name, element);
        if (!coerceToBool(condition(root, variables))) continue;
        output.push(element);
        if (output.length >= remaining) break;
      }
    } finally {
      restoreBinding(variables, name, saved);
    }
    return output;
  };
}

function filterLimit(value: Value): number {
  if (isNullish(value)) return Infinity;
  if (integral32(value) === undefined) {
    throw new MongoError(
      327391,
      `$filter: limit must be represented as a 32-bit integral value: ${formatValue(value)}`,
    );
  }
  const limit = coerceToInt(value as Parameters<typeof coerceToInt>[0]);
  if (limit <= 0)
    throw new MongoError(327392, `$filter: limit must be greater than 0: ${formatValue(value)}`);
  return limit;
}

function compileMap(argument: BsonValue, context: OperatorContext): CompiledExpression {
  if (!isDocument(argument))
    throw new MongoError(16878, '$map only supports an object as its argument');
  const args = namedArguments(
    argument,
    ['input', 'as', 'in'],
    (key) => new MongoError(16879, `Unrecognized parameter to $map: ${key}`),
  );
  if (!args.has('input')) throw new MongoError(16880, "Missing 'input' parameter to $map");
  if (!args.has('in')) throw new MongoError(16882, "Missing 'in' parameter to $map");
  const input = context.compile(args.get('input'));
  const name = loopVariable(args);
  const body = context.compile(args.get('in'), scopeWith(context.scope, [name]));
  return (root, variables) => {
    const array = input(root, variables);
    if (isNullish(array)) return null;
    if (!Array.isArray(array)) {
      throw new MongoError(16883, `input to $map must be an array not ${typeName(array)}`);
    }
    if (array.length === 0) return array;
    const output: BsonValue[] = new Array<BsonValue>(array.length);
    const saved = saveBinding(variables, name);
    try {
      for (let i = 0; i < array.length; i++) {
        variables.set(name, array[i]);
        const value = body(root, variables);
        output[i] = value === undefined ? null : value;
      }
    } finally {
      restoreBinding(variables, name, saved);
    }
    return output;
  };
}

function compileReduce(argument: BsonValue, context: OperatorContext): CompiledExpression {
  if (!isDocument(argument)) {
    throw new MongoError(
      40075,
      `$reduce requires an object as an argument, found: ${typeName(argument)}`,
    );
  }
  const args = namedArguments(
    argument,
    ['input', 'initialValue', 'in'],
    (key) => new MongoError(40076, `$reduce found an unknown argument: ${key}`),
  );
  if (!args.has('input')) throw new MongoError(40077, "$reduce requires 'input' to be specified");
  if (!args.has('initialValue'))
    throw new MongoError(40078, "$reduce requires 'initialValue' to be specified");
  if (!args.has('in')) throw new MongoError(40079, "$reduce requires 'in' to be specified");
  const input = context.compile(args.get('input'));
  const initial = context.compile(args.get('initialValue'));
  const innerScope = {
    ...context.scope,
    variablesInScope: new Set([...context.scope.variablesInScope, 'this', 'value']),
  };
  const body = context.compile(args.get('in'), innerScope);
  return (root, variables) => {
    const array = input(root, variables);
    if (isNullish(array)) return null;
    if (!Array.isArray(array)) {
      throw new MongoError(
        40080,
        `$reduce requires that 'input' be an array, found: ${formatValue(array)}`,
      );
    }
    let accumulated = initial(root, variables);
    const savedThis = saveBinding(variables, 'this');
    const savedValue = saveBinding(variables, 'value');
    try {
      for (const element of array) {
        variables.set('this', element);
        variables.set('value', accumulated);
        accumulated = body(root, variables);
      }
    } finally {
      restoreBinding(variables, 'this', savedThis);
      restoreBinding(variables, 'value', savedValue);
    }
    return accumulated;
  };
}

/** A $sortArray / $push-style ordering: whole values, or documents by dotted fields. */
export type ElementOrder = (a: BsonValue, b: BsonValue) => number;

/** Dotted lookup without array traversal (BSONObj::getFieldDotted); missing reads as null. */
function dottedField(value: BsonValue, path: readonly string[]): BsonValue {
  let current: Value = value;
  for (const part of path) {
    if (Array.isArray(current)) current = /^\d+$/.test(part) ? current[Number(part)] : undefined;
    else if (isDocument(current)) current = getField(current, part);
    else return null;
  }
  return current === undefined ? null : current;
}

function parseSortBy(sortBy: BsonValue): ElementOrder {
  if (isNumber(sortBy)) {
    const direction = Number(sortBy.valueOf());
    if (direction !== 1 && direction !== -1) {
      throw new MongoError(2942506, 'The $sort element value must be either 1 or -1');
    }
    return (a, b) => direction * compareValues(a, b);
  }
  if (!isDocument(sortBy)) {
    throw new MongoError(
      2942507,
      'The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields',
    );
  }
  const keys = Object.keys(sortBy);
  if (keys.length === 0)
    throw new MongoError(
      2942505,
      'BadValue: The $sort pattern is empty when it should be a set of fields.',
    );
  const fields = keys.map((key) => {
    const direction = sortBy[key];
    const numeric = isNumber(direction) ? Number(direction.valueOf()) : NaN;
    if (numeric !== 1 && numeric !== -1) {
      throw new MongoError(2942505, 'BadValue: The $sort element value must be either 1 or -1');
    }
    return { path: key.split('.'), direction: numeric };
  });
  return (a, b) => {
    const left = isDocument(a) ? a : undefined;
    const right = isDocument(b) ? b : undefined;
    for (const field of fields) {
      const x = left === undefined ? null : dottedField(left, field.path);
      const y = right === undefined ? null : dottedField(right, field.path);
      const order = compareValues(x, y);
      if (order !== 0) return order * field.direction;
    }
    return 0;
  };
}

function compileSortArray(argument: BsonValue, context: OperatorContext): CompiledExpression {
  if (!isDocument(argument)) {
    throw new MongoError(
      2942500,
      `$sortArray requires an object as an argument, found: ${typeName(argument)}`,
    );
  }
  let input: CompiledExpression | undefined;
  let order: ElementOrder | undefined;
  for (const [key, value] of Object.entries(argument)) {
    if (key === 'input') input = context.compile(value);
    else if (key === 'sortBy') order = parseSortBy(value);
    else throw new MongoError(2942501, `$sortArray found an unknown argument: ${key}`);
  }
  if (input === undefined)
    throw new MongoError(2942502, "$sortArray requires 'input' to be specified");
  if (order === undefined)
    throw new MongoError(2942503, "$sortArray requires 'sortBy' to be specified");
  const [inputExpression, compare] = [input, order];
  return (root, variables) => {
    const array = inputExpression(root, variables);
    if (isNullish(array)) return null;
    if (!Array.isArray(array)) {
      throw new MongoError(
        2942504,
        `The input argument to $sortArray must be an array, but was of type: ${typeName(array)}`,
      );
    }
    return array.length < 2 ? array : [...array].sort(compare);
  };
}

function compileZip(argument: BsonValue, context: OperatorContext): CompiledExpression {
  if (!isDocument(argument)) {
    throw new MongoError(
      34460,
      `$zip only supports an object as an argument, found ${typeName(argument)}`,
    );
  }
  const inputs: CompiledExpression[] = [];
  const defaults: CompiledExpression[] = [];
  let useLongestLength = false;
  for (const [key, value] of Object.entries(argument)) {
    if (key === 'inputs' || key === 'defaults') {
      if (!Array.isArray(value)) {
        throw new MongoError(
          key === 'inputs' ? 34461 : 34462,
          `${key} must be an array of expressions, found ${typeName(value)}`,
        );
      }
      for (const element of value)
        (key === 'inputs' ? inputs : defaults).push(context.compile(element));
    } else if (key === 'useLongestLength') {
      if (typeof value !== 'boolean')
        throw new MongoError(34463, 'useLongestLength must be a bool, found object');
      useLongestLength = value;
    } else {
      throw new MongoError(34464, `$zip found an unknown argument: ${key}`);
    }
  }
  if (inputs.length === 0) throw new MongoError(34465, '$zip requires at least one input array');
  if (!useLongestLength && defaults.length > 0) {
    throw new MongoError(34466, 'cannot specify defaults unless useLongestLength is true');
  }
  if (defaults.length > 0 && defaults.length !== inputs.length) {
    throw new MongoError(34467, 'defaults and inputs must have the same length');
  }
  return (root, variables) => zip(inputs, defaults, useLongestLength, root, variables);
}

function zip(
  inputs: CompiledExpression[],
  defaults: CompiledExpression[],
  useLongestLength: boolean,
  root: BsonDocument,
  variables: Variables,
): BsonValue {
  const arrays: BsonValue[][] = [];
  for (const input of inputs) {
    const value = input(root, variables);
    if (isNullish(value)) return null;
    if (!Array.isArray(value)) {
      throw new MongoError(
        34468,
        `$zip found a non-array expression in input: ${formatValue(value)}`,
      );
    }
    arrays.push(value);
  }
  const lengths = arrays.map((array) => array.length);
  const shortest = Math.min(...lengths);
  const longest = Math.max(...lengths);
  const fill: BsonValue[] = arrays.map(() => null);
  if (shortest !== longest) {
    defaults.forEach((expression, i) => {
      const value = expression(root, variables);
      fill[i] = value === undefined ? null : value;
    });
  }
  const rows = useLongestLength ? longest : shortest;
  const output: BsonValue[] = [];
  for (let row = 0; row < rows; row++) {
    output.push(arrays.map((array, column) => (row < array.length ? array[row] : fill[column])));
  }
  return output;
}

export const arrayFunctionOperators: OperatorTable = {
  $filter: compileFilter,
  $map: compileMap,
  $reduce: compileReduce,
  $sortArray: compileSortArray,
  $zip: compileZip,
};
