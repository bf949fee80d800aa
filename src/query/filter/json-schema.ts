/**
 * $jsonSchema (json_schema_parser.cpp): the draft-4 subset MongoDB supports, compiled to
 * a predicate over values. JSON Schema differs from the query language on purpose:
 *
 * - a restriction keyword applies only to values of its type (maxLength ignores numbers,
 *   minimum ignores strings), and only `type`/`bsonType` rejects other types;
 * - a schema tests the value at a property as a whole: arrays are not traversed;
 * - at the top level the value is the document, so scalar and array keywords have no effect
 *   and a type that excludes "object" matches nothing.
 *
 * Keywords MongoDB rejects ($ref, $schema, default, definitions, format, id) fail with its
 * error, as does any unknown keyword; title and description must be strings and are ignored.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { BsonType, bsonTypeOf, isDocument, isNumber } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { asDocument, getField, MISSING } from '../path.js';
import type { MaybeValue } from '../path.js';
import { typeNameOf } from '../describe.js';
import {
  jsonSchemaKeywords,
  parseArrayKeywords,
  parseObjectKeywords,
  parseScalarKeywords,
} from './json-schema-keywords.js';
import { unorderedEquals } from './json-schema-values.js';
import {
  addAlias,
  bsonTypeAliases,
  isEmptyTypeSet,
  jsonSchemaTypeAliases,
  typeSetHas,
} from './type-set.js';
import type { TypeSet } from './type-set.js';

export type SchemaCheck = (value: MaybeValue) => boolean;

const unsupportedKeywords = new Set(['$ref', '$schema', 'default', 'definitions', 'format', 'id']);

/** Parses a $jsonSchema document into a predicate over documents, throwing MongoDB's errors. */
export function parseJsonSchema(schema: BsonDocument): (doc: BsonDocument) => boolean {
  const check = parseSchema(schema, true);
  return (doc) => check(doc);
}

export function schemaError(
  kind: 'TypeMismatch' | 'FailedToParse' | 'BadValue',
  message: string,
): MongoError {
  return new MongoError(kind, message);
}

/** A nested schema argument must be a document (DBRef values count). */
export function asSchemaDocument(value: BsonValue): BsonDocument | undefined {
  return isDocument(value) ? value : asDocument(value);
}

export function parseSchema(schema: BsonDocument, topLevel: boolean): SchemaCheck {
  const keywords = new Map<string, BsonValue>();
  for (const [name, value] of Object.entries(schema)) {
    if (!jsonSchemaKeywords.has(name)) {
      if (unsupportedKeywords.has(name)) {
        throw schemaError(
          'FailedToParse',
          `$jsonSchema keyword '${name}' is not currently supported`,
        );
      }
      throw schemaError('FailedToParse', `Unknown $jsonSchema keyword: ${name}`);
    }
    keywords.set(name, value);
  }
  for (const name of ['description', 'title']) {
    const value = keywords.get(name);
    if (value !== undefined && typeof value !== 'string') {
      throw schemaError('TypeMismatch', `$jsonSchema keyword '${name}' must be of type string`);
    }
  }
  if (keywords.has('type') && keywords.has('bsonType')) {
    throw schemaError(
      'FailedToParse',
      "Cannot specify both $jsonSchema keywords 'type' and 'bsonType'",
    );
  }
  const typeSet = parseStatedType(keywords);
  const checks: SchemaCheck[] = [];
  parseScalarKeywords(keywords, topLevel, checks);
  parseArrayKeywords(keywords, topLevel, checks);
  if (keywords.has('encrypt') || keywords.has('encryptMetadata')) {
    throw new MongoError(
      'QueryFeatureNotAllowed',
      'Encryption-related validator keywords are not allowed in this context',
    );
  }
  parseObjectKeywords(keywords, topLevel, checks);
  parseLogicalKeywords(keywords, topLevel, checks);
  if (topLevel && typeSet !== undefined && !typeSet.types.has(BsonType.object)) return () => false;
  if (!topLevel && typeSet !== undefined) {
    checks.push((value) => value !== MISSING && typeSetHas(typeSet, value));
  }
  return (value) => {
    for (const check of checks) if (!check(value)) return false;
    return true;
  };
}

function parseStatedType(keywords: ReadonlyMap<string, BsonValue>): TypeSet | undefined {
  for (const [name, aliases] of [
    ['type', jsonSchemaTypeAliases],
    ['bsonType', bsonTypeAliases],
  ] as const) {
    const value = keywords.get(name);
    if (value !== undefined) return parseSchemaTypeSet(name, value, aliases);
  }
  return undefined;
}

