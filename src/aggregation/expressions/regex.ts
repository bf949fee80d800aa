/**
 * $regexMatch, $regexFind and $regexFindAll (ExpressionRegex). A constant pattern is compiled
 * once at parse time, with its errors surfacing there as in the server; a pattern computed per
 * document is compiled per document. Match positions ("idx") count code points.
 */
import { Int32 } from 'bson';
import { bsonTypeOf, BsonType, isDocument } from '../../bson/types.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { constantOf } from './constants.js';
import { compilePcre, parseRegexOptions } from './pcre.js';
import type { CompiledExpression, OperatorContext, OperatorTable, Variables } from './types.js';
import { isNullish } from './values.js';
import type { Value } from './values.js';

interface RegexArguments {
  input: CompiledExpression;
  regex: CompiledExpression;
  options: CompiledExpression | undefined;
}

function parseArguments(argument: BsonValue, context: OperatorContext): RegexArguments {
  const name = context.name;
  if (!isDocument(argument)) {
    const type = argument === undefined ? 0 : bsonTypeOf(argument);
    throw new MongoError(51103, `${name} expects an object of named arguments but found: ${type}`);
  }
  const parsed: Partial<RegexArguments> = {};
  for (const [key, value] of Object.entries(argument)) {
    if (key === 'input' || key === 'regex' || key === 'options')
      parsed[key] = context.compile(value);
    else throw new MongoError(31024, `${name} found an unknown argument: ${key}`);
  }
  if (parsed.input === undefined) throw new MongoError(31022, `${name} requires 'input' parameter`);
  if (parsed.regex === undefined) throw new MongoError(31023, `${name} requires 'regex' parameter`);
  return { input: parsed.input, regex: parsed.regex, options: parsed.options };
}

/** The pattern and options a regex/options pair stands for, validated; null if nullish. */
function patternOf(regexValue: Value, optionsValue: Value, name: string): RegExp | null {
  const regexType = isNullish(regexValue) ? BsonType.null : bsonTypeOf(regexValue);
  if (
    regexType !== BsonType.null &&
    regexType !== BsonType.string &&
    regexType !== BsonType.regex
  ) {
    throw new MongoError(51105, `${name} needs 'regex' to be of type string or regex`);
  }
  if (!isNullish(optionsValue) && typeof optionsValue !== 'string') {
    throw new MongoError(51106, `${name} needs 'options' to be of type string`);
  }
  let pattern: string | undefined;
  let options = '';
  if (regexType === BsonType.regex) {
    const regex = regexValue as { pattern: string; options: string };
    if (!isNullish(optionsValue) && regex.options.length > 0) {
      throw new MongoError(
        51107,
        `${name}: found regex option(s) specified in both 'regex' and 'option' fields`,
      );
    }
    pattern = regex.pattern;
    options = regex.options;
  } else if (typeof regexValue === 'string') {
    pattern = regexValue;
  }
  if (typeof optionsValue === 'string') options = optionsValue;
  if (pattern?.includes('\0')) {
    throw new MongoError(51109, `${name}: regular expression cannot contain an embedded null byte`);
  }
  if (options.includes('\0')) {
    throw new MongoError(
      51110,
      `${name}: regular expression options cannot contain an embedded null byte`,
    );
  }
  // Options are validated even when there is no pattern to apply them to.
  parseRegexOptions(options, name);
  return pattern === undefined ? null : compilePcre(pattern, options, name);
}

function inputOf(value: Value, name: string): string | null {
  if (isNullish(value)) return null;
  if (typeof value !== 'string')
    throw new MongoError(51104, `${name} needs 'input' to be of type string`);
  return value;
}

type Evaluate = (input: string, regex: RegExp) => BsonValue;

function compileRegexOperator(onNullish: () => BsonValue, evaluate: Evaluate) {
  return (argument: BsonValue, context: OperatorContext): CompiledExpression => {
    const { input, regex, options } = parseArguments(argument, context);
    const name = context.name;
    const constantRegex = constantOf(regex);
    const constantOptions = options === undefined ? { value: null } : constantOf(options);
    let pattern: (root: BsonDocument, variables: Variables) => RegExp | null;
    if (constantRegex !== undefined && constantOptions !== undefined) {
      const compiled = patternOf(constantRegex.value, constantOptions.value, name);
      pattern = () => compiled;
    } else {
      pattern = (root, variables) =>
        patternOf(
          regex(root, variables),
          options === undefined ? null : options(root, variables),
          name,
        );
    }
    return (root, variables) => {
      const text = inputOf(input(root, variables), name);
      const compiled = pattern(root, variables);
      if (text === null || compiled === null) return onNullish();
      return evaluate(text, compiled);
    };
  };
}

function codePointsBefore(text: string, end: number): number {
  let count = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xdc00 || code > 0xdfff) count += 1;
  }
  return count;
}

function matchDocument(text: string, match: RegExpExecArray): BsonDocument {
  const captures: BsonValue[] = [];
  for (let i = 1; i < match.length; i++) captures.push(match[i] ?? null);
  return { match: match[0], idx: new Int32(codePointsBefore(text, match.index)), captures };
}

function find(text: string, regex: RegExp): BsonValue {
  regex.lastIndex = 0;
  const match = regex.exec(text);
  return match === null ? null : matchDocument(text, match);
}

function findAll(text: string, regex: RegExp): BsonValue {
  const matches: BsonValue[] = [];
  let position = 0;
  do {
    regex.lastIndex = position;
    const match = regex.exec(text);
    if (match === null) break;
    matches.push(matchDocument(text, match));
    if (match[0].length === 0) {
      // An empty match cannot be returned twice: move on by one code point.
      const code = text.codePointAt(match.index) ?? 0;
      position = match.index + (code > 0xffff ? 2 : 1);
    } else {
      position = match.index + match[0].length;
    }
  } while (position < text.length);
  return matches;
}

function test(text: string, regex: RegExp): BsonValue {
  regex.lastIndex = 0;
  return regex.test(text);
}

export const regexOperators: OperatorTable = {
  $regexMatch: compileRegexOperator(() => false, test),
  $regexFind: compileRegexOperator(() => null, find),
  $regexFindAll: compileRegexOperator(() => [], findAll),
};
