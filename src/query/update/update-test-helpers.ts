/**
 * Test-only helpers for src/query/update: BSON values from JS literals, a canonical text
 * form that shows types and field order, a small stand-in for the filter matcher, and an
 * error assertion that checks MongoDB's code, codeName and message.
 */
import assert from 'node:assert/strict';
import { BSONRegExp, Double, EJSON, Int32, Timestamp } from 'bson';
import { compareValues } from '../../bson/compare.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { canonicalTypeRank, isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { compileUpdate } from './compile-update.js';
import type { MatcherFactory, UpdateContext } from './types.js';

/** JS literal to the value model: integers that fit become Int32, other numbers Double. */
export function bson(value: unknown): BsonValue {
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) < 2 ** 31 && !Object.is(value, -0)
      ? new Int32(value)
      : new Double(value);
  }
  if (Array.isArray(value)) return value.map(bson);
  if (isDocument(value)) {
    const doc: BsonDocument = {};
    for (const [name, item] of Object.entries(value)) doc[name] = bson(item);
    return doc;
  }
  return value as BsonValue;
}

export function bsonDoc(value: Record<string, unknown>): BsonDocument {
  return bson(value) as BsonDocument;
}

/** Canonical extended JSON: types and field order both show, so equal text = same BSON. */
export function text(value: unknown): string {
  return EJSON.stringify(value, { relaxed: false });
}

export function assertSameBson(actual: unknown, expected: unknown): void {
  assert.equal(text(actual), text(expected));
}

export const testNow = new Date('2024-05-06T07:08:09.010Z');
export const testTimestamp = new Timestamp({ t: 1_700_000_000, i: 3 });

export function context(overrides: Partial<UpdateContext> = {}): UpdateContext {
  return { isInsert: false, now: testNow, nowTimestamp: testTimestamp, ...overrides };
}

type Predicate = (value: BsonValue) => boolean;

/**
 * A stand-in for the real matcher: top-level fields (dotted one level), implicit
 * equality, regexes on strings, $eq/$gt/$gte/$lt/$lte/$in with MongoDB comparison and
 * type bracketing, and array fields matching when any element (or the whole array) does.
 */
export const testMatcher: MatcherFactory = (filter) => {
  const tests = Object.entries(filter).map(([path, condition]) => {
    const predicate = conditionPredicate(condition);
    return (doc: BsonDocument): boolean => valuesAt(doc, path).some(predicate);
  });
  return (doc) => tests.every((test) => test(doc));
};

function valuesAt(doc: BsonDocument, path: string): BsonValue[] {
  const [head = '', rest] = path.split('.', 2);
  if (!Object.hasOwn(doc, head)) return rest === undefined ? [null] : [];
  const value = doc[head];
  if (rest === undefined) return Array.isArray(value) ? [value, ...value] : [value];
  const containers = Array.isArray(value) ? value : [value];
  return containers.flatMap((item) => (isDocument(item) ? valuesAt(item, rest) : []));
}

function conditionPredicate(condition: BsonValue): Predicate {
  const isOperators = isDocument(condition) && Object.keys(condition)[0]?.startsWith('$');
  if (condition instanceof BSONRegExp) {
    const regex = new RegExp(condition.pattern, condition.options);
    return (value) => typeof value === 'string' && regex.test(value);
  }
  if (!isOperators) return (value) => compareValues(value, condition) === 0;
  const predicates = Object.entries(condition).map(([op, arg]) => operator(op, arg));
  return (value) => predicates.every((predicate) => predicate(value));
}

function operator(name: string, argument: BsonValue): Predicate {
  const sameType = (value: BsonValue): boolean =>
    canonicalTypeRank(value) === canonicalTypeRank(argument);
  switch (name) {
    case '$eq':
      return (value) => compareValues(value, argument) === 0;
    case '$gt':
      return (value) => sameType(value) && compareValues(value, argument) > 0;
    case '$gte':
      return (value) => sameType(value) && compareValues(value, argument) >= 0;
    case '$lt':
      return (value) => sameType(value) && compareValues(value, argument) < 0;
    case '$lte':
      return (value) => sameType(value) && compareValues(value, argument) <= 0;
    case '$in':
      return (value) => (argument as BsonValue[]).some((item) => compareValues(value, item) === 0);
    default:
      throw new MongoError('BadValue', `unknown operator: ${name}`);
  }
}

export interface UpdateCase {
  doc: Record<string, unknown>;
  update: Record<string, unknown>;
  arrayFilters?: Record<string, unknown>[];
  context?: Partial<UpdateContext>;
}

/** Compiles and applies an update written as JS literals. */
export function runUpdate(c: UpdateCase): { doc: BsonDocument; modified: boolean } {
  const compiled = compileUpdate(bsonDoc(c.update), {
    compileFilter: testMatcher,
    ...(c.arrayFilters ? { arrayFilters: c.arrayFilters.map(bsonDoc) } : {}),
  });
  return compiled.apply(bsonDoc(c.doc), context(c.context));
}

/** Asserts a MongoError with this code (and codeName), and this message when given. */
export function assertMongoError(
  run: () => unknown,
  code: number,
  message?: string | RegExp,
): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof MongoError, `expected a MongoError, got ${String(error)}`);
    assert.equal(error.code, code, `code of "${error.message}"`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message !== undefined) assert.match(error.message, message);
    return true;
  });
}
