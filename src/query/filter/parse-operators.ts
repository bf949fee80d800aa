/**
 * Field operators ({a: {$gt: 1, $lt: 5}}): parseSub and parseSubField in
 * expression_parser.cpp. Each operator of an operator document becomes its own node.
 */
import { Binary, BSONRegExp } from 'bson';
import { compareValues } from '../../bson/compare.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isNumber } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { BitsTest, FilterNode, RegexNode, RegexSpec } from './filter-node.js';
import {
  coerceToLong,
  parseIntegerToNonNegativeInt,
  parseIntegerToNonNegativeLong,
} from './parse-number.js';
import { compilePcre } from './pcre.js';
import { isEmptyTypeSet, parseTypeSet } from './type-set.js';
import {
  asFilterDocument,
  isExpressionDocument,
  isPathlessOperator,
  parseDocument,
} from './parse-filter.js';
import type { ParseContext, ParseLevel } from './parse-filter.js';
import { describeValue, renderValue } from '../describe.js';
import { decimalToParts } from '../../bson/decimal-parts.js';

type OperatorParser = (
  path: string,
  value: BsonValue,
  operators: BsonDocument,
  context: ParseContext,
  level: ParseLevel,
) => FilterNode | undefined;

const geoNearOperators = new Set(['$near', '$nearSphere', '$geoNear']);

/** Parses an operator document for `path`, appending one node per operator to `out`. */
export function parseFieldOperators(
  path: string,
  operators: BsonDocument,
  context: ParseContext,
  level: ParseLevel,
  out: FilterNode[],
): void {
  const first = Object.keys(operators)[0];
  if (first !== undefined && geoNearOperators.has(first)) {
    // $near takes its siblings ($maxDistance...) as arguments, so it must come first.
    if (context.options.allow?.geoNear === false) {
      throw new MongoError(
        5626500,
        '$geoNear, $near, and $nearSphere are not allowed in this context',
      );
    }
    throw new MongoError(
      'NoQueryExecutionPlans',
      'error processing query: planner returned error :: caused by :: unable to find index for ' +
        '$geoNear query (Shoal does not support geospatial queries)',
    );
  }
  for (const [name, value] of Object.entries(operators)) {
    const node = parseOperator(path, name, value, operators, context, level);
    if (node !== undefined) out.push(node);
  }
}

function parseOperator(
  path: string,
  name: string,
  value: BsonValue,
  operators: BsonDocument,
  context: ParseContext,
  level: ParseLevel,
): FilterNode | undefined {
  if (name === '$not') return parseNot(path, value, context, level);
  const parser = name.startsWith('$') ? operatorParsers.get(name.slice(1)) : undefined;
  if (parser === undefined) {
    if (name === '$where') throw new MongoError('BadValue', '$where cannot be applied to a field');
    throw new MongoError('BadValue', `unknown operator: ${name}`);
  }
  return parser(path, value, operators, context, level);
}

/** Whether `name` is an operator that takes a path ($gt, $in, ...; not $not). */
export function isPathOperator(name: string): boolean {
  return name.startsWith('$') && operatorParsers.has(name.slice(1));
}

export function equalityNode(path: string, value: BsonValue): FilterNode {
  if (value === undefined) throw new MongoError('BadValue', 'cannot compare to undefined');
  return { kind: 'compare', path, op: 'eq', value };
}

export function compileRegexSpec(pattern: string, options: string): RegexSpec {
  if (pattern.includes('\0')) {
    throw new MongoError('BadValue', 'Regular expression cannot contain an embedded null byte');
  }
  if (options.includes('\0')) {
    throw new MongoError(
      'BadValue',
      'Regular expression options string cannot contain an embedded null byte',
    );
  }
  return { pattern, options, regExp: compilePcre(pattern, options) };
}

export function regexNode(path: string, pattern: string, options: string): RegexNode {
  return { kind: 'regex', path, ...compileRegexSpec(pattern, options) };
}

