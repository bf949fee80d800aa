// Planner bugs found by the property tests, each as the smallest case that showed it: the
// planner's plan and every hinted index must return what a collection scan returns.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Int32, MaxKey, MinKey } from 'bson';
import type { BsonDocument } from '../../bson/types.js';
import { doc } from '../test-values.js';
import type { IndexPlan, QueryPlan } from '../../../test/helpers/planner-arbitraries.js';
import {
  assertSameAnswer,
  describeCase,
  PlannerHarness,
} from '../../../test/helpers/planner-harness.js';
import type { LoadedCollection, Outcome } from '../../../test/helpers/planner-harness.js';

function index(key: Record<string, number>, options: Partial<IndexPlan> = {}): IndexPlan {
  return {
    key: doc(key),
    unique: false,
    sparse: false,
    partialFilterExpression: undefined,
    buildAfterInsert: false,
    ...options,
  };
}

function find(filter: Record<string, unknown>, options: Partial<QueryPlan> = {}): QueryPlan {
  return {
    filter: doc(filter),
    sort: undefined,
    projection: undefined,
    skip: 0,
    limit: undefined,
    ...options,
  };
}

function ids(outcome: Outcome): unknown[] {
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
  return outcome.rows.map((row) => (row.doc._id as Int32 | string).valueOf());
}

