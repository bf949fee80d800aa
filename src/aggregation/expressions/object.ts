/**
 * Object operators: $objectToArray and $arrayToObject, and $getField, $setField and
 * $unsetField, which access a field by a constant name that may contain '.' or start with '$'
 * (names a field path cannot reach). The name must be a constant string, checked at parse
 * time like the server does.
 */
import { isDocument } from '../../bson/types.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { constantOf } from './constants.js';
import { compileFieldPath, getField, setField } from './field-path.js';
import type { CompiledExpression, OperatorContext, OperatorTable } from './types.js';
import { unary } from './arguments.js';
import { formatValue, isNullish, typeName } from './values.js';

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

function compileObjectToArray(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operand = unary(argument, context);
  return (root, variables) => {
    const value = operand(root, variables);
    if (isNullish(value)) return null;
    if (!isDocument(value)) {
      throw new MongoError(
        40390,
        `$objectToArray requires a document input, found: ${typeName(value)}`,
      );
    }
    return Object.keys(value).map((k): BsonValue => ({ k, v: value[k] }));
  };
}

function compileArrayToObject(argument: BsonValue, context: OperatorContext): CompiledExpression {
  const operand = unary(argument, context);
  return (root, variables) => {
    const input = operand(root, variables);
    if (isNullish(input)) return null;
    if (!Array.isArray(input)) {
      throw new MongoError(
        40386,
        `$arrayToObject requires an array input, found: ${typeName(input)}`,
      );
    }
    const output: BsonDocument = {};
    if (input.length === 0) return output;
    const first = input[0];
    const pairs = Array.isArray(first);
    if (!pairs && !isDocument(first)) {
      throw new MongoError(
        40398,
        `Unrecognised input type format for $arrayToObject: ${typeName(first)}`,
      );
    }
    for (const element of input) {
      const [key, value] = pairs ? pairEntry(element) : documentEntry(element);
      if (key.includes('\0')) {
        throw new MongoError(
          pairs ? 4940400 : 4940401,
          'Key field cannot contain an embedded null byte',
        );
      }
      setField(output, key, value);
    }
    return output;
  };
}

function pairEntry(element: BsonValue): [string, BsonValue] {
  if (!Array.isArray(element)) {
    throw new MongoError(
      40396,
      `$arrayToObject requires a consistent input format. Elements mustall be arrays or all be objects. Array was detected, now found: ${typeName(element)}`,
    );
  }
  if (element.length !== 2) {
    throw new MongoError(
      40397,
      `$arrayToObject requires an array of size 2 arrays,found array of size: ${element.length}`,
    );
  }
  const key = element[0];
  if (typeof key !== 'string') {
    throw new MongoError(
      40395,
      `$arrayToObject requires an array of key-value pairs, where the key must be of type string. Found key type: ${typeName(key)}`,
    );
  }
  return [key, element[1]];
}

function documentEntry(element: BsonValue): [string, BsonValue] {
  if (!isDocument(element)) {
    throw new MongoError(
      40391,
      `$arrayToObject requires a consistent input format. Elements mustall be arrays or all be objects. Object was detected, now found: ${typeName(element)}`,
    );
  }
  const size = Object.keys(element).length;
  if (size !== 2) {
    throw new MongoError(
      40392,
      `$arrayToObject requires an object keys of 'k' and 'v'. Found incorrect number of keys:${size}`,
    );
  }
  if (!Object.hasOwn(element, 'k') || !Object.hasOwn(element, 'v')) {
    throw new MongoError(
      40393,
      `$arrayToObject requires an object with keys 'k' and 'v'. Missing either or both keys from: ${formatValue(element)}`,
    );
  }
  const key = element.k;
  if (typeof key !== 'string') {
    throw new MongoError(
      40394,
      `$arrayToObject requires an object with keys 'k' and 'v', where the value of 'k' must be of type string. Found type: ${typeName(key)}`,
    );
  }
  return [key, element.v];
}

export const objectOperators: OperatorTable = {
  $objectToArray: compileObjectToArray,
  $arrayToObject: compileArrayToObject,
  $getField: compileGetField,
  $setField: compileSetField(false),
  $unsetField: compileSetField(true),
};