function comparison(op: 'lt' | 'lte' | 'gt' | 'gte'): OperatorParser {
  return (path, value) => {
    if (value instanceof BSONRegExp) {
      throw new MongoError(
        'BadValue',
        `Can't have RegEx as arg to predicate over field '${path}'.`,
      );
    }
    if (value === undefined) throw new MongoError('BadValue', 'cannot compare to undefined');
    return { kind: 'compare', path, op, value };
  };
}

const parseNe: OperatorParser = (path, value) => {
  if (value instanceof BSONRegExp)
    throw new MongoError('BadValue', "Can't have regex as arg to $ne.");
  return { kind: 'not', child: equalityNode(path, value) };
};

function parseInList(path: string, value: BsonValue, operator: string): FilterNode {
  if (!Array.isArray(value)) throw new MongoError('BadValue', `${operator} needs an array`);
  const values: BsonValue[] = [];
  const regexes: RegexSpec[] = [];
  for (const entry of value) {
    if (isExpressionDocument(entry, false))
      throw new MongoError('BadValue', 'cannot nest $ under $in');
    if (entry instanceof BSONRegExp) {
      regexes.push(compileRegexSpec(entry.pattern, entry.options));
    } else {
      if (entry === undefined)
        throw new MongoError('BadValue', 'InMatchExpression equality cannot be undefined');
      values.push(entry);
    }
  }
  values.sort(compareValues);
  const unique = values.filter((entry, i) => i === 0 || compareValues(values[i - 1], entry) !== 0);
  return { kind: 'in', path, values: unique, regexes };
}

const parseSize: OperatorParser = (path, value) => {
  try {
    return { kind: 'size', path, size: parseIntegerToNonNegativeInt('$size', value) };
  } catch (error) {
    if (!(error instanceof MongoError)) throw error;
    throw new MongoError('BadValue', `Failed to parse $size. ${error.message}`);
  }
};

const parseExists: OperatorParser = (path, value) => {
  const exists: FilterNode = { kind: 'exists', path };
  return trueValue(value) ? exists : { kind: 'not', child: exists };
};

/** BSONElement::trueValue. */
export function trueValue(value: BsonValue): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (isNumber(value)) {
    if (value._bsontype === 'Decimal128') {
      const parts = decimalToParts(value);
      return parts.kind !== 'finite' || parts.coefficient !== 0n;
    }
    if (value._bsontype === 'Long') return !value.isZero();
    return value.value !== 0;
  }
  return true;
}

const parseType: OperatorParser = (path, value) => {
  const set = parseTypeSet(value);
  if (isEmptyTypeSet(set))
    throw new MongoError('FailedToParse', `${path} must match at least one type`);
  return { kind: 'type', path, types: [...set.types], allNumbers: set.allNumbers };
};

const parseMod: OperatorParser = (path, value) => {
  if (!Array.isArray(value))
    throw new MongoError('BadValue', 'malformed mod, needs to be an array');
  if (value.length < 1) throw new MongoError('BadValue', 'malformed mod, not enough elements');
  const [divisor, remainder] = value as [BsonValue, BsonValue | undefined];
  if (!isNumber(divisor)) throw new MongoError('BadValue', 'malformed mod, divisor not a number');
  if (value.length < 2) throw new MongoError('BadValue', 'malformed mod, not enough elements');
  if (!isNumber(remainder))
    throw new MongoError('BadValue', 'malformed mod, remainder not a number');
  if (value.length > 2) throw new MongoError('BadValue', 'malformed mod, too many elements');
  const coercedDivisor = coerceToLong(divisor);
  if (typeof coercedDivisor === 'string') {
    throw new MongoError(
      'BadValue',
      `malformed mod, divisor value is invalid :: caused by :: ${coercedDivisor}`,
    );
  }
  const coercedRemainder = coerceToLong(remainder);
  if (typeof coercedRemainder === 'string') {
    throw new MongoError(
      'BadValue',
      `malformed mod, remainder value is invalid :: caused by :: ${coercedRemainder}`,
    );
  }
  if (coercedDivisor === 0n) throw new MongoError('BadValue', 'divisor cannot be 0');
  return { kind: 'mod', path, divisor: coercedDivisor, remainder: coercedRemainder };
};

