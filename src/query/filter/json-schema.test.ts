// $jsonSchema: MongoDB manual "$jsonSchema" (supported keywords, omissions, bsonType) and
// src/mongo/db/matcher/schema/json_schema_parser.cpp (restriction semantics and errors).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BSONSymbol, Decimal128, Double, Long } from 'bson';
import { MongoError } from '../../errors/mongo-error.js';
import { doc } from '../test-values.js';
import { compileFilter } from './compile-filter.js';

function valid(schema: Record<string, unknown>, input: Record<string, unknown>): boolean {
  return compileFilter(doc({ $jsonSchema: schema }))(doc(input));
}

type Case = [string, Record<string, unknown>, Record<string, unknown>, boolean];

function table(cases: Case[]): void {
  for (const [name, schema, input, expected] of cases)
    test(name, () => assert.equal(valid(schema, input), expected));
}

function rejects(schema: unknown, code: number, message: string): void {
  assert.throws(
    () => compileFilter(doc({ $jsonSchema: schema })),
    (error: unknown) => {
      assert.ok(error instanceof MongoError, String(error));
      assert.equal(error.message, message);
      assert.equal(error.code, code);
      return true;
    },
  );
}

const props = (schema: Record<string, unknown>): Record<string, unknown> => ({
  properties: { a: schema },
});

describe('types', () => {
  table([
    ['bsonType int', props({ bsonType: 'int' }), { a: 1 }, true],
    ['bsonType int rejects a double', props({ bsonType: 'int' }), { a: 1.5 }, false],
    ['bsonType number', props({ bsonType: 'number' }), { a: Long.fromNumber(1) }, true],
    ['type number', props({ type: 'number' }), { a: Decimal128.fromString('1') }, true],
    ['type array does not look inside', props({ type: 'string' }), { a: ['x'] }, false],
    ['a list of types', props({ bsonType: ['string', 'null'] }), { a: null }, true],
    ['an absent optional property is valid', props({ bsonType: 'int' }), {}, true],
    [
      'a required property must have the type',
      { required: ['a'], ...props({ bsonType: 'int' }) },
      {},
      false,
    ],
    ['top-level object type matches documents', { bsonType: 'object' }, { a: 1 }, true],
    ['a top-level type without object matches nothing', { type: 'string' }, { a: 1 }, false],
  ]);
});

describe('restrictions apply only to their type', () => {
  table([
    ['minimum on a number', props({ minimum: 5 }), { a: 4 }, false],
    ['minimum ignores strings', props({ minimum: 5 }), { a: 'x' }, true],
    ['minimum ignores arrays', props({ minimum: 5 }), { a: [1] }, true],
    ['exclusiveMinimum', props({ minimum: 5, exclusiveMinimum: true }), { a: 5 }, false],
    ['maximum', props({ maximum: 5 }), { a: new Double(5) }, true],
    ['exclusiveMaximum', props({ maximum: 5, exclusiveMaximum: true }), { a: 5 }, false],
    ['maxLength counts code points', props({ maxLength: 2 }), { a: '\u{1F600}\u{1F600}' }, true],
    ['minLength', props({ minLength: 3 }), { a: 'ab' }, false],
    ['minLength ignores symbols', props({ minLength: 3 }), { a: new BSONSymbol('ab') }, true],
    ['pattern searches the string', props({ pattern: 'b+' }), { a: 'abbc' }, true],
    ['pattern fails', props({ pattern: '^b' }), { a: 'abc' }, false],
    ['multipleOf in decimal arithmetic', props({ multipleOf: 0.1 }), { a: 0.3 }, true],
    ['multipleOf fails', props({ multipleOf: 2 }), { a: 3 }, false],
    [
      'multipleOf with a decimal',
      props({ multipleOf: Decimal128.fromString('0.25') }),
      { a: 1.5 },
      true,
    ],
    ['minItems', props({ minItems: 2 }), { a: [1] }, false],
    ['maxItems', props({ maxItems: 2 }), { a: [1, 2] }, true],
    ['uniqueItems', props({ uniqueItems: true }), { a: [1, 1.0] }, false],
    [
      'uniqueItems ignores field order',
      props({ uniqueItems: true }),
      {
        a: [
          { x: 1, y: 2 },
          { y: 2, x: 1 },
        ],
      },
      false,
    ],
    ['uniqueItems passes', props({ uniqueItems: true }), { a: [1, 2] }, true],
    ['items as one schema', props({ items: { bsonType: 'int' } }), { a: [1, 'x'] }, false],
    [
      'items as a list',
      props({ items: [{ bsonType: 'int' }, { bsonType: 'string' }] }),
      { a: [1, 'x', true] },
      true,
    ],
    [
      'additionalItems false after a list',
      props({ items: [{ bsonType: 'int' }], additionalItems: false }),
      { a: [1, 2] },
      false,
    ],
    [
      'additionalItems as a schema',
      props({ items: [{ bsonType: 'int' }], additionalItems: { bsonType: 'string' } }),
      { a: [1, 'x'] },
      true,
    ],
    [
      'additionalItems is ignored without an items list',
      props({ additionalItems: false }),
      { a: [1] },
      true,
    ],
    [
      'top-level scalar keywords have no effect',
      { minimum: 5, maxLength: 1, minItems: 3 },
      { a: 1 },
      true,
    ],
  ]);
});

