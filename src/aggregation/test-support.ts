/**
 * Helpers for the aggregation tests: evaluate an expression against a document, and describe
 * results by exact BSON type so tests can assert Int32 vs Int64 vs Double vs Decimal128.
 */
import { Decimal128, Double, Int32, Long } from 'bson';
import { bsonTypeName, bsonTypeOf, isDocument } from '../bson/types.js';
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { MongoError } from '../errors/mongo-error.js';
import { SeededRandom } from '../platform/random.js';
import { compileExpression } from './expression.js';
import type { ExpressionScope, Value } from './expression.js';

export const int = (value: number): Int32 => new Int32(value);
export const long = (value: number | bigint): Long =>
  typeof value === 'bigint' ? Long.fromBigInt(value) : Long.fromNumber(value);
export const dbl = (value: number): Double => new Double(value);
export const dec = (value: string): Decimal128 => Decimal128.fromString(value);

export function testScope(overrides: Partial<ExpressionScope> = {}): ExpressionScope {
  return {
    variablesInScope: new Set(),
    now: new Date('2024-01-02T03:04:05.678Z'),
    random: new SeededRandom(42),
    ...overrides,
  };
}

/** Compiles and evaluates `expression` against `doc`. */
export function evaluate(
  expression: BsonValue,
  doc: BsonDocument = {},
  scope = testScope(),
): Value {
  return compileExpression(expression, scope)(doc, new Map());
}

/** The MongoError an expression throws (at compile or evaluation time). */
export function errorOf(
  expression: BsonValue,
  doc: BsonDocument = {},
): { code: number; message: string } {
  try {
    evaluate(expression, doc);
  } catch (error) {
    if (error instanceof MongoError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(expression)} to fail`);
}

/**
 * A canonical, type-exact rendering: "int:5", "long:5", "double:2.5", "decimal:1.50",
 * "string:abc", arrays and documents recursively. Equal renderings mean equal values of
 * exactly equal types.
 */
export function typed(value: Value): string {
  if (value === undefined) return 'missing';
  const type = bsonTypeName(bsonTypeOf(value));
  if (Array.isArray(value)) return `[${value.map(typed).join(', ')}]`;
  if (isDocument(value)) {
    return `{${Object.keys(value)
      .map((key) => `${key}: ${typed(value[key])}`)
      .join(', ')}}`;
  }
  if (value instanceof Date) return `date:${value.toISOString()}`;
  if (value instanceof Double) {
    return `double:${Object.is(value.value, -0) ? '-0' : String(value.value)}`;
  }
  if (value === null) return 'null';
  return `${type}:${(value as { toString(): string }).toString()}`;
}