/** $regex and $options may come in either order; the node is built at $regex. */
const parseRegex: OperatorParser = (path, value, operators) => {
  let pattern = '';
  let options = '';
  for (const [name, entry] of Object.entries(operators)) {
    if (name === '$regex') {
      if (typeof entry === 'string') {
        pattern = entry;
      } else if (entry instanceof BSONRegExp) {
        pattern = entry.pattern;
        if (entry.options !== '') {
          if (options !== '')
            throw new MongoError(51074, 'options set in both $regex and $options');
          options = entry.options;
        }
      } else {
        throw new MongoError('BadValue', '$regex has to be a string');
      }
    } else if (name === '$options') {
      if (typeof entry !== 'string')
        throw new MongoError('BadValue', '$options has to be a string');
      if (options !== '') throw new MongoError(51075, 'options set in both $regex and $options');
      options = entry;
    }
  }
  return regexNode(path, pattern, options);
};

const parseOptions: OperatorParser = (path, value, operators) => {
  if (Object.keys(operators).includes('$regex')) return undefined;
  throw new MongoError('BadValue', '$options needs a $regex');
};

/** $elemMatch: operators on each element (value form) or a filter on each element document. */
export function parseElemMatch(path: string, value: BsonValue, context: ParseContext): FilterNode {
  const argument = asFilterDocument(value);
  if (argument === undefined) throw new MongoError('BadValue', '$elemMatch needs an Object');
  if (isExpressionDocument(argument, true)) {
    const first = (Object.keys(argument)[0] as string).slice(1);
    if (!isPathlessOperator(first)) {
      const children: FilterNode[] = [];
      parseFieldOperators('', argument, context, 'subDocument', children);
      return { kind: 'elemMatch', form: 'value', path, children };
    }
  }
  const child = parseDocument(argument, context, 'subDocument');
  return { kind: 'elemMatch', form: 'object', path, child };
}

const parseAll: OperatorParser = (path, value, operators, context) => {
  if (!Array.isArray(value)) throw new MongoError('BadValue', '$all needs an array');
  if (value.length === 0) return { kind: 'alwaysFalse' };
  const first = value[0];
  const firstDocument = asFilterDocument(first);
  if (firstDocument !== undefined && Object.keys(firstDocument)[0] === '$elemMatch') {
    const children = value.map((entry) => {
      const document = asFilterDocument(entry);
      if (document === undefined || Object.keys(document)[0] !== '$elemMatch') {
        throw new MongoError('BadValue', '$all/$elemMatch has to be consistent');
      }
      return parseElemMatch(path, document.$elemMatch, context);
    });
    return { kind: 'all', path, children };
  }
  const children = value.map((entry): FilterNode => {
    if (entry instanceof BSONRegExp) return regexNode(path, entry.pattern, entry.options);
    const document = asFilterDocument(entry);
    const firstName = document === undefined ? undefined : Object.keys(document)[0];
    if (firstName !== undefined && isPathOperator(firstName)) {
      throw new MongoError('BadValue', 'no $ expressions in $all');
    }
    return equalityNode(path, entry);
  });
  return { kind: 'all', path, children };
};

