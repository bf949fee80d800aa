/**
 * Field paths ("$a.b") and variable references ("$$x.a", "$$ROOT", "$$NOW", ...), compiled to
 * closures that walk the path without allocating unless an array is traversed. Array traversal
 * follows ExpressionFieldPath::evaluatePath: "$a.b" over [{b: 1}, {c: 2}, 3] is [1]; elements
 * that are not documents, and documents without the field, are skipped.
 */
import { DBRef } from 'bson';
import { dbRefToDocument } from '../../bson/compare.js';
import { isDocument } from '../../bson/types.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { constant } from './constants.js';
import type { CompiledExpression, ExpressionScope, Variables } from './types.js';
import type { Value } from './values.js';
import { validateNameForUserRead } from './variable-names.js';

/** Field names the server allows to start with '$' (DBRef fields). */
const allowedDollarFields = new Set(['$id', '$ref', '$db']);

/** FieldPath::uassertValidFieldName. */
export function validateFieldName(name: string): void {
  if (name.length === 0) {
    throw new MongoError(15998, 'FieldPath field names may not be empty strings.');
  }
  if (name.startsWith('$') && !allowedDollarFields.has(name)) {
    throw new MongoError(
      16410,
      "FieldPath field names may not start with '$'. Consider using $getField or $setField.",
    );
  }
  if (name.includes('\0'))
    throw new MongoError(16411, "FieldPath field names may not contain '\0'.");
  if (name.includes('.')) {
    throw new MongoError(
      16412,
      "FieldPath field names may not contain '.'. Consider using $getField or $setField.",
    );
  }
}

/** Splits and validates a dotted path (the FieldPath constructor). */
export function parseFieldPath(path: string): string[] {
  if (path.length === 0)
    throw new MongoError(40352, 'FieldPath cannot be constructed with empty string');
  if (path.endsWith('.')) throw new MongoError(40353, "FieldPath must not end with a '.'.");
  const parts = path.split('.');
  for (const part of parts) validateFieldName(part);
  return parts;
}

/** A document's own field; inherited Object.prototype members are not fields. */
export function getField(doc: BsonDocument, key: string): Value {
  if (key in Object.prototype) return Object.hasOwn(doc, key) ? doc[key] : undefined;
  return doc[key];
}

/** Assigns a field, defining it when the name would otherwise hit Object.prototype. */
export function setField(doc: BsonDocument, key: string, value: BsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(doc, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    doc[key] = value;
  }
}

/** The document a value represents for traversal, or undefined when it is not one. */
function asDocument(value: Value): BsonDocument | undefined {
  if (isDocument(value)) return value;
  if (value instanceof DBRef) return dbRefToDocument(value);
  return undefined;
}

function evaluatePath(keys: readonly string[], index: number, doc: BsonDocument): Value {
  const value = getField(doc, keys[index] as string);
  if (index === keys.length - 1) return value;
  if (Array.isArray(value)) return evaluatePathArray(keys, index + 1, value);
  const next = asDocument(value);
  return next === undefined ? undefined : evaluatePath(keys, index + 1, next);
}

function evaluatePathArray(
  keys: readonly string[],
  index: number,
  array: BsonValue[],
): BsonValue[] {
  const result: BsonValue[] = [];
  for (const element of array) {
    const doc = asDocument(element);
    if (doc === undefined) continue;
    const nested = evaluatePath(keys, index, doc);
    if (nested !== undefined) result.push(nested);
  }
  return result;
}

/** Applies the rest of a path to a variable's value (documents and arrays only). */
export function followPath(base: Value, keys: readonly string[]): Value {
  if (keys.length === 0) return base;
  if (Array.isArray(base)) return evaluatePathArray(keys, 0, base);
  const doc = asDocument(base);
  return doc === undefined ? undefined : evaluatePath(keys, 0, doc);
}

/** Compiles a path that is relative to the root document, specialised for short paths. */
function compileRootPath(keys: readonly string[]): CompiledExpression {
  if (keys.length === 1) {
    const key = keys[0] as string;
    return (root) => getField(root, key);
  }
  return (root) => evaluatePath(keys, 0, root);
}

const builtinVariables = new Set([
  'ROOT',
  'REMOVE',
  'NOW',
  'CLUSTER_TIME',
  'JS_SCOPE',
  'IS_MR',
  'SEARCH_META',
  'USER_ROLES',
]);

/** "$a.b": relative to $$CURRENT, which is the root unless a $let rebinds it. */
export function compileFieldPath(raw: string, scope: ExpressionScope): CompiledExpression {
  if (raw.includes('\0')) {
    throw new MongoError(16419, 'field path must not contain embedded null characters');
  }
  if (raw.length < 2) throw new MongoError(16872, "'$' by itself is not a valid FieldPath");
  if (raw[1] === '$') return compileVariablePath(raw.slice(2), scope);
  const keys = parseFieldPath(raw.slice(1));
  if (!scope.variablesInScope.has('CURRENT')) return compileRootPath(keys);
  return (_root, variables) => followPath(variables.get('CURRENT'), keys);
}

/** "$$name.rest": a user variable or one of the builtin variables. */
function compileVariablePath(path: string, scope: ExpressionScope): CompiledExpression {
  const dot = path.indexOf('.');
  const name = dot === -1 ? path : path.slice(0, dot);
  validateNameForUserRead(name);
  const keys = dot === -1 ? [] : parseFieldPath(path.slice(dot + 1));
  if (scope.variablesInScope.has(name)) {
    return (_root, variables) => followPath(variables.get(name), keys);
  }
  if (!builtinVariables.has(name)) {
    if (name !== 'CURRENT') throw new MongoError(17276, `Use of undefined variable: ${name}`);
    return keys.length === 0 ? (root) => root : compileRootPath(keys);
  }
  return compileBuiltin(name, keys, scope);
}

function compileBuiltin(name: string, keys: string[], scope: ExpressionScope): CompiledExpression {
  switch (name) {
    case 'ROOT':
      return keys.length === 0 ? (root) => root : compileRootPath(keys);
    case 'REMOVE':
    case 'SEARCH_META':
      return constant(undefined);
    case 'NOW':
      return constant(followPath(scope.now, keys));
    case 'CLUSTER_TIME': {
      const clusterTime = scope.clusterTime;
      if (clusterTime !== undefined) return constant(followPath(clusterTime, keys));
      return notAvailable(name);
    }
    default:
      return (_root, variables: Variables) => {
        if (!variables.has(name)) throw unavailable(name);
        return followPath(variables.get(name), keys);
      };
  }
}

function unavailable(name: string): MongoError {
  return new MongoError(51144, `Builtin variable '$$${name}' is not available`);
}

function notAvailable(name: string): CompiledExpression {
  return () => {
    throw unavailable(name);
  };
}
