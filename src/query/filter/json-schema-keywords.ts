/**
 * The scalar, array and object keywords of $jsonSchema, each parsed with MongoDB's error
 * for a malformed argument and compiled to a restriction of parse-schema's SchemaCheck.
 */
import type { BsonNumber } from '../../bson/compare-numbers.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isNumber } from '../../bson/types.js';
import { typeNameOf } from '../describe.js';
import { getField, MISSING } from '../path.js';
import { compileRegexSpec } from './parse-operators.js';
import { parseIntegerToNonNegativeLong } from './parse-number.js';
import { compilePcre } from './pcre.js';
import { comparisonTest } from './value-tests.js';
import {
  asSchemaDocument,
  hasField,
  onArrays,
  onDocuments,
  onNumbers,
  onStrings,
  parseSchema,
  schemaError,
} from './json-schema.js';
import type { SchemaCheck } from './json-schema.js';
import { codePointLength, isMultipleOf, unorderedEquals } from './json-schema-values.js';

export const jsonSchemaKeywords: ReadonlySet<string> = new Set([
  'additionalItems',
  'additionalProperties',
  'allOf',
  'anyOf',
  'bsonType',
  'dependencies',
  'description',
  'encrypt',
  'encryptMetadata',
  'enum',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'items',
  'maxItems',
  'maxLength',
  'maxProperties',
  'maximum',
  'minItems',
  'minLength',
  'minProperties',
  'minimum',
  'multipleOf',
  'not',
  'oneOf',
  'pattern',
  'patternProperties',
  'properties',
  'required',
  'title',
  'type',
  'uniqueItems',
]);

type Keywords = ReadonlyMap<string, BsonValue>;

function length(keywords: Keywords, name: string): bigint | undefined {
  const value = keywords.get(name);
  return value === undefined ? undefined : parseIntegerToNonNegativeLong(name, value);
}

function bound(
  keywords: Keywords,
  name: 'maximum' | 'minimum',
  exclusiveName: string,
): SchemaCheck | undefined {
  const value = keywords.get(name);
  const exclusive = keywords.get(exclusiveName);
  if (value === undefined) {
    if (exclusive !== undefined) {
      throw schemaError(
        'FailedToParse',
        `$jsonSchema keyword '${name}' must be a present if ${exclusiveName} is present`,
      );
    }
    return undefined;
  }
  if (exclusive !== undefined && typeof exclusive !== 'boolean') {
    throw schemaError('TypeMismatch', `$jsonSchema keyword '${exclusiveName}' must be a boolean`);
  }
  if (!isNumber(value))
    throw schemaError('TypeMismatch', `$jsonSchema keyword '${name}' must be a number`);
  const op =
    name === 'maximum' ? (exclusive === true ? 'lt' : 'lte') : exclusive === true ? 'gt' : 'gte';
  return onNumbers(comparisonTest(op, value, false));
}

export function parseScalarKeywords(
  keywords: Keywords,
  topLevel: boolean,
  checks: SchemaCheck[],
): void {
  const pending: SchemaCheck[] = [];
  const pattern = keywords.get('pattern');
  if (pattern !== undefined) {
    if (typeof pattern !== 'string')
      throw schemaError('TypeMismatch', "$jsonSchema keyword 'pattern' must be a string");
    const { regExp } = compileRegexSpec(pattern, '');
    pending.push(onStrings((text) => regExp.test(text)));
  }
  const maxLength = length(keywords, 'maxLength');
  if (maxLength !== undefined)
    pending.push(onStrings((text) => BigInt(codePointLength(text)) <= maxLength));
  const minLength = length(keywords, 'minLength');
  if (minLength !== undefined)
    pending.push(onStrings((text) => BigInt(codePointLength(text)) >= minLength));
  const multipleOf = keywords.get('multipleOf');
  if (multipleOf !== undefined) pending.push(parseMultipleOf(multipleOf));
  const maximum = bound(keywords, 'maximum', 'exclusiveMaximum');
  if (maximum !== undefined) pending.push(maximum);
  const minimum = bound(keywords, 'minimum', 'exclusiveMinimum');
  if (minimum !== undefined) pending.push(minimum);
  // The document itself is never a string or a number.
  if (!topLevel) checks.push(...pending);
}

function parseMultipleOf(value: BsonValue): SchemaCheck {
  if (!isNumber(value))
    throw schemaError('TypeMismatch', "$jsonSchema keyword 'multipleOf' must be a number");
  if (isNonPositive(value)) {
    throw schemaError(
      'FailedToParse',
      "$jsonSchema keyword 'multipleOf' must have a positive value",
    );
  }
  return onNumbers((actual) => isNumber(actual) && isMultipleOf(actual, value));
}

function isNonPositive(value: BsonNumber): boolean {
  if (value._bsontype === 'Decimal128') return /^-|^0(\.0*)?(E[-+]?\d+)?$/i.test(value.toString());
  if (value._bsontype === 'Long') return value.isNegative() || value.isZero();
  return value.value <= 0 || Object.is(value.value, -0);
}

