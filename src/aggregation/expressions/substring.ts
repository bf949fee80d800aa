/**
 * Operators that index into strings: by UTF-8 byte ($substrBytes, $strLenBytes,
 * $indexOfBytes) or by code point ($substrCP, $strLenCP, $indexOfCP). JS strings are UTF-16,
 * so byte operators work on the UTF-8 encoding, exactly as the server sees the string.
 */
import { Int32 } from 'bson';
import { isNumber } from '../../bson/types.js';
import type { BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { fixedArity, rangedArity, unary } from './arguments.js';
import type { CompiledExpression, OperatorContext, OperatorTable } from './types.js';
import {
  coerceToInt,
  coerceToLong,
  coerceToString,
  formatValue,
  integral32,
  isNullish,
  typeName,
} from './values.js';
import type { Value } from './values.js';

function isContinuationByte(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

function compileSubstrBytes(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const name = '$substrBytes';
  const [stringExpression, lowerExpression, lengthExpression] = fixedArity(
    argument,
    { ...context, name },
    3,
  ) as [CompiledExpression, CompiledExpression, CompiledExpression];
  return (root, variables) => {
    const text = coerceToString(stringExpression(root, variables));
    const lowerValue = lowerExpression(root, variables);
    const lengthValue = lengthExpression(root, variables);
    if (!isNumber(lowerValue)) {
      throw new MongoError(
        16034,
        `${name}:  starting index must be a numeric type (is BSON type ${typeName(lowerValue)})`,
      );
    }
    if (!isNumber(lengthValue)) {
      throw new MongoError(
        16035,
        `${name}:  length must be a numeric type (is BSON type ${typeName(lengthValue)})`,
      );
    }
    const lower = coerceToLong(lowerValue);
    if (lower < 0n) {
      throw new MongoError(50752, `${name}:  starting index must be non-negative (got: ${lower})`);
    }
    const bytes = Buffer.from(text, 'utf8');
    const size = BigInt(bytes.length);
    const signedLength = coerceToLong(lengthValue);
    const length = signedLength < 0n ? size : signedLength;
    const endPosition = lower + length;
    if (lower < size && isContinuationByte(bytes[Number(lower)])) {
      throw new MongoError(
        28656,
        `${name}:  Invalid range, starting index is a UTF-8 continuation byte.`,
      );
    }
    if (endPosition < size && isContinuationByte(bytes[Number(endPosition)])) {
      throw new MongoError(
        28657,
        `${name}:  Invalid range, ending index is in the middle of a UTF-8 character.`,
      );
    }
    if (lower >= size) return '';
    const start = Number(lower);
    const end = endPosition < size ? Number(endPosition) : bytes.length;
    return bytes.subarray(start, end).toString('utf8');
  };
}

/** Requires a numeric value representable as int32 (34450-34453 style messages). */
function cpIndex(value: Value, name: string, what: string, codes: [number, number]): number {
  if (!isNumber(value)) {
    throw new MongoError(
      codes[0],
      `${name}: ${what} must be a numeric type (is BSON type ${typeName(value)})`,
    );
  }
  if (integral32(value) === undefined) {
    throw new MongoError(
      codes[1],
      `${name}: ${what} cannot be represented as a 32-bit integral value: ${formatValue(value)}`,
    );
  }
  return coerceToInt(value);
}

function compileSubstrCP(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const name = context.name;
  const [stringExpression, lowerExpression, lengthExpression] = fixedArity(
    argument,
    context,
    3,
  ) as [CompiledExpression, CompiledExpression, CompiledExpression];
  return (root, variables) => {
    const text = coerceToString(stringExpression(root, variables));
    const start = cpIndex(lowerExpression(root, variables), name, 'starting index', [34450, 34451]);
    const length = cpIndex(lengthExpression(root, variables), name, 'length', [34452, 34453]);
    if (length < 0) throw new MongoError(34454, `${name}: length must be a nonnegative integer.`);
    if (start < 0) {
      throw new MongoError(34455, `${name}: the starting index must be nonnegative integer.`);
    }
    let offset = 0;
    for (let i = 0; i < start; i++) {
      if (offset >= text.length) return '';
      offset += codePointWidth(text, offset);
    }
    let end = offset;
    for (let i = 0; i < length && end < text.length; i++) end += codePointWidth(text, end);
    return text.slice(offset, end);
  };
}

/** UTF-16 units taken by the code point at `index`. */
function codePointWidth(text: string, index: number): number {
  const code = text.codePointAt(index) ?? 0;
  return code > 0xffff ? 2 : 1;
}

export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i += codePointWidth(text, i)) count += 1;
  return count;
}

