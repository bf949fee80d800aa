/**
 * String operators that work on whole strings: $concat, $toLower/$toUpper and $strcasecmp
 * (ASCII-only case mapping, as the server's boost::to_lower in the C locale), $split,
 * $trim/$ltrim/$rtrim and $replaceOne/$replaceAll. Substring and index operators, which count
 * UTF-8 bytes or code points, are in substring.ts.
 */
import { Int32 } from 'bson';
import { compareStrings } from '../../bson/compare.js';
import { isDocument } from '../../bson/types.js';
import type { BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { binary, unary, variadic } from './arguments.js';
import type { CompiledExpression, OperatorContext, OperatorTable } from './types.js';
import { coerceToString, formatValue, isNullish, typeName } from './values.js';

function compileConcat(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operands = variadic(argument, context);
  return (root, variables) => {
    let result = '';
    for (const operand of operands) {
      const value = operand(root, variables);
      if (isNullish(value)) return null;
      if (typeof value !== 'string') {
        throw new MongoError(16702, `$concat only supports strings, not ${typeName(value)}`);
      }
      result += value;
    }
    return result;
  };
}

export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (run) => run.toLowerCase());
}

export function asciiUpper(text: string): string {
  return text.replace(/[a-z]+/g, (run) => run.toUpperCase());
}

function compileCase(map: (text: string) => string) {
  return (argument: BsonValue, context: OperatorContext): CompiledExpression => {
    const operand = unary(argument, context);
    return (root, variables) => map(coerceToString(operand(root, variables)));
  };
}

function compileStrcasecmp(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const [left, right] = binary(argument, context);
  return (root, variables) => {
    const a = asciiUpper(coerceToString(left(root, variables)));
    const b = asciiUpper(coerceToString(right(root, variables)));
    return new Int32(compareStrings(a, b));
  };
}

function compileSplit(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const [inputExpression, separatorExpression] = binary(argument, context);
  return (root, variables) => {
    const input = inputExpression(root, variables);
    const separator = separatorExpression(root, variables);
    if (isNullish(input) || isNullish(separator)) return null;
    if (typeof input !== 'string') {
      throw new MongoError(
        40085,
        `$split requires an expression that evaluates to a string as a first argument, found: ${typeName(input)}`,
      );
    }
    if (typeof separator !== 'string') {
      throw new MongoError(
        40086,
        `$split requires an expression that evaluates to a string as a second argument, found: ${typeName(separator)}`,
      );
    }
    if (separator.length === 0)
      throw new MongoError(40087, '$split requires a non-empty separator');
    return input.split(separator);
  };
}

/** The server's default trim set: NUL, ASCII whitespace and the Unicode space separators. */
const defaultTrimCodePoints = [
  '\0',
  ' ',
  '\t',
  '\n',
  '\v',
  '\f',
  '\r',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u2001',
  '\u2002',
  '\u2003',
  '\u2004',
  '\u2005',
  '\u2006',
  '\u2007',
  '\u2008',
  '\u2009',
  '\u200a',
];

type TrimSide = 'both' | 'left' | 'right';

function trim(input: string, codePoints: readonly string[], side: TrimSide): string {
  let start = 0;
  let end = input.length;
  if (side !== 'right') {
    for (;;) {
      const match = codePoints.find((cp) => cp.length > 0 && input.startsWith(cp, start));
      if (match === undefined || start >= end) break;
      start += match.length;
    }
  }
  if (side !== 'left') {
    for (;;) {
      const match = codePoints.find(
        (cp) => cp.length > 0 && end - cp.length >= start && input.startsWith(cp, end - cp.length),
      );
      if (match === undefined) break;
      end -= match.length;
    }
  }
  return input.slice(start, end);
}