export function parseArrayKeywords(
  keywords: Keywords,
  topLevel: boolean,
  checks: SchemaCheck[],
): void {
  const pending: SchemaCheck[] = [];
  const minItems = length(keywords, 'minItems');
  if (minItems !== undefined) pending.push(onArrays((array) => BigInt(array.length) >= minItems));
  const maxItems = length(keywords, 'maxItems');
  if (maxItems !== undefined) pending.push(onArrays((array) => BigInt(array.length) <= maxItems));
  const uniqueItems = keywords.get('uniqueItems');
  if (uniqueItems !== undefined) {
    if (typeof uniqueItems !== 'boolean')
      throw schemaError('TypeMismatch', "$jsonSchema keyword 'uniqueItems' must be a boolean");
    if (uniqueItems) pending.push(onArrays(allUnique));
  }
  const additionalFrom = parseItems(keywords.get('items'), pending);
  const additionalItems = keywords.get('additionalItems');
  if (additionalItems !== undefined) {
    const check = parseAdditional(
      additionalItems,
      'additionalItems',
      'either an object or a boolean, but got a',
    );
    if (additionalFrom !== undefined) {
      pending.push(
        onArrays((array) => array.slice(additionalFrom).every((element) => check(element))),
      );
    }
  }
  if (!topLevel) checks.push(...pending);
}

function allUnique(array: readonly BsonValue[]): boolean {
  for (let i = 1; i < array.length; i++) {
    for (let j = 0; j < i; j++) if (unorderedEquals(array[i], array[j])) return false;
  }
  return true;
}

/** Returns the index from which additionalItems applies: after an array of item schemas. */
function parseItems(items: BsonValue | undefined, pending: SchemaCheck[]): number | undefined {
  if (items === undefined) return undefined;
  if (Array.isArray(items)) {
    const schemas = items.map((entry) => {
      const schema = asSchemaDocument(entry);
      if (schema === undefined) {
        throw schemaError(
          'TypeMismatch',
          `$jsonSchema keyword 'items' requires that each element of the array is an object, but found a ${typeNameOf(entry)}`,
        );
      }
      return parseSchema(schema, false);
    });
    pending.push(
      onArrays((array) => schemas.every((check, i) => i >= array.length || check(array[i]))),
    );
    return schemas.length;
  }
  const schema = asSchemaDocument(items);
  if (schema === undefined) {
    throw schemaError(
      'TypeMismatch',
      `$jsonSchema keyword 'items' must be an array or an object, not ${typeNameOf(items)}`,
    );
  }
  const check = parseSchema(schema, false);
  pending.push(onArrays((array) => array.every((element) => check(element))));
  return undefined;
}

/** additionalItems / additionalProperties: a boolean, or a schema for the extra values. */
function parseAdditional(value: BsonValue, name: string, expectation: string): SchemaCheck {
  if (typeof value === 'boolean') return () => value;
  const schema = asSchemaDocument(value);
  if (schema === undefined) {
    const suffix = name === 'additionalItems' ? ` ${typeNameOf(value)}` : '';
    throw schemaError(
      'TypeMismatch',
      `$jsonSchema keyword '${name}' must be ${expectation}${suffix}`,
    );
  }
  return parseSchema(schema, false);
}

export function parseObjectKeywords(
  keywords: Keywords,
  topLevel: boolean,
  checks: SchemaCheck[],
): void {
  const required = parseRequired(keywords.get('required'));
  const properties = keywords.get('properties');
  const propertyChecks =
    properties === undefined ? undefined : parseProperties(properties, required);
  if (propertyChecks !== undefined) checks.push(onDocuments(propertyChecks));
  const patternProperties = keywords.get('patternProperties');
  const additionalProperties = keywords.get('additionalProperties');
  if (patternProperties !== undefined || additionalProperties !== undefined) {
    const names = new Set(
      properties === undefined ? [] : Object.keys(asSchemaDocument(properties) ?? {}),
    );
    checks.push(
      onDocuments(parseAllowedProperties(names, patternProperties, additionalProperties)),
    );
  }
  if (required.length > 0)
    checks.push(onDocuments((doc) => required.every((name) => hasField(doc, name))));
  const minProperties = length(keywords, 'minProperties');
  if (minProperties !== undefined)
    checks.push(onDocuments((doc) => BigInt(Object.keys(doc).length) >= minProperties));
  const maxProperties = length(keywords, 'maxProperties');
  if (maxProperties !== undefined)
    checks.push(onDocuments((doc) => BigInt(Object.keys(doc).length) <= maxProperties));
  const dependencies = keywords.get('dependencies');
  if (dependencies !== undefined)
    checks.push(onDocuments(parseDependencies(dependencies, topLevel)));
}

