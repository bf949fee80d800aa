/**
 * The planner property through the official driver against a live shoald: random
 * documents, indexes and queries; the planner's choice and every hinted full index must
 * return what a {$natural: 1} collection scan returns. Values travel as BSON with their
 * exact types (promoteValues: false), so the index's type bits are checked too. The
 * in-process version (src/query/plan/planner-property.test.ts) runs many more cases.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EJSON } from 'bson';
import { MongoClient, MongoServerError } from 'mongodb';
import type { Db, Document } from 'mongodb';
import { documents, indexPlan, query } from '../helpers/planner-arbitraries.js';
import type { IndexPlan, QueryPlan } from '../helpers/planner-arbitraries.js';
import { startServer } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';

type Answer = { ok: true; docs: string[] } | { ok: false; code: number | undefined };

/** Canonical Extended JSON with top-level fields sorted: exact types, any field order. */
function canonical(doc: Document): string {
  const sorted: Document = {};
  for (const key of Object.keys(doc).sort()) sorted[key] = doc[key];
  return EJSON.stringify(sorted, { relaxed: false });
}

async function answer(db: Db, command: Document): Promise<Answer> {
  try {
    const reply = await db.command(command, { promoteValues: false });
    assert.equal(reply.cursor.id.toString(), '0', 'one batch holds the answer');
    return { ok: true, docs: (reply.cursor.firstBatch as Document[]).map(canonical) };
  } catch (error) {
    if (!(error instanceof MongoServerError)) throw error;
    return { ok: false, code: error.code as number | undefined };
  }
}

function findCommand(query: QueryPlan, hint: Document | string | undefined): Document {
  const command: Document = { find: 'c', filter: query.filter, batchSize: 1000 };
  if (query.sort !== undefined) command.sort = query.sort;
  if (query.projection !== undefined) command.projection = query.projection;
  if (query.skip > 0) command.skip = query.skip;
  if (query.limit !== undefined) command.limit = query.limit;
  if (hint !== undefined) command.hint = hint;
  return command;
}

function isTotal(query: QueryPlan): boolean {
  return query.sort !== undefined && Object.keys(query.sort).includes('_id');
}

/** `actual` is a correct answer when `expected` is one (ties may differ without a total sort). */
function assertSameAnswer(
  actual: Answer,
  expected: Answer,
  unlimited: Answer,
  query: QueryPlan,
  what: string,
): void {
  if (!expected.ok) {
    // Shoal's SORT computes keys only to compare two documents (see planner-harness.ts).
    if (actual.ok && unlimited.ok && unlimited.docs.length < 2) return;
    assert.deepEqual(actual, expected, what);
    return;
  }
  assert.ok(actual.ok, `${what}: unexpected error ${JSON.stringify(actual)}`);
  if (isTotal(query)) {
    assert.deepEqual(actual.docs, expected.docs, what);
  } else if (query.skip === 0 && query.limit === undefined) {
    assert.deepEqual([...actual.docs].sort(), [...expected.docs].sort(), what);
  } else {
    assert.equal(actual.docs.length, expected.docs.length, what);
    assert.ok(unlimited.ok);
    const allowed = new Set(unlimited.docs);
    for (const doc of actual.docs) assert.ok(allowed.has(doc), `${what}: ${doc}`);
  }
}

async function load(db: Db, docs: Document[], indexes: IndexPlan[]): Promise<void> {
  await db
    .collection('c')
    .drop()
    .catch(() => undefined);
  await db.createCollection('c');
  const build = async (plan: IndexPlan, i: number): Promise<void> => {
    const spec: Document = { key: plan.key, name: `i${i}` };
    if (plan.unique) spec.unique = true;
    if (plan.sparse) spec.sparse = true;
    if (plan.partialFilterExpression !== undefined)
      spec.partialFilterExpression = plan.partialFilterExpression;
    // Duplicates, parallel arrays and repeated key patterns may refuse an index.
    await db.command({ createIndexes: 'c', indexes: [spec] }).catch(() => undefined);
  };
  for (const [i, plan] of indexes.entries()) if (!plan.buildAfterInsert) await build(plan, i);
  if (docs.length > 0)
    await db
      .collection('c')
      .insertMany(docs, { ordered: false })
      .catch(() => undefined);
  for (const [i, plan] of indexes.entries()) if (plan.buildAfterInsert) await build(plan, i);
}

describe('the planner agrees with a collection scan, through the driver', () => {
  let server: ServerProcess;
  let client: MongoClient;
  let db: Db;

  before(async () => {
    server = await startServer({ inMemory: true });
    client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
    await client.connect();
    db = client.db('property');
  });

  after(async () => {
    await client.close();
    await server.stop();
    server.cleanup();
  });

  test('random documents, indexes and queries', async () => {
    await fc.assert(
      fc.asyncProperty(
        documents,
        fc.array(indexPlan, { minLength: 1, maxLength: 3 }),
        fc.array(query, { minLength: 1, maxLength: 4 }),
        async (docs, indexes, queries) => {
          await load(db, docs, indexes);
          const specs = await db.collection('c').listIndexes().toArray();
          // Sparse and partial indexes hinted answer from their own entries only.
          const full = specs.filter((spec) => !spec.sparse && !spec.partialFilterExpression);
          for (const one of queries) {
            const natural = { $natural: 1 };
            const expected = await answer(db, findCommand(one, natural));
            const unlimited = await answer(
              db,
              findCommand({ ...one, skip: 0, limit: undefined }, natural),
            );
            const what = EJSON.stringify({ query: one, indexes: specs }, { relaxed: true });
            assertSameAnswer(
              await answer(db, findCommand(one, undefined)),
              expected,
              unlimited,
              one,
              what,
            );
            for (const spec of full) {
              const hinted = await answer(db, findCommand(one, spec.name as string));
              assertSameAnswer(hinted, expected, unlimited, one, `${what} hint ${spec.name}`);
            }
          }
        },
      ),
      { numRuns: 100, includeErrorInReport: true },
    );
  });
});
