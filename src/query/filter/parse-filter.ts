/**
 * Filter documents to FilterNode trees (expression_parser.cpp): the top level of a filter
 * and the operators that take no path ($and, $or, $nor, $expr, $jsonSchema, $where, ...).
 * Field operators are in parse-operators.ts.
 */
import { BSONRegExp, DBRef } from 'bson';
import { dbRefToDocument } from '../../bson/compare.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument, isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { FilterNode } from './filter-node.js';
import type { FilterOptions } from './filter-options.js';
import { parseIntegerToLong } from './parse-number.js';
import { parseFieldOperators, equalityNode, regexNode } from './parse-operators.js';
import { parseJsonSchema } from './json-schema.js';

/** Where the parser is (DocumentParseLevel): some operators apply only to whole documents. */
export type ParseLevel = 'predicateTop' | 'documentTop' | 'subDocument';

export interface ParseContext {
  readonly options: FilterOptions;
}

type PathlessParser = (
  name: string,
  value: BsonValue,
  context: ParseContext,
  level: ParseLevel,
) => FilterNode | undefined;

/** Parses a filter into its tree, throwing MongoDB's error for an invalid one. */
export function parseFilter(filter: BsonDocument, options: FilterOptions = {}): FilterNode {
  return parseDocument(filter, { options }, 'predicateTop');
}

/** A filter document as the conjunction of its fields (an empty one matches everything). */
export function parseDocument(
  filter: BsonDocument,
  context: ParseContext,
  level: ParseLevel,
): FilterNode {
  const children: FilterNode[] = [];
  const nextLevel = level === 'predicateTop' ? 'documentTop' : level;
  for (const [name, value] of Object.entries(filter)) {
    if (name.startsWith('$')) {
      const parser = pathlessParsers.get(name.slice(1));
      if (parser === undefined) throw unknownTopLevelOperator(name);
      const node = parser(name, value, context, level);
      if (node !== undefined) children.push(node);
    } else if (isExpressionDocument(value, false)) {
      parseFieldOperators(name, value, context, nextLevel, children);
    } else if (value instanceof BSONRegExp) {
      children.push(regexNode(name, value.pattern, value.options));
    } else {
      children.push(equalityNode(name, value));
    }
  }
  return children.length === 1 ? (children[0] as FilterNode) : { kind: 'and', children };
}

function unknownTopLevelOperator(name: string): MongoError {
  const hint =
    name === '$not'
      ? '. If you are trying to negate an entire expression, use $nor.'
      : ". If you have a field name that starts with a '$' symbol, consider using $getField or $setField.";
  return new MongoError('BadValue', `unknown top level operator: ${name}${hint}`);
}

/**
 * isDBRefDocument: an object naming $ref and $id (or, when incomplete refs are allowed,
 * any of $ref, $id, $db) is a DBRef value, not an operator document.
 */
function isDBRefDocument(value: BsonDocument, allowIncomplete: boolean): boolean {
  const names = Object.keys(value);
  const hasRef = names.includes('$ref');
  const hasId = names.includes('$id');
  if (allowIncomplete) return hasRef || hasId || names.includes('$db');
  return hasRef && hasId;
}

/** isExpressionDocument: a non-empty plain object whose first field is an operator. */
export function isExpressionDocument(
  value: BsonValue,
  allowIncompleteDBRef: boolean,
): value is BsonDocument {
  if (!isDocument(value)) return false;
  const first = Object.keys(value)[0];
  if (first === undefined || !first.startsWith('$')) return false;
  return !isDBRefDocument(value, allowIncompleteDBRef);
}

/** Filter arguments that must be documents accept DBRef values as the documents they are. */
export function asFilterDocument(value: BsonValue): BsonDocument | undefined {
  if (isDocument(value)) return value;
  if (value instanceof DBRef) return dbRefToDocument(value);
  return undefined;
}

export function isPathlessOperator(name: string): boolean {
  return pathlessParsers.has(name);
}