describe('objects', () => {
  table([
    ['required', { required: ['a', 'b'] }, { a: 1 }, false],
    ['required on a nested document', props({ required: ['b'] }), { a: { c: 1 } }, false],
    [
      'nested properties',
      props({ properties: { b: { bsonType: 'string' } } }),
      { a: { b: 1 } },
      false,
    ],
    ['object keywords ignore non-documents', props({ required: ['b'] }), { a: 5 }, true],
    [
      'additionalProperties false',
      { properties: { _id: {}, a: {} }, additionalProperties: false },
      { _id: 1, b: 1 },
      false,
    ],
    [
      'additionalProperties false allows named ones',
      { properties: { _id: {}, a: {} }, additionalProperties: false },
      { _id: 1, a: 1 },
      true,
    ],
    [
      'additionalProperties as a schema',
      { properties: { _id: {} }, additionalProperties: { bsonType: 'int' } },
      { _id: 1, x: 'y' },
      false,
    ],
    [
      'patternProperties constrain matching names',
      { patternProperties: { '^s_': { bsonType: 'string' } } },
      { s_a: 1 },
      false,
    ],
    [
      'patternProperties exempt from additionalProperties',
      { properties: { _id: {} }, patternProperties: { '^s_': {} }, additionalProperties: false },
      { _id: 1, s_a: 1 },
      true,
    ],
    ['minProperties', { minProperties: 3 }, { a: 1, b: 2 }, false],
    ['maxProperties', { maxProperties: 2 }, { a: 1, b: 2 }, true],
    ['property dependencies', { dependencies: { a: ['b'] } }, { a: 1 }, false],
    ['property dependencies without the trigger', { dependencies: { a: ['b'] } }, { c: 1 }, true],
    ['schema dependencies', { dependencies: { a: { required: ['c'] } } }, { a: 1, c: 1 }, true],
    [
      'title and description are ignored',
      { title: 't', description: 'd', required: ['a'] },
      { a: 1 },
      true,
    ],
  ]);
});

describe('logical keywords and enum', () => {
  table([
    ['allOf', props({ allOf: [{ minimum: 1 }, { maximum: 3 }] }), { a: 4 }, false],
    ['anyOf', props({ anyOf: [{ bsonType: 'string' }, { bsonType: 'int' }] }), { a: 4 }, true],
    ['oneOf: exactly one', props({ oneOf: [{ minimum: 1 }, { maximum: 3 }] }), { a: 5 }, true],
    ['oneOf: both fail it', props({ oneOf: [{ minimum: 1 }, { maximum: 3 }] }), { a: 2 }, false],
    ['not', props({ not: { bsonType: 'int' } }), { a: 'x' }, true],
    ['enum compares numbers by value', props({ enum: [1, 'x'] }), { a: new Double(1) }, true],
    ['enum does not look inside arrays', props({ enum: [1] }), { a: [1] }, false],
    ['enum ignores field order', props({ enum: [{ x: 1, y: 2 }] }), { a: { y: 2, x: 1 } }, true],
    ['top-level enum compares the whole document', { enum: [{ a: 1 }] }, { a: 1 }, true],
    ['top-level enum of scalars matches nothing', { enum: [1, 2] }, { a: 1 }, false],
  ]);
});

