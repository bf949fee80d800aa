/**
 * Properties over generated documents and updates: the input is never mutated (it is
 * deep-frozen, so any write would throw in strict mode), a successful $set leaves its
 * value at its path, and an update applied twice is a no-op the second time when it is
 * idempotent ($set, $min, $max, $addToSet; not $unset, which rewrites an array element to
 * null every time and so always reports a modification, as UnsetNode does).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Int32, serialize } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { binaryEqual } from './binary-equal.js';
import { compileUpdate } from './compile-update.js';
import { context, testMatcher } from './update-test-helpers.js';

const names = ['a', 'b', 'c'];

const leaf: fc.Arbitrary<BsonValue> = fc.oneof(
  fc.integer({ min: -2, max: 2 }).map((n) => new Int32(n)),
  fc.constantFrom('x', null, true),
);

const value: fc.Arbitrary<BsonValue> = fc.letrec<{ value: BsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc
      .uniqueArray(fc.tuple(fc.constantFrom(...names), tie('value')), {
        maxLength: 3,
        selector: ([key]) => key,
      })
      .map((entries) => Object.fromEntries(entries) as BsonValue),
  ),
})).value;

const document: fc.Arbitrary<BsonDocument> = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...names), value), {
    maxLength: 3,
    selector: ([key]) => key,
  })
  .map((entries) => ({ _id: new Int32(1), ...Object.fromEntries(entries) }));

const part = fc.constantFrom('a', 'b', 'c', '0', '1', '$[]');
const path = fc
  .array(part, { minLength: 1, maxLength: 3 })
  .filter((parts) => parts[0] !== '$[]')
  .map((parts) => parts.join('.'));

const operators = ['$set', '$unset', '$inc', '$min', '$max', '$push', '$addToSet', '$pop', '$pull'];

const update: fc.Arbitrary<BsonDocument> = fc
  .array(fc.tuple(fc.constantFrom(...operators), path, leaf), { minLength: 1, maxLength: 3 })
  .map((entries) => {
    const result: BsonDocument = {};
    for (const [operator, field, operand] of entries) {
      const spec = (result[operator] ??= {}) as BsonDocument;
      spec[field] = operator === '$pop' ? new Int32(1) : operand;
    }
    return result;
  });

function deepFreeze<T>(input: T): T {
  if (typeof input === 'object' && input !== null && (Array.isArray(input) || isDocument(input))) {
    for (const item of Object.values(input)) deepFreeze(item);
    Object.freeze(input);
  }
  return input;
}

/** Runs `run`, treating MongoErrors (the update is invalid for this input) as absent results. */
function attempt<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (error instanceof MongoError) return undefined;
    throw error;
  }
}

function valueAt(doc: BsonDocument, dotted: string): BsonValue | undefined {
  let current: BsonValue | undefined = doc;
  for (const key of dotted.split('.')) {
    if (!isDocument(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

void describe('update properties', () => {
  void test('the input document is never mutated', () => {
    fc.assert(
      fc.property(document, update, (doc, spec) => {
        const compiled = attempt(() => compileUpdate(spec, { compileFilter: testMatcher }));
        if (compiled === undefined) return;
        const before = Buffer.from(serialize(doc));
        attempt(() => compiled.apply(deepFreeze(doc), context()));
        assert.ok(before.equals(serialize(doc)));
      }),
      { numRuns: 3000 },
    );
  });

  void test('after a successful $set the value is at its path', () => {
    const fieldPath = fc
      .array(fc.constantFrom(...names), { minLength: 1, maxLength: 3 })
      .map((parts) => parts.join('.'));
    fc.assert(
      fc.property(document, fieldPath, leaf, (doc, field, operand) => {
        const compiled = compileUpdate(
          { $set: { [field]: operand } },
          { compileFilter: testMatcher },
        );
        const result = attempt(() => compiled.apply(doc, context()));
        if (result === undefined) return;
        const found = valueAt(result.doc, field);
        assert.ok(found !== undefined && binaryEqual(found, operand));
      }),
    );
  });

  void test('idempotent operators change nothing the second time', () => {
    const idempotent = update.filter((spec) =>
      Object.keys(spec).every((op) => ['$set', '$min', '$max', '$addToSet'].includes(op)),
    );
    fc.assert(
      fc.property(document, idempotent, (doc, spec) => {
        const compiled = attempt(() => compileUpdate(spec, { compileFilter: testMatcher }));
        if (compiled === undefined) return;
        const first = attempt(() => compiled.apply(doc, context()));
        if (first === undefined) return;
        const second = compiled.apply(first.doc, context());
        assert.equal(second.modified, false);
        assert.ok(binaryEqual(second.doc, first.doc));
      }),
      { numRuns: 2000 },
    );
  });
});