function parseLogical(kind: 'and' | 'or' | 'nor'): PathlessParser {
  return (name, value, context, level) => {
    if (!Array.isArray(value)) throw new MongoError('BadValue', `$${kind} must be an array`);
    if (value.length === 0)
      throw new MongoError('BadValue', '$and/$or/$nor must be a nonempty array');
    const children = value.map((entry) => {
      const sub = asFilterDocument(entry);
      if (sub === undefined)
        throw new MongoError('BadValue', '$or/$and/$nor entries need to be full objects');
      return parseDocument(sub, context, level);
    });
    return { kind, children };
  };
}

function parseAlways(kind: 'alwaysTrue' | 'alwaysFalse'): PathlessParser {
  return (name, value) => {
    if (parseIntegerToLong(name, value) !== 1n) {
      throw new MongoError('FailedToParse', `$${kind} must be an integer value of 1`);
    }
    return { kind };
  };
}

const parseWhere: PathlessParser = (name, value, context, level) => {
  if (context.options.allow?.where === false) {
    throw new MongoError('BadValue', '$where is not allowed in this context');
  }
  if (level === 'subDocument') {
    throw new MongoError('BadValue', '$where can only be applied to the top-level document');
  }
  // What mongod answers when it runs without a JavaScript engine (JsFunction::_init).
  throw new MongoError(
    6108304,
    'no globalScriptEngine in $where parsing: Shoal does not run JavaScript',
  );
};

const parseText: PathlessParser = (name, value, context, level) => {
  if (level === 'subDocument') {
    throw new MongoError('BadValue', '$text can only be applied to the top-level document');
  }
  if (context.options.allow?.text === false) {
    throw new MongoError('BadValue', '$text is not allowed in this context');
  }
  // What mongod answers for $text on a collection without a text index.
  throw new MongoError(
    'IndexNotFound',
    'text index required for $text query (Shoal does not support text indexes)',
  );
};

const parseExpr: PathlessParser = (name, value, context, level) => {
  if (level === 'subDocument') {
    throw new MongoError('BadValue', '$expr can only be applied to the top-level document');
  }
  if (context.options.allow?.expr === false) {
    throw new MongoError('QueryFeatureNotAllowed', '$expr is not allowed in this context');
  }
  return { kind: 'expr', expression: value };
};

const parseJsonSchemaOperator: PathlessParser = (name, value, context) => {
  if (context.options.allow?.jsonSchema === false) {
    throw new MongoError('QueryFeatureNotAllowed', '$jsonSchema is not allowed in this context');
  }
  const schema = asFilterDocument(value);
  if (schema === undefined) throw new MongoError('TypeMismatch', '$jsonSchema must be an object');
  // Parsing validates the schema now; compiling parses it again into a validator.
  parseJsonSchema(schema);
  return { kind: 'jsonSchema', schema };
};

const parseSampleRate: PathlessParser = (name, value, context, level) => {
  if (level === 'subDocument') {
    throw new MongoError('BadValue', '$sampleRate can only be applied to the top-level document');
  }
  if (!isNumber(value))
    throw new MongoError('BadValue', 'argument to $sampleRate must be a numeric type');
  const rate = toDouble(value);
  // Negated so that NaN fails too.
  if (!(rate >= 0 && rate <= 1)) {
    throw new MongoError('BadValue', 'numeric argument to $sampleRate must be in [0, 1]');
  }
  if (rate === 0) return { kind: 'alwaysFalse' };
  if (rate === 1) return { kind: 'alwaysTrue' };
  return { kind: 'sampleRate', rate };
};

/** $id, $ref and $db at the top level are equalities on DBRef fields. */
const parseDBRefField: PathlessParser = (name, value) => equalityNode(name, value);

const pathlessParsers: ReadonlyMap<string, PathlessParser> = new Map<string, PathlessParser>([
  ['alwaysFalse', parseAlways('alwaysFalse')],
  ['alwaysTrue', parseAlways('alwaysTrue')],
  ['and', parseLogical('and')],
  ['comment', () => undefined],
  ['db', parseDBRefField],
  ['expr', parseExpr],
  ['id', parseDBRefField],
  ['jsonSchema', parseJsonSchemaOperator],
  ['nor', parseLogical('nor')],
  ['or', parseLogical('or')],
  ['ref', parseDBRefField],
  ['sampleRate', parseSampleRate],
  ['text', parseText],
  ['where', parseWhere],
]);