/** JSONSchemaParser::parseTypeSet. */
function parseSchemaTypeSet(
  name: string,
  value: BsonValue,
  aliases: ReadonlyMap<string, number>,
): TypeSet {
  if (typeof value !== 'string' && !Array.isArray(value)) {
    throw schemaError(
      'TypeMismatch',
      `$jsonSchema keyword '${name}' must be either a string or an array of strings`,
    );
  }
  const entries = typeof value === 'string' ? [value] : value;
  const seen = new Set<string>();
  for (const entry of entries) {
    if (typeof entry !== 'string') {
      throw schemaError(
        'TypeMismatch',
        `$jsonSchema keyword '${name}' array elements must be strings`,
      );
    }
    if (entry === 'integer')
      throw schemaError('FailedToParse', "$jsonSchema type 'integer' is not currently supported.");
    if (seen.has(entry))
      throw schemaError(
        'FailedToParse',
        `$jsonSchema keyword '${name}' has duplicate value: ${entry}`,
      );
    seen.add(entry);
  }
  const set = { types: new Set<number>(), allNumbers: false };
  for (const entry of seen) addAlias(entry, aliases, set);
  if (isEmptyTypeSet(set))
    throw schemaError('FailedToParse', `$jsonSchema keyword '${name}' must name at least one type`);
  return set;
}

function parseSchemaList(name: string, value: BsonValue, topLevel: boolean): SchemaCheck[] {
  if (!Array.isArray(value))
    throw schemaError('TypeMismatch', `$jsonSchema keyword '${name}' must be an array`);
  if (value.length === 0)
    throw schemaError('BadValue', `$jsonSchema keyword '${name}' must be a non-empty array`);
  return value.map((entry) => {
    const schema = asSchemaDocument(entry);
    if (schema === undefined) {
      throw schemaError(
        'TypeMismatch',
        `$jsonSchema keyword '${name}' must be an array of objects, but found an element of type ${typeNameOf(entry)}`,
      );
    }
    return parseSchema(schema, topLevel);
  });
}

function parseLogicalKeywords(
  keywords: ReadonlyMap<string, BsonValue>,
  topLevel: boolean,
  checks: SchemaCheck[],
): void {
  const allOf = keywords.get('allOf');
  if (allOf !== undefined) {
    const list = parseSchemaList('allOf', allOf, topLevel);
    checks.push((value) => list.every((check) => check(value)));
  }
  const anyOf = keywords.get('anyOf');
  if (anyOf !== undefined) {
    const list = parseSchemaList('anyOf', anyOf, topLevel);
    checks.push((value) => list.some((check) => check(value)));
  }
  const oneOf = keywords.get('oneOf');
  if (oneOf !== undefined) {
    const list = parseSchemaList('oneOf', oneOf, topLevel);
    checks.push((value) => list.filter((check) => check(value)).length === 1);
  }
  const not = keywords.get('not');
  if (not !== undefined) {
    const schema = asSchemaDocument(not);
    if (schema === undefined) {
      throw schemaError(
        'TypeMismatch',
        `$jsonSchema keyword 'not' must be an object, but found an element of type ${typeNameOf(not)}`,
      );
    }
    const check = parseSchema(schema, topLevel);
    checks.push((value) => !check(value));
  }
  const enumeration = keywords.get('enum');
  if (enumeration !== undefined) checks.push(parseEnum(enumeration, topLevel));
}

function parseEnum(value: BsonValue, topLevel: boolean): SchemaCheck {
  if (!Array.isArray(value)) {
    throw schemaError(
      'TypeMismatch',
      `$jsonSchema keyword 'enum' must be an array, but found an element of type ${typeNameOf(value)}`,
    );
  }
  if (value.length === 0)
    throw schemaError('FailedToParse', "$jsonSchema keyword 'enum' cannot be an empty array");
  value.forEach((entry, i) => {
    if (value.slice(0, i).some((earlier) => unorderedEquals(earlier, entry))) {
      throw schemaError(
        'FailedToParse',
        "$jsonSchema keyword 'enum' array cannot contain duplicate values.",
      );
    }
  });
  // At the top level only documents can be equal to the root, so other values are dropped.
  const candidates = topLevel
    ? value.filter((entry) => bsonTypeOf(entry) === BsonType.object)
    : value;
  if (candidates.length === 0) return () => false;
  return (actual) =>
    actual !== MISSING && candidates.some((candidate) => unorderedEquals(actual, candidate));
}

/** Guards a restriction so that it passes for values it does not apply to. */
export function onNumbers(check: SchemaCheck): SchemaCheck {
  return (value) => !isNumber(value) || check(value);
}

export function onStrings(check: (value: string) => boolean): SchemaCheck {
  return (value) => typeof value !== 'string' || check(value);
}

export function onArrays(check: (value: BsonValue[]) => boolean): SchemaCheck {
  return (value) => !Array.isArray(value) || check(value);
}

export function onDocuments(check: (value: BsonDocument) => boolean): SchemaCheck {
  return (value) => {
    if (value === MISSING || Array.isArray(value)) return true;
    const doc = asDocument(value);
    return doc === undefined || check(doc);
  };
}

export function hasField(doc: BsonDocument, name: string): boolean {
  return getField(doc, name) !== MISSING;
}