describe('errors', () => {
  test('unsupported and unknown keywords', () => {
    for (const keyword of ['$ref', '$schema', 'default', 'definitions', 'format', 'id']) {
      rejects({ [keyword]: 'x' }, 9, `$jsonSchema keyword '${keyword}' is not currently supported`);
    }
    rejects({ foo: 1 }, 9, 'Unknown $jsonSchema keyword: foo');
    rejects(props({ foo: 1 }), 9, 'Unknown $jsonSchema keyword: foo');
  });
  test('argument types', () => {
    rejects(5, 14, '$jsonSchema must be an object');
    rejects({ type: 'integer' }, 9, "$jsonSchema type 'integer' is not currently supported.");
    rejects(
      { type: 5 },
      14,
      "$jsonSchema keyword 'type' must be either a string or an array of strings",
    );
    rejects(
      { type: ['object', 'object'] },
      9,
      "$jsonSchema keyword 'type' has duplicate value: object",
    );
    rejects({ type: 'int' }, 2, 'Unknown type name alias: int');
    rejects(
      { type: 'object', bsonType: 'object' },
      9,
      "Cannot specify both $jsonSchema keywords 'type' and 'bsonType'",
    );
    rejects({ type: [] }, 9, "$jsonSchema keyword 'type' must name at least one type");
    rejects({ minimum: 'x' }, 14, "$jsonSchema keyword 'minimum' must be a number");
    rejects(
      { exclusiveMinimum: true },
      9,
      "$jsonSchema keyword 'minimum' must be a present if exclusiveMinimum is present",
    );
    rejects({ minLength: -1 }, 9, 'Expected a positive number in: minLength: -1');
    rejects({ multipleOf: 0 }, 9, "$jsonSchema keyword 'multipleOf' must have a positive value");
    rejects({ required: [] }, 9, "$jsonSchema keyword 'required' cannot be an empty array");
    rejects(
      { required: ['a', 'a'] },
      9,
      "$jsonSchema keyword 'required' array cannot contain duplicate values",
    );
    rejects(
      { required: 'a' },
      14,
      "$jsonSchema keyword 'required' must be an array, but found an element of type string",
    );
    rejects(
      { properties: { a: 1 } },
      14,
      "Nested schema for $jsonSchema property 'a' must be an object",
    );
    rejects({ enum: [] }, 9, "$jsonSchema keyword 'enum' cannot be an empty array");
    rejects(
      { enum: [1, 1.0] },
      9,
      "$jsonSchema keyword 'enum' array cannot contain duplicate values.",
    );
    rejects({ allOf: [] }, 2, "$jsonSchema keyword 'allOf' must be a non-empty array");
    rejects(
      { not: [] },
      14,
      "$jsonSchema keyword 'not' must be an object, but found an element of type array",
    );
    rejects(
      { additionalProperties: 1 },
      14,
      "$jsonSchema keyword 'additionalProperties' must be an object or a boolean",
    );
    rejects(
      { dependencies: { a: [] } },
      9,
      "property 'a' in $jsonSchema keyword 'dependencies' cannot be an empty array",
    );
    rejects({ title: 1 }, 14, "$jsonSchema keyword 'title' must be of type string");
    rejects(
      { encrypt: {} },
      224,
      'Encryption-related validator keywords are not allowed in this context',
    );
  });
  test('is not allowed where the context bans it', () => {
    assert.throws(
      () => compileFilter(doc({ $jsonSchema: {} }), { allow: { jsonSchema: false } }),
      (error: unknown) => error instanceof MongoError && error.code === 224,
    );
  });
});