function compileStrLenBytes(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operand = unary(argument, context);
  return (root, variables) => {
    const value = operand(root, variables);
    if (typeof value !== 'string') {
      throw new MongoError(
        34473,
        `$strLenBytes requires a string argument, found: ${typeName(value)}`,
      );
    }
    return new Int32(Buffer.byteLength(value, 'utf8'));
  };
}

function compileStrLenCP(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operand = unary(argument, context);
  return (root, variables) => {
    const value = operand(root, variables);
    if (typeof value !== 'string') {
      throw new MongoError(
        34471,
        `$strLenCP requires a string argument, found: ${typeName(value)}`,
      );
    }
    return new Int32(codePointLength(value));
  };
}

/** uassertIfNotIntegralAndNonNegative (40096/40097); note the server's missing space. */
export function nonNegativeIndex(value: Value, name: string, what: string): number {
  if (integral32(value) === undefined) {
    throw new MongoError(
      40096,
      `${name}requires an integral ${what}, found a value of type: ${typeName(value)}, with value: ${formatValue(value)}`,
    );
  }
  const index = coerceToInt(value as Parameters<typeof coerceToInt>[0]);
  if (index < 0)
    throw new MongoError(
      40097,
      `${name} requires a nonnegative ${what}, found: ${formatValue(value)}`,
    );
  return index;
}

interface IndexOfArguments {
  input: string;
  token: string;
  start: number | undefined;
  end: number | undefined;
}

function evaluateIndexOf(
  operands: CompiledExpression[],
  root: Parameters<CompiledExpression>[0],
  variables: Parameters<CompiledExpression>[1],
  name: string,
  codes: [number, number],
): IndexOfArguments | null {
  const input = (operands[0] as CompiledExpression)(root, variables);
  if (isNullish(input)) return null;
  if (typeof input !== 'string') {
    throw new MongoError(
      codes[0],
      `${name} requires a string as the first argument, found: ${typeName(input)}`,
    );
  }
  const token = (operands[1] as CompiledExpression)(root, variables);
  if (typeof token !== 'string') {
    throw new MongoError(
      codes[1],
      `${name} requires a string as the second argument, found: ${typeName(token)}`,
    );
  }
  const start =
    operands[2] === undefined
      ? undefined
      : nonNegativeIndex(operands[2](root, variables), name, 'starting index');
  const end =
    operands[3] === undefined
      ? undefined
      : nonNegativeIndex(operands[3](root, variables), name, 'ending index');
  return { input, token, start, end };
}

function compileIndexOfBytes(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operands = rangedArity(argument, context, 2, 4);
  return (root, variables) => {
    const args = evaluateIndexOf(operands, root, variables, context.name, [40091, 40092]);
    if (args === null) return null;
    const input = Buffer.from(args.input, 'utf8');
    const start = args.start ?? 0;
    const end = Math.min(input.length, args.end ?? input.length);
    if (start > input.length || end < start) return new Int32(-1);
    const position = input.subarray(0, end).indexOf(Buffer.from(args.token, 'utf8'), start);
    return new Int32(position);
  };
}

function compileIndexOfCP(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operands = rangedArity(argument, context, 2, 4);
  return (root, variables) => {
    const args = evaluateIndexOf(operands, root, variables, context.name, [40093, 40094]);
    if (args === null) return null;
    const { input, token } = args;
    const offsets: number[] = [];
    for (let i = 0; i < input.length; i += codePointWidth(input, i)) offsets.push(i);
    const start = args.start ?? 0;
    const end = Math.min(offsets.length, args.end ?? offsets.length);
    if (end < start) return new Int32(-1);
    if (start === 0 && input.length === 0 && token.length === 0) return new Int32(0);
    for (let index = start; index < end; index++) {
      if (input.startsWith(token, offsets[index])) return new Int32(index);
    }
    return new Int32(-1);
  };
}

export const substringOperators: OperatorTable = {
  $substr: compileSubstrBytes,
  $substrBytes: compileSubstrBytes,
  $substrCP: compileSubstrCP,
  $strLenBytes: compileStrLenBytes,
  $strLenCP: compileStrLenCP,
  $indexOfBytes: compileIndexOfBytes,
  $indexOfCP: compileIndexOfCP,
};
