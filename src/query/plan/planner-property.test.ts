// Property tests: whatever plan the planner picks (and whatever index a hint forces), a
// find returns what a collection scan with the same matcher and comparator returns. The
// data mixes every numeric type with equal values, nested and empty arrays, null and
// missing fields, and strings longer than the stored key limit; indexes are single,
// compound with mixed directions, multikey, unique, sparse and partial, built before or
// after the data.
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { BsonDocument } from '../../bson/types.js';
import {
  coveringCase,
  documents,
  flatDocuments,
  indexPlan,
  mutations,
  query,
} from '../../../test/helpers/planner-arbitraries.js';
import type { QueryPlan } from '../../../test/helpers/planner-arbitraries.js';
import {
  assertSameAnswer,
  describeCase,
  PlannerHarness,
} from '../../../test/helpers/planner-harness.js';
import type { LoadedCollection, Outcome } from '../../../test/helpers/planner-harness.js';
import type { IndexEntry } from '../../storage/catalog-entry.js';

/** What the runs exercised, reported as a diagnostic so a weak generator shows. */
type Tally = Map<string, number>;

function note(tally: Tally, outcome: Outcome, hinted: boolean): void {
  const kind = !outcome.ok
    ? `error ${outcome.code}`
    : `${outcome.summary.split(' ')[0] ?? ''}${outcome.covered ? ' covered' : ''}`;
  const key = `${hinted ? 'hinted' : 'planned'} ${kind}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
}

function unlimited(query: QueryPlan): QueryPlan {
  return { ...query, skip: 0, limit: undefined };
}

function checkHinted(
  harness: PlannerHarness,
  collection: LoadedCollection,
  query: QueryPlan,
  index: IndexEntry,
  hint: string | BsonDocument,
  tally: Tally,
): void {
  // A hinted sparse or partial index answers from its own entries (MongoDB builds a
  // whole-index scan when the query cannot use it), so only the documents it holds.
  const expected = harness.reference(collection, query, index);
  const actual = harness.run(collection, query, { hint });
  note(tally, actual, true);
  assertSameAnswer(
    actual,
    expected,
    {
      query,
      collection,
      unlimited: harness.reference(collection, unlimited(query), index),
      matched: harness.matchCount(collection, query.filter, index),
    },
    () => describeCase({ hint, index: index.spec, query, plan: actual.ok ? actual.summary : '' }),
  );
}

function checkQuery(
  harness: PlannerHarness,
  collection: LoadedCollection,
  query: QueryPlan,
  saveEvery: number,
  tally: Tally,
): void {
  const expected = harness.reference(collection, query);
  const context = {
    query,
    collection,
    unlimited: harness.reference(collection, unlimited(query)),
    matched: harness.matchCount(collection, query.filter),
  };
  const describe = (actual: Outcome) => () =>
    describeCase({
      query,
      plan: actual.ok ? actual.summary : '',
      indexes: collection.entry.indexes.map((index) => ({
        ...index.spec,
        multikey: index.multikey,
        longKeys: index.longKeys,
      })),
      docs: collection.stored.map((row) => row.doc),
    });
  // Twice: the second run may come from the plan cache.
  for (let round = 0; round < 2; round++) {
    const actual = harness.run(collection, query, { saveEvery });
    note(tally, actual, false);
    assertSameAnswer(actual, expected, context, describe(actual));
  }
  for (const index of collection.entry.indexes) {
    checkHinted(harness, collection, query, index, index.name, tally);
  }
  const last = collection.entry.indexes[collection.entry.indexes.length - 1];
  if (last !== undefined)
    checkHinted(harness, collection, query, last, last.spec.key as BsonDocument, tally);
}

describe('the planner agrees with a collection scan', () => {
  let harness: PlannerHarness;
  before(() => {
    harness = PlannerHarness.open();
  });
  after(async () => {
    await harness.close();
  });

  test('random documents, indexes and queries, through every plan and every hint', (t) => {
    const tally: Tally = new Map();
    fc.assert(
      fc.property(
        documents,
        fc.array(indexPlan, { minLength: 1, maxLength: 4 }),
        fc.array(query, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(0, 0, 1, 3),
        mutations,
        (docs, indexes, queries, saveEvery, writes) => {
          let collection = harness.load(docs, indexes);
          try {
            for (const one of queries) checkQuery(harness, collection, one, saveEvery, tally);
            // Again after writes: cached plans must not outlive a change to multikey.
            collection = harness.mutate(collection, writes);
            for (const one of queries) checkQuery(harness, collection, one, saveEvery, tally);
          } finally {
            harness.drop(collection);
          }
        },
      ),
      { numRuns: 400, includeErrorInReport: true },
    );
    t.diagnostic(JSON.stringify(Object.fromEntries([...tally].sort())));
  });

  test('non-multikey indexes: sorts they provide and queries they cover', (t) => {
    const tally: Tally = new Map();
    fc.assert(
      fc.property(flatDocuments, coveringCase, (docs, { index, queries }) => {
        const collection = harness.load(docs, [index]);
        try {
          for (const one of queries) checkQuery(harness, collection, one, 0, tally);
        } finally {
          harness.drop(collection);
        }
      }),
      { numRuns: 400, includeErrorInReport: true },
    );
    t.diagnostic(JSON.stringify(Object.fromEntries([...tally].sort())));
  });
});