describe('planner regressions', () => {
  let harness: PlannerHarness;
  before(() => {
    harness = PlannerHarness.open();
  });
  after(async () => {
    await harness.close();
  });

  /** The planner's plan and each index hinted return what the scan returns. */
  function check(collection: LoadedCollection, query: QueryPlan, saveEvery = 0): Outcome {
    const context = {
      query,
      collection,
      unlimited: harness.reference(collection, { ...query, skip: 0, limit: undefined }),
      matched: harness.matchCount(collection, query.filter),
    };
    const actual = harness.run(collection, query, { saveEvery });
    assertSameAnswer(actual, harness.reference(collection, query), context, () =>
      describeCase({ query, plan: actual.ok ? actual.summary : '' }),
    );
    for (const entry of collection.entry.indexes) {
      const hinted = harness.run(collection, query, { hint: entry.name, saveEvery });
      assertSameAnswer(
        hinted,
        harness.reference(collection, query, entry),
        { ...context, unlimited: harness.reference(collection, context.query, entry) },
        () => describeCase({ query, hint: entry.name }),
      );
    }
    return actual;
  }

  test('$ne: null finds empty arrays and arrays of scalars under a dotted path', () => {
    const collection = harness.load(
      [
        doc({ _id: 1, b: [], d: [1, 2] }),
        doc({ _id: 2, b: [] }),
        doc({ _id: 3, b: null, d: [] }),
        doc({ _id: 4, b: 1, d: [{ e: 1 }] }),
      ],
      [index({ b: 1 }), index({ 'd.e': 1 })],
    );
    assert.deepEqual(ids(check(collection, find({ b: { $ne: null } }))), [1, 2, 4]);
    assert.deepEqual(ids(check(collection, find({ b: { $nin: [null, 5] } }))), [1, 2, 4]);
    assert.deepEqual(ids(check(collection, find({ 'd.e': { $ne: null } }))), [1, 3, 4]);
    harness.drop(collection);
  });

  test('a backward scan over a unique index includes each range start', () => {
    const collection = harness.load(
      [doc({ _id: 0 }), doc({ _id: 1 }), doc({ _id: 2 }), doc({ _id: 3 })],
      [index({ a: 1 })],
    );
    const query = find({ _id: { $in: [-1, 1, 2] } }, { sort: doc({ _id: -1 }) });
    const outcome = check(collection, query);
    assert.deepEqual(ids(outcome), [2, 1]);
    assert.ok(outcome.ok && outcome.summary === 'IXSCAN { _id: 1 }');
    harness.drop(collection);
  });

  test('a backward scan past a yield resumes instead of yielding forever', () => {
    const docs: BsonDocument[] = [];
    for (let i = 0; i < 2500; i++) docs.push({ _id: new Int32(i), a: new Int32(i % 700) });
    const collection = harness.load(docs, [index({ a: 1 })]);
    const query = find({ a: { $gte: 5 } }, { sort: doc({ a: -1 }) });
    const outcome = check(collection, query, 7);
    assert.ok(outcome.ok);
    assert.equal(outcome.rows.length, 2500 - 4 * 5);
    harness.drop(collection);
  });

  test('sparse and partial indexes are not used for predicates that match missing fields', () => {
    const collection = harness.load(
      [doc({ _id: 1, a: 5 }), doc({ _id: 2, b: 1 }), doc({ _id: 3, a: null })],
      [
        index({ a: 1 }, { sparse: true }),
        index({ a: -1 }, { partialFilterExpression: doc({ a: { $exists: true } }) }),
      ],
    );
    // A missing field is null for $all: [null], and above MinKey / below MaxKey.
    assert.deepEqual(ids(check(collection, find({ a: { $all: [null] } }))), [2, 3]);
    for (const [op, bound] of [
      ['$gt', new MinKey()],
      ['$gte', new MinKey()],
      ['$lt', new MaxKey()],
      ['$lte', new MaxKey()],
    ] as const) {
      const query = find({ a: { [op]: bound } }, { sort: doc({ a: 1 }) });
      assert.deepEqual(ids(check(collection, query)), [2, 3, 1], op);
    }
    harness.drop(collection);
  });

  test('covered plans fetch for predicates that tell a missing field from null', () => {
    const collection = harness.load(
      [doc({ _id: 1, a: 5 }), doc({ _id: 2, a: 5, b: null }), doc({ _id: 3, a: 5, b: 'x' })],
      [index({ a: 1, b: 1 })],
    );
    const projection = doc({ a: 1, _id: 0 });
    const cases: [Record<string, unknown>, number][] = [
      [{ a: 5, b: { $exists: false } }, 1],
      [{ a: 5, b: { $exists: true } }, 2],
      [{ a: 5, b: { $type: 'null' } }, 1],
      [{ a: 5, b: { $not: { $exists: true } } }, 1],
    ];
    for (const [filter, count] of cases) {
      const outcome = check(collection, find(filter, { projection }));
      assert.ok(outcome.ok && !outcome.covered && outcome.rows.length === count);
    }
    // Null and missing answer {b: null} alike: that one stays covered.
    const covered = check(collection, find({ a: 5, b: null }, { projection }));
    assert.ok(covered.ok && covered.covered && covered.rows.length === 2);
    harness.drop(collection);
  });

  test('regex bounds keep matches that a quantifier or an alternation allows', () => {
    const values = ['xb', 'a', 'ac', 'abc', '', 'b', 'aab'];
    const collection = harness.load(
      values.map((a, i) => doc({ _id: i, a })),
      [index({ a: 1 })],
    );
    const cases: [string, string[]][] = [
      ['^a|b', ['xb', 'a', 'ac', 'abc', 'b', 'aab']],
      ['^ab?c', ['ac', 'abc']],
      ['^a?', values],
      ['^ab*c', ['ac', 'abc']],
      ['^a{0}b', ['b']],
    ];
    for (const [pattern, expected] of cases) {
      const outcome = check(collection, find({ a: { $regex: pattern } }));
      assert.ok(outcome.ok);
      const found = outcome.rows.map((row) => row.doc.a as string);
      assert.deepEqual(found.sort(), [...expected].sort(), pattern);
    }
    harness.drop(collection);
  });

  test('ranges against arrays find arrays through their elements', () => {
    const collection = harness.load(
      [
        doc({ _id: 1, a: [1, 5] }),
        doc({ _id: 2, a: [[1, 3]] }),
        doc({ _id: 3, a: 2 }),
        doc({ _id: 4, a: [] }),
        doc({ _id: 5, a: [0] }),
      ],
      [index({ a: 1 })],
    );
    const cases: [Record<string, unknown>, number[]][] = [
      [{ a: { $gt: [1, 2] } }, [1, 2]],
      [{ a: { $lt: [1, 2] } }, [4, 5]],
      [{ a: { $gte: [] } }, [1, 2, 4, 5]],
      [{ a: { $lte: [1, 5] } }, [1, 2, 4, 5]],
    ];
    for (const [filter, expected] of cases) {
      const found = ids(check(collection, find(filter))) as number[];
      assert.deepEqual(found.sort(), expected, JSON.stringify(filter));
    }
    harness.drop(collection);
  });

  test('null on a positional path finds array elements that lack the field', () => {
    const collection = harness.load(
      [
        doc({ _id: 1, a: [{ b: 1 }, { b: 2 }] }),
        doc({ _id: 2, a: [{}] }),
        doc({ _id: 3, a: 5 }),
        doc({ _id: 4, a: [null] }),
        doc({ _id: 5, d: [{ e: -1 }] }),
      ],
      [index({ 'a.0': 1 }), index({ 'd.0.e': 1 })],
    );
    // The matcher reads "a.0" as element 0 and as a field "0" of every element, missing in
    // {b: 1}; the index keys only element 0.
    assert.deepEqual(ids(check(collection, find({ 'a.0': null }))), [1, 2, 3, 4, 5]);
    assert.deepEqual(ids(check(collection, find({ 'a.0': { $in: [null, 7] } }))), [1, 2, 3, 4, 5]);
    assert.deepEqual(ids(check(collection, find({ 'd.0.e': null }))), [1, 2, 3, 4, 5]);
    assert.deepEqual(ids(check(collection, find({ 'd.0.e': -1 }))), [5]);
    harness.drop(collection);
  });
});
