/**
 * Array operators without per-element sub-expressions: $arrayElemAt $first $last
 * $concatArrays $slice $size $in $indexOfArray $isArray $range $reverseArray. $in over a
 * constant array uses a hash of the array built once at compile time.
 */
import { Int32 } from 'bson';
import { toDouble } from '../../bson/arith.js';
import { valuesEqual } from '../../bson/compare.js';
import { isNumber } from '../../bson/types.js';
import type { BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { binary, rangedArity, unary, variadic } from './arguments.js';
import { constantOf } from './constants.js';
import { formatDouble } from './number-format.js';
import { nonNegativeIndex } from './substring.js';
import type { CompiledExpression, OperatorContext, OperatorTable } from './types.js';
import { valueKey } from './value-key.js';
import { coerceToInt, formatValue, integral32, isNullish, typeName } from './values.js';
import type { Value } from './values.js';

/** arrayElemAt() shared by $arrayElemAt, $first and $last. */
function elementAt(name: string, arity: number, array: Value, index: Value): Value {
  if (isNullish(array) || isNullish(index)) return null;
  if (!Array.isArray(array)) {
    const which = arity === 1 ? 'argument' : 'first argument';
    throw new MongoError(28689, `${name}'s ${which} must be an array, but is ${typeName(array)}`);
  }
  if (!isNumber(index)) {
    throw new MongoError(
      28690,
      `${name}'s second argument must be a numeric value, but is ${typeName(index)}`,
    );
  }
  const position = integral32(index);
  if (position === undefined) {
    throw new MongoError(
      28691,
      `${name}'s second argument must be representable as a 32-bit integer: ${formatDouble(toDouble(index))}`,
    );
  }
  const effective = position < 0 ? array.length + position : position;
  return effective < 0 || effective >= array.length ? undefined : array[effective];
}

function compileArrayElemAt(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const [array, index] = binary(argument, context);
  return (root, variables) =>
    elementAt(context.name, 2, array(root, variables), index(root, variables));
}

function compileEnd(index: number) {
  const position = new Int32(index);
  return (argument: BsonValue, context: OperatorContext): CompiledExpression => {
    const array = unary(argument, context);
    return (root, variables) => elementAt(context.name, 1, array(root, variables), position);
  };
}

function compileConcatArrays(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operands = variadic(argument, context);
  return (root, variables) => {
    const result: BsonValue[] = [];
    for (const operand of operands) {
      const value = operand(root, variables);
      if (isNullish(value)) return null;
      if (!Array.isArray(value)) {
        throw new MongoError(28664, `$concatArrays only supports arrays, not ${typeName(value)}`);
      }
      for (const element of value) result.push(element);
    }
    return result;
  };
}

function sliceCount(value: Value, ordinal: 'Second' | 'Third', codes: [number, number]): number {
  if (!isNumber(value)) {
    const article =
      ordinal === 'Second'
        ? 'must be a numeric value, but is of type: '
        : 'must be numeric, but is of type: ';
    throw new MongoError(codes[0], `${ordinal} argument to $slice ${article}${typeName(value)}`);
  }
  if (integral32(value) === undefined) {
    throw new MongoError(
      codes[1],
      `${ordinal} argument to $slice can't be represented as a 32-bit integer: ${formatDouble(toDouble(value))}`,
    );
  }
  return coerceToInt(value);
}

function compileSlice(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const [arrayExpression, secondExpression, countExpression] = rangedArity(argument, context, 2, 3);
  return (root, variables) => {
    const array = (arrayExpression as CompiledExpression)(root, variables);
    const second = (secondExpression as CompiledExpression)(root, variables);
    if (isNullish(array) || isNullish(second)) return null;
    if (!Array.isArray(array)) {
      throw new MongoError(
        28724,
        `First argument to $slice must be an array, but is of type: ${typeName(array)}`,
      );
    }
    const first = sliceCount(second, 'Second', [28725, 28726]);
    if (countExpression === undefined) {
      return first >= 0 ? array.slice(0, first) : array.slice(Math.max(0, array.length + first));
    }
    const start = first < 0 ? Math.max(0, array.length + first) : Math.min(array.length, first);
    const countValue = countExpression(root, variables);
    if (isNullish(countValue)) return null;
    const count = sliceCount(countValue, 'Third', [28727, 28728]);
    if (count <= 0)
      throw new MongoError(28729, `Third argument to $slice must be positive: ${count}`);
    return array.slice(start, Math.min(start + count, array.length));
  };
}

function compileSize(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const array = unary(argument, context);
  return (root, variables) => {
    const value = array(root, variables);
    if (!Array.isArray(value)) {
      throw new MongoError(
        17124,
        `The argument to $size must be an array, but was of type: ${typeName(value)}`,
      );
    }
    return new Int32(value.length);
  };
}

function compileIn(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const [needle, haystack] = binary(argument, context);
  const constantArray = constantOf(haystack);
  if (constantArray !== undefined && Array.isArray(constantArray.value)) {
    const keys = new Set(constantArray.value.map(valueKey));
    return (root, variables) => keys.has(valueKey(needle(root, variables)));
  }
  return (root, variables) => {
    const value = needle(root, variables);
    const array = haystack(root, variables);
    if (!Array.isArray(array)) {
      throw new MongoError(
        40081,
        `$in requires an array as a second argument, found: ${typeName(array)}`,
      );
    }
    return array.some((element) => valuesEqual(element, value));
  };
}

function compileIndexOfArray(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const [arrayExpression, searchExpression, startExpression, endExpression] = rangedArity(
    argument,
    context,
    2,
    4,
  );
  const name = context.name;
  return (root, variables) => {
    const array = (arrayExpression as CompiledExpression)(root, variables);
    if (isNullish(array)) return null;
    if (!Array.isArray(array)) {
      throw new MongoError(
        40090,
        `$indexOfArray requires an array as a first argument, found: ${typeName(array)}`,
      );
    }
    const start =
      startExpression === undefined
        ? 0
        : nonNegativeIndex(startExpression(root, variables), name, 'starting index');
    const end =
      endExpression === undefined
        ? array.length
        : Math.min(
            array.length,
            nonNegativeIndex(endExpression(root, variables), name, 'ending index'),
          );
    const target = (searchExpression as CompiledExpression)(root, variables);
    for (let i = start; i < end; i++) {
      if (valuesEqual(array[i], target)) return new Int32(i);
    }
    return new Int32(-1);
  };
}

function compileIsArray(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operand = unary(argument, context);
  return (root, variables) => Array.isArray(operand(root, variables));
}

/** internalQueryMaxRangeBytes (100 MiB) against the server's size estimate of the result. */
const rangeBytesMax = 100 * 1024 * 1024;

function rangeBound(value: Value, what: 'starting' | 'ending', codes: [number, number]): number {
  if (!isNumber(value)) {
    throw new MongoError(
      codes[0],
      `$range requires a numeric ${what} value, found value of type: ${typeName(value)}`,
    );
  }
  if (integral32(value) === undefined) {
    const article = what === 'starting' ? 'a starting' : 'an ending';
    throw new MongoError(
      codes[1],
      `$range requires ${article} value that can be represented as a 32-bit integer, found value: ${formatValue(value)}`,
    );
  }
  return coerceToInt(value);
}

function compileRange(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const [startExpression, endExpression, stepExpression] = rangedArity(argument, context, 2, 3);
  return (root, variables) => {
    let current = rangeBound(
      (startExpression as CompiledExpression)(root, variables),
      'starting',
      [34443, 34444],
    );
    const end = rangeBound(
      (endExpression as CompiledExpression)(root, variables),
      'ending',
      [34445, 34446],
    );
    let step = 1;
    if (stepExpression !== undefined) {
      const stepValue = stepExpression(root, variables);
      if (!isNumber(stepValue)) {
        throw new MongoError(
          34447,
          `$range requires a numeric step value, found value of type:${typeName(stepValue)}`,
        );
      }
      if (integral32(stepValue) === undefined) {
        throw new MongoError(
          34448,
          `$range requires a step value that can be represented as a 32-bit integer, found value: ${formatValue(stepValue)}`,
        );
      }
      step = coerceToInt(stepValue);
      if (step === 0) throw new MongoError(34449, '$range requires a non-zero step value');
    }
    const steps = Math.trunc((end - current) / step);
    const length = steps >= 0 ? 1 + steps : 0;
    const bytesNeeded = 24 + length * 16;
    if (bytesNeeded >= rangeBytesMax) {
      throw new MongoError(
        'ExceededMemoryLimit',
        `$range would use too much memory (${bytesNeeded} bytes) and cannot spill to disk. Memory limit: ${rangeBytesMax} bytes`,
      );
    }
    const out: BsonValue[] = [];
    for (; step > 0 ? current < end : current > end; current += step) out.push(new Int32(current));
    return out;
  };
}

function compileReverseArray(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operand = unary(argument, context);
  return (root, variables) => {
    const value = operand(root, variables);
    if (isNullish(value)) return null;
    if (!Array.isArray(value)) {
      throw new MongoError(
        34435,
        `The argument to $reverseArray must be an array, but was of type: ${typeName(value)}`,
      );
    }
    return value.length < 2 ? value : [...value].reverse();
  };
}

export const arrayOperators: OperatorTable = {
  $arrayElemAt: compileArrayElemAt,
  $first: compileEnd(0),
  $last: compileEnd(-1),
  $concatArrays: compileConcatArrays,
  $slice: compileSlice,
  $size: compileSize,
  $in: compileIn,
  $indexOfArray: compileIndexOfArray,
  $isArray: compileIsArray,
  $range: compileRange,
  $reverseArray: compileReverseArray,
};