function parseBits(test: BitsTest, operator: string): OperatorParser {
  return (path, value) => {
    if (Array.isArray(value)) {
      const positions = value.map((entry, i) => {
        try {
          return parseIntegerToNonNegativeInt(String(i), entry);
        } catch (error) {
          if (!(error instanceof MongoError)) throw error;
          throw new MongoError('BadValue', `Failed to parse bit position. ${error.message}`);
        }
      });
      let mask = 0n;
      for (const position of positions) mask |= 1n << BigInt(Math.min(position, 63));
      return { kind: 'bits', path, test, positions, mask };
    }
    if (isNumber(value)) {
      const mask = parseIntegerToNonNegativeLong(operator, value);
      const positions: number[] = [];
      for (let bit = 0; bit < 64; bit++) if ((mask >> BigInt(bit)) & 1n) positions.push(bit);
      return { kind: 'bits', path, test, positions, mask };
    }
    if (value instanceof Binary) return binaryBits(path, test, value);
    throw new MongoError(
      'BadValue',
      `${operator} takes an Array, a number, or a BinData but received: ${describeValue(operator, value)}`,
    );
  };
}

/** A BinData mask: its bytes are bit positions, and bits past 63 test the sign of numbers. */
function binaryBits(path: string, test: BitsTest, value: Binary): FilterNode {
  const bytes = value.value();
  const positions: number[] = [];
  let mask = 0n;
  bytes.forEach((byte, index) => {
    if (byte === 0) return;
    mask |= index < 8 ? BigInt(byte) << BigInt(8 * index) : 1n << 63n;
    for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) positions.push(8 * index + bit);
  });
  return { kind: 'bits', path, test, positions, mask: BigInt.asUintN(64, mask) };
}

function unsupportedGeo(name: string): OperatorParser {
  return () => {
    throw new MongoError(
      'NotImplemented',
      `${name} is not supported: Shoal does not support geospatial queries`,
    );
  };
}

const nearNotFirst: OperatorParser = (path, value, operators) => {
  throw new MongoError('BadValue', `near must be first in: ${renderValue(operators)}`);
};

const operatorParsers: ReadonlyMap<string, OperatorParser> = new Map<string, OperatorParser>([
  ['all', parseAll],
  ['bitsAllClear', parseBits('allClear', '$bitsAllClear')],
  ['bitsAllSet', parseBits('allSet', '$bitsAllSet')],
  ['bitsAnyClear', parseBits('anyClear', '$bitsAnyClear')],
  ['bitsAnySet', parseBits('anySet', '$bitsAnySet')],
  ['elemMatch', (path, value, operators, context) => parseElemMatch(path, value, context)],
  ['eq', (path, value) => equalityNode(path, value)],
  ['exists', parseExists],
  ['geoIntersects', unsupportedGeo('$geoIntersects')],
  ['geoNear', nearNotFirst],
  ['geoWithin', unsupportedGeo('$geoWithin')],
  ['gt', comparison('gt')],
  ['gte', comparison('gte')],
  ['in', (path, value) => parseInList(path, value, '$in')],
  ['lt', comparison('lt')],
  ['lte', comparison('lte')],
  ['mod', parseMod],
  ['ne', parseNe],
  ['near', nearNotFirst],
  ['nearSphere', nearNotFirst],
  ['nin', (path, value) => ({ kind: 'not', child: parseInList(path, value, '$nin') })],
  ['options', parseOptions],
  ['regex', parseRegex],
  ['size', parseSize],
  ['type', parseType],
  ['within', unsupportedGeo('$within')],
]);

function parseNot(
  path: string,
  value: BsonValue,
  context: ParseContext,
  level: ParseLevel,
): FilterNode {
  if (value instanceof BSONRegExp)
    return { kind: 'not', child: regexNode(path, value.pattern, value.options) };
  const operators = asFilterDocument(value);
  if (operators === undefined) throw new MongoError('BadValue', '$not needs a regex or a document');
  if (Object.keys(operators).length === 0) throw new MongoError('BadValue', '$not cannot be empty');
  const children: FilterNode[] = [];
  parseFieldOperators(path, operators, context, level, children);
  const child: FilterNode =
    children.length === 1 ? (children[0] as FilterNode) : { kind: 'and', children };
  return { kind: 'not', child };
}
