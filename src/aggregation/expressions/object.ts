/**
 * $getField, $setField and $unsetField: field access by a constant name, which may contain
 * '.' or start with '$' (names a field path could not reach). The name must be a constant
 * string, checked at parse time like the server does.
 */
import { isDocument } from '../../bson/types.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { constantOf } from './constants.js';
import { compileFieldPath, getField, setField } from './field-path.js';
import type { CompiledExpression, OperatorContext, OperatorTable } from './types.js';
import { isNullish, typeName } from './values.js';

/** ExpressionFieldPath::fullPathWithPrefix: "$a" is stored as CURRENT.a. */
function pathWithPrefix(raw: string): string {
  return raw.startsWith('$$') ? raw.slice(1) : `$CURRENT.${raw.slice(1)}`;
}

function constantFieldName(
  expression: BsonValue,
  compiled: CompiledExpression,
  name: string,
  codes: { path: number; constant: number; type: number },
): string {
  if (typeof expression === 'string' && expression.startsWith('$')) {
    const path = pathWithPrefix(expression);
    throw new MongoError(
      codes.path,
      `'${path}' is a field path reference which is not allowed in this context. Did you mean {$literal: '${path}'}?`,
    );
  }
  const fixed = constantOf(compiled);
  if (fixed === undefined) {
    throw new MongoError(
      codes.constant,
      `${name} requires 'field' to evaluate to a constant, but got a non-constant argument`,
    );
  }
  if (typeof fixed.value !== 'string') {
    throw new MongoError(
      codes.type,
      `${name} requires 'field' to evaluate to type String, but got ${typeName(fixed.value)}`,
    );
  }
  return fixed.value;
}

function compileGetField(argument: BsonValue, context: OperatorContext): CompiledExpression {
  let fieldExpression: BsonValue | undefined;
  let inputExpression: BsonValue = '$$CURRENT';
  let hasField = false;
  let hasInput = false;
  if (isDocument(argument) && !(Object.keys(argument)[0] ?? '').startsWith('$')) {
    for (const [key, value] of Object.entries(argument)) {
      if (key === 'field') [fieldExpression, hasField] = [value, true];
      else if (key === 'input') [inputExpression, hasInput] = [value, true];
      else throw new MongoError(3041701, `$getField found an unknown argument: ${key}`);
    }
  } else {
    [fieldExpression, hasField, hasInput] = [argument, true, true];
  }
  if (!hasField) throw new MongoError(3041702, "$getField requires 'field' to be specified");
  if (!hasInput) throw new MongoError(3041703, "$getField requires 'input' to be specified");
  const compiledField = context.compile(fieldExpression);
  const field = constantFieldName(fieldExpression, compiledField, '$getField', {
    path: 5654600,
    constant: 5654601,
    type: 5654602,
  });
  const input =
    inputExpression === '$$CURRENT'
      ? compileFieldPath('$$CURRENT', context.scope)
      : context.compile(inputExpression);
  return (root, variables) => {
    const value = input(root, variables);
    if (value === null) return null;
    if (!isDocument(value)) return undefined;
    return getField(value, field);
  };
}

function compileSetField(unset: boolean) {
  return (argument: BsonValue, context: OperatorContext): CompiledExpression => {
    const name = context.name;
    if (!isDocument(argument)) {
      throw new MongoError(4161100, `${name} only supports an object as its argument`);
    }
    const args = new Map<string, BsonValue>();
    for (const [key, value] of Object.entries(argument)) {
      if (key !== 'field' && key !== 'input' && (unset || key !== 'value')) {
        throw new MongoError(4161101, `${name} found an unknown argument: ${key}`);
      }
      args.set(key, value);
    }
    if (unset) args.set('value', '$$REMOVE');
    if (!args.has('field'))
      throw new MongoError(4161102, `${name} requires 'field' to be specified`);
    if (!args.has('value'))
      throw new MongoError(4161103, `${name} requires 'value' to be specified`);
    if (!args.has('input'))
      throw new MongoError(4161109, `${name} requires 'input' to be specified`);
    const fieldExpression = args.get('field');
    const input = context.compile(args.get('input'));
    const value = context.compile(args.get('value'));
    const field = constantFieldName(fieldExpression, context.compile(fieldExpression), name, {
      path: 4161108,
      constant: 4161106,
      type: 4161107,
    });
    return (root, variables) => {
      const document = input(root, variables);
      if (isNullish(document)) return null;
      if (!isDocument(document)) {
        throw new MongoError(4161105, "$setField requires 'input' to evaluate to type Object");
      }
      const newValue = value(root, variables);
      const output: BsonDocument = {};
      for (const key of Object.keys(document)) {
        if (key === field) {
          if (newValue !== undefined) setField(output, key, newValue);
        } else {
          setField(output, key, document[key]);
        }
      }
      if (newValue !== undefined && !Object.hasOwn(document, field))
        setField(output, field, newValue);
      return output;
    };
  };
}

export const objectOperators: OperatorTable = {
  $getField: compileGetField,
  $setField: compileSetField(false),
  $unsetField: compileSetField(true),
};