function parseRequired(value: BsonValue | undefined): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw schemaError(
      'TypeMismatch',
      `$jsonSchema keyword 'required' must be an array, but found an element of type ${typeNameOf(value)}`,
    );
  }
  const names: string[] = [];
  for (const entry of value) {
    if (typeof entry !== 'string') {
      throw schemaError(
        'TypeMismatch',
        `$jsonSchema keyword 'required' must be an array of strings, but found an element of type: ${typeNameOf(entry)}`,
      );
    }
    if (names.includes(entry)) {
      throw schemaError(
        'FailedToParse',
        "$jsonSchema keyword 'required' array cannot contain duplicate values",
      );
    }
    names.push(entry);
  }
  if (names.length === 0)
    throw schemaError('FailedToParse', "$jsonSchema keyword 'required' cannot be an empty array");
  return names;
}

function parseProperties(
  value: BsonValue,
  required: readonly string[],
): (doc: BsonDocument) => boolean {
  const properties = asSchemaDocument(value);
  if (properties === undefined)
    throw schemaError('TypeMismatch', "$jsonSchema keyword 'properties' must be an object");
  const entries = Object.entries(properties).map(([name, nested]) => {
    const schema = asSchemaDocument(nested);
    if (schema === undefined) {
      throw schemaError(
        'TypeMismatch',
        `Nested schema for $jsonSchema property '${name}' must be an object`,
      );
    }
    return { name, check: parseSchema(schema, false), required: required.includes(name) };
  });
  return (doc) =>
    entries.every(({ name, check, required: isRequired }) => {
      const field = getField(doc, name);
      // An optional property that is absent satisfies its schema.
      return (!isRequired && field === MISSING) || check(field);
    });
}

function parseAllowedProperties(
  names: ReadonlySet<string>,
  patternProperties: BsonValue | undefined,
  additionalProperties: BsonValue | undefined,
): (doc: BsonDocument) => boolean {
  const patterns: { regExp: RegExp; check: SchemaCheck }[] = [];
  if (patternProperties !== undefined) {
    const entries = asSchemaDocument(patternProperties);
    if (entries === undefined)
      throw schemaError(
        'TypeMismatch',
        "$jsonSchema keyword 'patternProperties' must be an object",
      );
    for (const [pattern, nested] of Object.entries(entries)) {
      const schema = asSchemaDocument(nested);
      if (schema === undefined) {
        throw schemaError(
          'TypeMismatch',
          `$jsonSchema keyword 'patternProperties' has property '${pattern}' which is not an object`,
        );
      }
      patterns.push({ check: parseSchema(schema, false), regExp: compilePcre(pattern, '') });
    }
  }
  const otherwise =
    additionalProperties === undefined
      ? () => true
      : parseAdditional(additionalProperties, 'additionalProperties', 'an object or a boolean');
  return (doc) =>
    Object.keys(doc).every((name) => {
      const value = doc[name];
      let matchedPattern = false;
      for (const { regExp, check } of patterns) {
        if (!regExp.test(name)) continue;
        matchedPattern = true;
        if (!check(value)) return false;
      }
      return matchedPattern || names.has(name) || otherwise(value);
    });
}

function parseDependencies(value: BsonValue, topLevel: boolean): (doc: BsonDocument) => boolean {
  const dependencies = asSchemaDocument(value);
  if (dependencies === undefined)
    throw schemaError('TypeMismatch', "$jsonSchema keyword 'dependencies' must be an object");
  const rules: { name: string; check: (doc: BsonDocument) => boolean }[] = [];
  for (const [name, dependency] of Object.entries(dependencies)) {
    if (Array.isArray(dependency)) {
      rules.push({ name, check: parsePropertyDependency(name, dependency) });
      continue;
    }
    const schema = asSchemaDocument(dependency);
    if (schema !== undefined) {
      // A schema dependency constrains the same value, at the same level.
      const check = parseSchema(schema, topLevel);
      rules.push({ name, check: (doc) => check(doc) });
      continue;
    }
    if (typeof dependency === 'string' && (name === 'title' || name === 'description')) continue;
    throw schemaError(
      'TypeMismatch',
      `property '${name}' in $jsonSchema keyword 'dependencies' must be either an object or an array`,
    );
  }
  return (doc) => rules.every(({ name, check }) => !hasField(doc, name) || check(doc));
}

function parsePropertyDependency(
  name: string,
  list: readonly BsonValue[],
): (doc: BsonDocument) => boolean {
  if (list.length === 0) {
    throw schemaError(
      'FailedToParse',
      `property '${name}' in $jsonSchema keyword 'dependencies' cannot be an empty array`,
    );
  }
  const names: string[] = [];
  for (const entry of list) {
    if (typeof entry !== 'string') {
      throw schemaError(
        'TypeMismatch',
        `array '${name}' in $jsonSchema keyword 'dependencies' can only contain strings, but found element of type: ${typeNameOf(entry)}`,
      );
    }
    if (names.includes(entry)) {
      throw schemaError(
        'FailedToParse',
        `array '${name}' in $jsonSchema keyword 'dependencies' contains duplicate element: ${entry}`,
      );
    }
    names.push(entry);
  }
  return (doc) => names.every((required) => hasField(doc, required));
}