function compileTrim(side: TrimSide) {
  return (argument: BsonValue, context: OperatorContext): CompiledExpression => {
    const name = context.name;
    if (!isDocument(argument)) {
      throw new MongoError(
        50696,
        `${name} only supports an object as an argument, found ${typeName(argument)}`,
      );
    }
    let input: CompiledExpression | undefined;
    let chars: CompiledExpression | undefined;
    for (const [key, value] of Object.entries(argument)) {
      if (key === 'input') input = context.compile(value);
      else if (key === 'chars') chars = context.compile(value);
      else throw new MongoError(50694, `${name} found an unknown argument: ${key}`);
    }
    if (input === undefined) throw new MongoError(50695, `${name} requires an 'input' field`);
    const inputExpression = input;
    return (root, variables) => {
      const value = inputExpression(root, variables);
      if (isNullish(value)) return null;
      if (typeof value !== 'string') {
        throw new MongoError(
          50699,
          `${name} requires its input to be a string, got ${formatValue(value)} (of type ${typeName(value)}) instead.`,
        );
      }
      if (chars === undefined) return trim(value, defaultTrimCodePoints, side);
      const characters = chars(root, variables);
      if (isNullish(characters)) return null;
      if (typeof characters !== 'string') {
        throw new MongoError(
          50700,
          `${name} requires 'chars' to be a string, got ${formatValue(characters)} (of type ${typeName(characters)}) instead.`,
        );
      }
      return trim(value, Array.from(characters), side);
    };
  };
}

interface ReplaceArguments {
  input: CompiledExpression;
  find: CompiledExpression;
  replacement: CompiledExpression;
}

function parseReplace(argument: BsonValue, context: OperatorContext): ReplaceArguments {
  const name = context.name;
  if (!isDocument(argument)) {
    throw new MongoError(
      51751,
      `${name} requires an object as an argument, found: ${typeName(argument)}`,
    );
  }
  const parsed: Partial<ReplaceArguments> = {};
  for (const [key, value] of Object.entries(argument)) {
    if (key === 'input' || key === 'find' || key === 'replacement') {
      parsed[key] = context.compile(value);
    } else {
      throw new MongoError(51750, `${name} found an unknown argument: ${key}`);
    }
  }
  if (parsed.input === undefined)
    throw new MongoError(51749, `${name} requires 'input' to be specified`);
  if (parsed.find === undefined)
    throw new MongoError(51748, `${name} requires 'find' to be specified`);
  if (parsed.replacement === undefined) {
    throw new MongoError(51747, `${name} requires 'replacement' to be specified`);
  }
  return parsed as ReplaceArguments;
}

function requireStringOrNullish(
  value: BsonValue | undefined,
  code: number,
  name: string,
  field: string,
): void {
  if (typeof value === 'string' || isNullish(value)) return;
  throw new MongoError(
    code,
    `${name} requires that '${field}' be a string, found: ${formatValue(value)}`,
  );
}

function compileReplace(all: boolean) {
  return (argument: BsonValue, context: OperatorContext): CompiledExpression => {
    const { input, find, replacement } = parseReplace(argument, context);
    const name = context.name;
    return (root, variables) => {
      const text = input(root, variables);
      const needle = find(root, variables);
      const substitute = replacement(root, variables);
      requireStringOrNullish(text, 51746, name, 'input');
      requireStringOrNullish(needle, 51745, name, 'find');
      requireStringOrNullish(substitute, 51744, name, 'replacement');
      if (
        typeof text !== 'string' ||
        typeof needle !== 'string' ||
        typeof substitute !== 'string'
      ) {
        return null;
      }
      if (!all) {
        const at = text.indexOf(needle);
        return at === -1 ? text : text.slice(0, at) + substitute + text.slice(at + needle.length);
      }
      // An empty 'find' matches between every character (the server inserts between bytes;
      // a JS string cannot split a multi-byte character, so this inserts between code points).
      if (needle.length === 0)
        return substitute + Array.from(text).join(substitute) + (text.length > 0 ? substitute : '');
      return text.split(needle).join(substitute);
    };
  };
}

export const stringOperators: OperatorTable = {
  $concat: compileConcat,
  $toLower: compileCase(asciiLower),
  $toUpper: compileCase(asciiUpper),
  $strcasecmp: compileStrcasecmp,
  $split: compileSplit,
  $trim: compileTrim('both'),
  $ltrim: compileTrim('left'),
  $rtrim: compileTrim('right'),
  $replaceOne: compileReplace(false),
  $replaceAll: compileReplace(true),
};
