/**
 * Secondary indexes through the official driver against a live shoald: createIndexes,
 * listIndexes and dropIndexes replies and errors, unique, sparse, partial, hidden and TTL
 * indexes, multikey and compound sorts, hints, explain at its three verbosities, covered
 * queries, long keys and collMod. Expected replies follow MongoDB 7.0; the server source
 * file is cited where the manual does not say.
 */
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal128, Double, Int32, Long, MongoClient, MongoServerError } from 'mongodb';
import type { Collection, Db, Document } from 'mongodb';
import { startServer, temporaryDirectory } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';

/** Test documents: any _id type, any fields. */
interface Loose {
  _id?: number | string;
  [field: string]: unknown;
}

interface ExplainStage {
  stage: string;
  inputStage?: ExplainStage;
  indexName?: string;
  indexBounds?: Record<string, string[]>;
  isMultiKey?: boolean;
  multiKeyPaths?: Record<string, string[]>;
  direction?: string;
  keysExamined?: number;
  docsExamined?: number;
  nReturned?: number;
}

/** The stage names of a plan from the root down. */
function stages(plan: ExplainStage | undefined): string[] {
  const names: string[] = [];
  for (let stage = plan; stage !== undefined; stage = stage.inputStage) names.push(stage.stage);
  return names;
}

function ixscan(plan: ExplainStage): ExplainStage {
  for (let stage: ExplainStage | undefined = plan; stage; stage = stage.inputStage)
    if (stage.stage === 'IXSCAN') return stage;
  assert.fail(`no IXSCAN in ${JSON.stringify(plan)}`);
}

/** `codeName` undefined: a write error, which carries only code and errmsg. */
async function rejects(
  promise: Promise<unknown>,
  code: number,
  codeName: string | undefined,
  message?: RegExp,
): Promise<MongoServerError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof MongoServerError, `expected ${codeName}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (codeName !== undefined) assert.equal(caught.codeName, codeName);
  if (message !== undefined) assert.match(caught.message, message);
  return caught;
}

describe('indexes through the driver', () => {
  let server: ServerProcess;
  let client: MongoClient;
  let db: Db;

  before(async () => {
    server = await startServer({
      inMemory: true,
      args: ['--setParameter', 'ttlMonitorSleepSecs=1'],
    });
    client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
    await client.connect();
    db = client.db('indexes');
  });

  after(async () => {
    await client.close();
    await server.stop();
    server.cleanup();
  });

  function collection(name: string): Collection<Loose> {
    return db.collection<Loose>(name);
  }

  async function count(name: string): Promise<number> {
    return (await collection(name).find().toArray()).length;
  }

  async function explain(
    command: Document,
    verbosity: 'queryPlanner' | 'executionStats' | 'allPlansExecution' = 'executionStats',
  ): Promise<Document> {
    return db.command({ explain: command, verbosity });
  }

  describe('createIndexes, listIndexes and dropIndexes', () => {
    test('createIndexes replies for a new collection, a new index and existing ones', async () => {
      const created = await db.command({
        createIndexes: 'ci',
        indexes: [{ key: { a: 1 }, name: 'a_1' }],
      });
      assert.deepEqual(created, {
        numIndexesBefore: 1,
        numIndexesAfter: 2,
        createdCollectionAutomatically: true,
        ok: 1,
      });
      // create_indexes_cmd.cpp indexesAlreadyExist: an early reply, without
      // createdCollectionAutomatically.
      const again = await db.command({
        createIndexes: 'ci',
        indexes: [{ key: { a: 1 }, name: 'a_1' }],
      });
      assert.deepEqual(again, {
        numIndexesBefore: 2,
        numIndexesAfter: 2,
        note: 'all indexes already exist',
        ok: 1,
      });
      // appendFinalIndexFieldsToResult: fewer new indexes than specs notes the existing one.
      const partly = await db.command({
        createIndexes: 'ci',
        indexes: [
          { key: { a: 1 }, name: 'a_1' },
          { key: { b: -1, c: 1 }, name: 'b_-1_c_1' },
        ],
      });
      assert.deepEqual(partly, {
        numIndexesBefore: 2,
        numIndexesAfter: 3,
        createdCollectionAutomatically: false,
        note: 'index already exists',
        ok: 1,
      });
      assert.equal(await collection('ci').createIndex({ d: 1 }, { unique: true }), 'd_1');
    });

    test('listIndexes returns each spec as created; a missing collection is NamespaceNotFound', async () => {
      const coll = collection('li');
      await coll.createIndexes([
        { key: { a: 1 }, name: 'a_1', unique: true },
        { key: { b: -1, 'c.d': 1 }, name: 'b_c', sparse: true },
        { key: { e: 1 }, name: 'e_1', partialFilterExpression: { e: { $gt: 5 } } },
        { key: { t: 1 }, name: 't_1', expireAfterSeconds: 3600 },
        { key: { h: 1 }, name: 'h_1', hidden: true },
      ]);
      assert.deepEqual(await coll.listIndexes().toArray(), [
        { v: 2, key: { _id: 1 }, name: '_id_' },
        { v: 2, key: { a: 1 }, name: 'a_1', unique: true },
        { v: 2, key: { b: -1, 'c.d': 1 }, name: 'b_c', sparse: true },
        { v: 2, key: { e: 1 }, name: 'e_1', partialFilterExpression: { e: { $gt: 5 } } },
        { v: 2, key: { t: 1 }, name: 't_1', expireAfterSeconds: 3600 },
        { v: 2, key: { h: 1 }, name: 'h_1', hidden: true },
      ]);
      const batched = await db.command({ listIndexes: 'li', cursor: { batchSize: 2 } });
      assert.equal(batched.cursor.ns, 'indexes.$cmd.listIndexes.li');
      assert.equal(batched.cursor.firstBatch.length, 2);
      await rejects(
        db.command({ listIndexes: 'no_such_collection' }),
        26,
        'NamespaceNotFound',
        /ns does not exist: indexes\.no_such_collection/,
      );
    });

    test('createIndexes errors carry MongoDB codes', async () => {
      const coll = collection('ce');
      await coll.createIndex({ a: 1 }, { name: 'a_1' });
      const cases: [Document, number, string][] = [
        // index_catalog_impl.cpp: same name, another key.
        [{ key: { b: 1 }, name: 'a_1' }, 86, 'IndexKeySpecsConflict'],
        // Same name and key, other options.
        [{ key: { a: 1 }, name: 'a_1', unique: true }, 85, 'IndexOptionsConflict'],
        // Same key and options under another name.
        [{ key: { a: 1 }, name: 'other' }, 85, 'IndexOptionsConflict'],
        [{ key: {}, name: 'empty' }, 67, 'CannotCreateIndex'],
        [{ key: { a: 0 }, name: 'zero' }, 67, 'CannotCreateIndex'],
        [
          { key: { a: 1 }, name: 'x', sparse: true, partialFilterExpression: { a: 1 } },
          67,
          'CannotCreateIndex',
        ],
        // index_key_validate.cpp validateIndexSpecTTL and validateExpireAfterSeconds.
        [{ key: { a: 1, b: 1 }, name: 'ttl2', expireAfterSeconds: 10 }, 67, 'CannotCreateIndex'],
        [{ key: { t: 1 }, name: 'ttlneg', expireAfterSeconds: -1 }, 67, 'CannotCreateIndex'],
        [{ key: { a: 1 }, name: 'opt', foo: true }, 197, 'InvalidIndexSpecificationOption'],
        // parseAndValidateIndexSpecs: reserved names.
        [{ key: { z: 1 }, name: '_id_' }, 2, 'BadValue'],
        [{ key: { z: 1 }, name: '*' }, 2, 'BadValue'],
      ];
      for (const [spec, code, codeName] of cases) {
        await rejects(db.command({ createIndexes: 'ce', indexes: [spec] }), code, codeName);
      }
      assert.deepEqual(
        (await coll.listIndexes().toArray()).map((index) => index.name),
        ['_id_', 'a_1'],
      );
    });

    test('dropIndexes by name, key pattern, list and "*", and its errors', async () => {
      const coll = collection('di');
      await coll.createIndexes([
        { key: { a: 1 } },
        { key: { b: 1 } },
        { key: { c: 1 } },
        { key: { d: 1 } },
      ]);
      assert.deepEqual(await db.command({ dropIndexes: 'di', index: 'a_1' }), {
        nIndexesWas: 5,
        ok: 1,
      });
      assert.deepEqual(await db.command({ dropIndexes: 'di', index: { b: 1 } }), {
        nIndexesWas: 4,
        ok: 1,
      });
      await rejects(
        db.command({ dropIndexes: 'di', index: 'nope' }),
        27,
        'IndexNotFound',
        /index not found with name \[nope\]/,
      );
      await rejects(
        db.command({ dropIndexes: 'di', index: { nope: 1 } }),
        27,
        'IndexNotFound',
        /can't find index with key: \{ nope: 1 \}/,
      );
      // One missing name drops nothing.
      await rejects(db.command({ dropIndexes: 'di', index: ['c_1', 'nope'] }), 27, 'IndexNotFound');
      await rejects(db.command({ dropIndexes: 'di', index: '_id_' }), 72, 'InvalidOptions');
      await rejects(db.command({ dropIndexes: 'missing', index: '*' }), 26, 'NamespaceNotFound');
      assert.deepEqual(await db.command({ dropIndexes: 'di', index: '*' }), {
        nIndexesWas: 3,
        msg: 'non-_id indexes dropped for collection',
        ok: 1,
      });
      assert.deepEqual(
        (await coll.listIndexes().toArray()).map((index) => index.name),
        ['_id_'],
      );
    });
  });

  describe('unique, sparse, partial, hidden and TTL indexes', () => {
    test('a unique build over duplicates fails with 11000 and leaves no index', async () => {
      const coll = collection('ub');
      await coll.insertMany([
        { _id: 1, a: 1 },
        { _id: 2, a: new Double(1) },
        { _id: 3, a: 2 },
      ]);
      const error = await rejects(
        coll.createIndex({ a: 1 }, { unique: true }),
        11000,
        undefined,
        /E11000 duplicate key error collection: indexes\.ub index: a_1 dup key: \{ a: 1(\.0)? \}/,
      );
      assert.deepEqual(error.keyPattern, { a: 1 });
      assert.equal(Number(error.keyValue?.a), 1);
      assert.deepEqual(
        (await coll.listIndexes().toArray()).map((index) => index.name),
        ['_id_'],
      );
      // Without the duplicate the same build succeeds over the existing data.
      await coll.deleteOne({ _id: 2 });
      await coll.createIndex({ a: 1 }, { unique: true });
      assert.deepEqual(await coll.find({ a: 2 }).toArray(), [{ _id: 3, a: 2 }]);
    });

    test('unique indexes reject duplicates on insert and update, across numeric types', async () => {
      const coll = collection('uniq');
      await coll.createIndex({ a: 1, b: -1 }, { unique: true, name: 'ab' });
      await coll.insertMany([
        { _id: 1, a: 1, b: 'x' },
        { _id: 2, a: 1, b: 'y' },
        { _id: 3, a: 2 },
      ]);
      for (const a of [
        new Int32(1),
        Long.fromNumber(1),
        new Double(1),
        Decimal128.fromString('1.00'),
      ]) {
        const error = await rejects(coll.insertOne({ _id: 9, a, b: 'x' }), 11000, undefined);
        assert.deepEqual(error.keyPattern, { a: 1, b: -1 });
        assert.equal(error.keyValue?.b, 'x');
      }
      // A missing field is null: a second document without a or b collides with _id 3's b.
      await rejects(coll.insertOne({ _id: 10, a: 2, b: null }), 11000, undefined);
      const updated = await rejects(
        coll.updateOne({ _id: 2 }, { $set: { b: 'x' } }),
        11000,
        undefined,
        /index: ab dup key: \{ a: 1, b: "x" \}/,
      );
      assert.deepEqual(updated.keyValue, { a: 1, b: 'x' });
      // Updating a document to its own key is no conflict.
      await coll.updateOne({ _id: 1 }, { $set: { c: 1 } });
      assert.equal(await count('uniq'), 3);
    });

    test('sparse indexes skip documents without the field and are not used for null', async () => {
      const coll = collection('sparse');
      await coll.createIndex({ a: 1 }, { sparse: true });
      await coll.insertMany([{ _id: 1, a: 1 }, { _id: 2 }, { _id: 3, a: null }]);
      const plan = await explain({ find: 'sparse', filter: { a: null } });
      assert.deepEqual(stages(plan.queryPlanner.winningPlan), ['COLLSCAN']);
      assert.deepEqual(
        (await coll.find({ a: null }).toArray()).map((doc) => doc._id),
        [2, 3],
      );
      const used = await explain({ find: 'sparse', filter: { a: { $gte: 0 } } });
      assert.deepEqual(stages(used.queryPlanner.winningPlan), ['FETCH', 'IXSCAN']);
      // A hint forces the sparse index, whose entries are all it can return (as documented).
      assert.deepEqual(
        (await coll.find({}).hint('a_1').toArray()).map((doc) => doc._id),
        [3, 1],
      );
      // A sparse unique index allows any number of documents without the field.
      await coll.createIndex({ u: 1 }, { sparse: true, unique: true });
      await coll.insertMany([{ _id: 4 }, { _id: 5 }]);
      await rejects(
        coll.insertMany([
          { _id: 6, u: 1 },
          { _id: 7, u: 1 },
        ]),
        11000,
        undefined,
      );
    });

    test('partial indexes serve queries that imply their filter', async () => {
      const coll = collection('partial');
      await coll.createIndex(
        { email: 1 },
        { unique: true, partialFilterExpression: { email: { $exists: true } } },
      );
      await coll.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3, email: 'a@x' }]);
      await rejects(coll.insertOne({ _id: 4, email: 'a@x' }), 11000, undefined);
      const used = await explain({ find: 'partial', filter: { email: 'a@x' } });
      assert.equal(ixscan(used.queryPlanner.winningPlan).indexName, 'email_1');
      const notUsed = await explain({ find: 'partial', filter: { email: null } });
      assert.deepEqual(stages(notUsed.queryPlanner.winningPlan), ['COLLSCAN']);

      // jstests/core/index/index_partial_read_ops.js: overlapping partial indexes on one key.
      const ranges = collection('partial_ranges');
      for (const [name, low] of [
        ['index1', 0],
        ['index2', 10],
        ['index3', 100],
      ] as const)
        await ranges.createIndex({ a: 1 }, { name, partialFilterExpression: { a: { $gte: low } } });
      await ranges.insertMany([1, 2, 3, 11, 12, 13, 101, 102, 103].map((a) => ({ a })));
      const cases: [Document, number, number[]][] = [
        [{ a: { $gt: 0, $lt: 10 } }, 0, [1, 2, 3]],
        [{ a: { $gt: 10, $lt: 100 } }, 1, [11, 12, 13]],
        [{ a: { $gt: 100, $lt: 1000 } }, 2, [101, 102, 103]],
      ];
      for (const [filter, rejected, values] of cases) {
        const plan = await explain({ find: 'partial_ranges', filter }, 'queryPlanner');
        assert.equal(ixscan(plan.queryPlanner.winningPlan).stage, 'IXSCAN');
        assert.equal(plan.queryPlanner.rejectedPlans.length, rejected, JSON.stringify(filter));
        const found = await ranges.find(filter).toArray();
        assert.deepEqual(
          found.map((doc) => doc.a as number).sort((x, y) => x - y),
          values,
        );
      }
      // query_planner.cpp: a key pattern that names several indexes is ambiguous.
      await rejects(
        ranges.find({ a: 1 }).hint({ a: 1 }).toArray(),
        27,
        'IndexNotFound',
        /Hint matched multiple indexes, must hint by index name/,
      );
      const named = await ranges
        .find({ a: { $gte: 100 } })
        .hint('index3')
        .toArray();
      assert.deepEqual(
        named.map((doc) => doc.a),
        [101, 102, 103],
      );
      const outside = await explain({ find: 'partial_ranges', filter: { a: { $lt: 0 } } });
      assert.deepEqual(stages(outside.queryPlanner.winningPlan), ['COLLSCAN']);
    });

    test('hidden indexes are maintained but not planned, and cannot be hinted', async () => {
      const coll = collection('hidden');
      await coll.createIndex({ a: 1 }, { hidden: true });
      await coll.insertMany([
        { _id: 1, a: 1 },
        { _id: 2, a: 2 },
      ]);
      const plan = await explain({ find: 'hidden', filter: { a: 1 } });
      assert.deepEqual(stages(plan.queryPlanner.winningPlan), ['COLLSCAN']);
      await rejects(
        coll.find({ a: 1 }).hint({ a: 1 }).toArray(),
        2,
        'BadValue',
        /hint provided does not correspond to an existing index/,
      );
      const unhidden = await db.command({
        collMod: 'hidden',
        index: { name: 'a_1', hidden: false },
      });
      assert.deepEqual(unhidden, { hidden_old: true, hidden_new: false, ok: 1 });
      const planned = await explain({ find: 'hidden', filter: { a: 1 } });
      assert.equal(ixscan(planned.queryPlanner.winningPlan).indexName, 'a_1');
      assert.deepEqual(await coll.find({ a: 2 }).toArray(), [{ _id: 2, a: 2 }]);
      await rejects(
        db.command({ collMod: 'hidden', index: { name: '_id_', hidden: true } }),
        2,
        'BadValue',
      );
    });

    test('TTL indexes delete expired documents (ttlMonitorSleepSecs=1)', async () => {
      const coll = collection('ttl');
      await coll.createIndex({ at: 1 }, { expireAfterSeconds: 0 });
      await coll.createIndex({ later: -1 }, { expireAfterSeconds: 3600 });
      const past = new Date(Date.now() - 60_000);
      await coll.insertMany([
        { _id: 'old', at: past },
        { _id: 'array', at: [new Date(Date.now() + 3_600_000), past] },
        { _id: 'future', at: new Date(Date.now() + 3_600_000) },
        { _id: 'string', at: 'not a date' },
        { _id: 'recent', later: past },
      ]);
      const deadline = Date.now() + 10_000;
      while ((await count(coll.collectionName)) > 3 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(
        (await coll.find().sort({ _id: 1 }).toArray()).map((doc) => doc._id),
        ['future', 'recent', 'string'],
      );
      // collMod shortens the second index's expiry: 'recent' goes too.
      const changed = await db.command({
        collMod: 'ttl',
        index: { keyPattern: { later: -1 }, expireAfterSeconds: 10 },
      });
      assert.deepEqual(changed, {
        expireAfterSeconds_old: 3600,
        expireAfterSeconds_new: 10,
        ok: 1,
      });
      while ((await count(coll.collectionName)) > 2 && Date.now() < deadline + 10_000)
        await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(
        (await coll.find().sort({ _id: 1 }).toArray()).map((doc) => doc._id),
        ['future', 'string'],
      );
    });
  });

  describe('planning: multikey, compound sorts, hints', () => {
    test('a multikey index finds array elements and cannot provide a sort', async () => {
      const coll = collection('multikey');
      await coll.createIndex({ tags: 1 });
      await coll.insertMany([
        { _id: 1, tags: ['b', 'a'] },
        { _id: 2, tags: 'c' },
        { _id: 3, tags: [] },
        { _id: 4, tags: [['a']] },
        { _id: 5 },
      ]);
      const plan = await explain({ find: 'multikey', filter: { tags: 'a' } });
      const scan = ixscan(plan.queryPlanner.winningPlan);
      assert.equal(scan.isMultiKey, true);
      assert.deepEqual(scan.multiKeyPaths, { tags: ['tags'] });
      assert.deepEqual(scan.indexBounds, { tags: ['["a", "a"]'] });
      assert.deepEqual(
        (await coll.find({ tags: 'a' }).toArray()).map((doc) => doc._id),
        [1],
      );
      assert.deepEqual(
        (await coll.find({ tags: ['a'] }).toArray()).map((doc) => doc._id),
        [4],
      );
      // Ascending on an array sorts by its smallest element, [] before null/missing.
      const sorted = await explain({ find: 'multikey', filter: {}, sort: { tags: 1 } });
      assert.equal(stages(sorted.queryPlanner.winningPlan)[0], 'SORT');
      assert.deepEqual(
        (await coll.find().sort({ tags: 1, _id: 1 }).toArray()).map((doc) => doc._id),
        [3, 5, 1, 2, 4],
      );
      // Two ranges on one multikey path are not intersected: 1 < x and x < 3 may hold for
      // different elements.
      const ranges = collection('multikey_ranges');
      await ranges.createIndex({ x: 1 });
      await ranges.insertMany([
        { _id: 1, x: [0, 5] },
        { _id: 2, x: 2 },
        { _id: 3, x: 7 },
      ]);
      const both = await ranges
        .find({ x: { $gt: 1, $lt: 3 } })
        .sort({ _id: 1 })
        .toArray();
      assert.deepEqual(
        both.map((doc) => doc._id),
        [1, 2],
      );
      const elem = await ranges.find({ x: { $elemMatch: { $gt: 1, $lt: 3 } } }).toArray();
      assert.deepEqual(
        elem.map((doc) => doc._id),
        [],
      );
    });

    test('a compound index provides its sort forward and backward, not mixed', async () => {
      const coll = collection('compound');
      await coll.createIndex({ a: 1, b: -1 });
      const docs = [];
      for (let i = 0; i < 12; i++) docs.push({ _id: i, a: i % 3, b: i % 4 });
      await coll.insertMany(docs);
      const cases: [Document, boolean, string | undefined][] = [
        [{ a: 1, b: -1 }, false, 'forward'],
        [{ a: -1, b: 1 }, false, 'backward'],
        [{ a: 1 }, false, 'forward'],
        [{ a: 1, b: 1 }, true, undefined],
      ];
      for (const [sort, blocking, direction] of cases) {
        const plan = await explain({ find: 'compound', filter: { a: { $gte: 0 } }, sort });
        const names = stages(plan.queryPlanner.winningPlan);
        assert.equal(names.includes('SORT'), blocking, JSON.stringify({ sort, names }));
        if (direction !== undefined)
          assert.equal(ixscan(plan.queryPlanner.winningPlan).direction, direction);
        const found = await coll
          .find({ a: { $gte: 0 } })
          .sort(sort)
          .toArray();
        const expected = [...docs].sort((x, y) => {
          for (const [field, order] of Object.entries(sort)) {
            const diff = ((x as Document)[field] - (y as Document)[field]) * (order as number);
            if (diff !== 0) return diff;
          }
          return 0;
        });
        const key = (doc: Document): string =>
          Object.keys(sort)
            .map((f) => doc[f])
            .join(',');
        assert.deepEqual(found.map(key), expected.map(key), JSON.stringify(sort));
      }
      // An equality on the prefix lets the index order the suffix.
      const pinned = await explain({ find: 'compound', filter: { a: 2 }, sort: { b: 1 } });
      assert.ok(!stages(pinned.queryPlanner.winningPlan).includes('SORT'));
      assert.deepEqual(
        (await coll.find({ a: 2 }).sort({ b: 1 }).toArray()).map((doc) => doc.b),
        [0, 1, 2, 3],
      );
    });

    test('hint by name, by key pattern and $natural; an unknown hint is BadValue', async () => {
      const coll = collection('hints');
      await coll.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }]);
      await coll.insertMany([
        { _id: 1, a: 1, b: 2 },
        { _id: 2, a: 2, b: 1 },
      ]);
      for (const hint of ['b_1', { b: 1 }]) {
        const plan = await explain({ find: 'hints', filter: { a: 1 }, hint });
        assert.equal(ixscan(plan.queryPlanner.winningPlan).indexName, 'b_1');
        assert.deepEqual(ixscan(plan.queryPlanner.winningPlan).indexBounds, {
          b: ['[MinKey, MaxKey]'],
        });
        assert.deepEqual(await coll.find({ a: 1 }).hint(hint).toArray(), [{ _id: 1, a: 1, b: 2 }]);
      }
      const natural = await explain({ find: 'hints', filter: { a: 1 }, hint: { $natural: -1 } });
      assert.deepEqual(stages(natural.queryPlanner.winningPlan), ['COLLSCAN']);
      assert.equal(natural.queryPlanner.winningPlan.direction, 'backward');
      for (const hint of ['c_1', { c: 1 }, { a: -1 }]) {
        await rejects(
          coll.find({ a: 1 }).hint(hint).toArray(),
          2,
          'BadValue',
          /hint provided does not correspond to an existing index/,
        );
      }
    });
  });

  describe('explain', () => {
    before(async () => {
      const coll = collection('ex');
      await coll.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }, { key: { a: 1, b: 1 } }]);
      const docs = [];
      for (let i = 0; i < 30; i++) docs.push({ _id: i, a: i % 5, b: i % 3, s: `s${i % 10}` });
      await coll.insertMany(docs);
    });

    test('queryPlanner lists the winning and rejected plans without running them', async () => {
      // One earlier run does not make the plan cached (plan_cache_callbacks.cpp: the first
      // entry is inactive), so the candidates race again.
      await collection('ex').find({ a: 2, b: 1 }).toArray();
      const reply = await explain({ find: 'ex', filter: { a: 2, b: 1 } }, 'queryPlanner');
      assert.equal(reply.ok, 1);
      assert.equal(reply.executionStats, undefined);
      assert.equal(reply.queryPlanner.namespace, 'indexes.ex');
      const winning = reply.queryPlanner.winningPlan as ExplainStage;
      assert.deepEqual(stages(winning), ['FETCH', 'IXSCAN']);
      assert.equal(ixscan(winning).indexName, 'a_1_b_1');
      assert.deepEqual(ixscan(winning).indexBounds, { a: ['[2, 2]'], b: ['[1, 1]'] });
      const rejected = (reply.queryPlanner.rejectedPlans as ExplainStage[]).map(
        (plan) => ixscan(plan).indexName,
      );
      assert.deepEqual(rejected.sort(), ['a_1', 'b_1']);
      assert.deepEqual(reply.command, { find: 'ex', filter: { a: 2, b: 1 }, $db: 'indexes' });
    });

    test('executionStats counts keys and documents examined', async () => {
      const reply = await explain({ find: 'ex', filter: { a: 3, s: 's3' } });
      const stats = reply.executionStats;
      assert.equal(stats.executionSuccess, true);
      // a = 3 holds for 6 documents, s = 's3' for 3 of them.
      assert.equal(stats.nReturned, 3);
      assert.equal(stats.totalKeysExamined, 6);
      assert.equal(stats.totalDocsExamined, 6);
      assert.equal(stats.allPlansExecution, undefined);
      const execution = stats.executionStages as ExplainStage;
      assert.deepEqual(stages(execution), ['FETCH', 'IXSCAN']);
      assert.equal(execution.nReturned, 3);
      assert.equal(execution.docsExamined, 6);
      assert.equal(ixscan(execution).keysExamined, 6);
      // A bounded sort keeps only `limit` documents: no LIMIT stage above it.
      const limited = await explain({ find: 'ex', filter: {}, sort: { s: 1 }, limit: 2 });
      const sortStage = limited.queryPlanner.winningPlan as ExplainStage & { limitAmount?: number };
      assert.deepEqual(stages(sortStage), ['SORT', 'COLLSCAN']);
      assert.equal(sortStage.limitAmount, 2);
      assert.equal(limited.executionStats.nReturned, 2);
      const ordered = await explain({ find: 'ex', filter: {}, sort: { a: 1 }, limit: 2 });
      assert.deepEqual(stages(ordered.queryPlanner.winningPlan), ['LIMIT', 'FETCH', 'IXSCAN']);
      const scan = await explain({ find: 'ex', filter: { s: 's3' } });
      assert.deepEqual(stages(scan.executionStats.executionStages), ['COLLSCAN']);
      assert.equal(scan.executionStats.totalDocsExamined, 30);
      assert.equal(scan.executionStats.totalKeysExamined, 0);
    });

    test('allPlansExecution reports the trial of every candidate, the winner included', async () => {
      const reply = await explain(
        { find: 'ex', filter: { a: 1, b: { $gte: 2 } } },
        'allPlansExecution',
      );
      const all = reply.executionStats.allPlansExecution as Document[];
      assert.equal(all.length, 3);
      const names = all.map((plan) => ixscan(plan.executionStages as ExplainStage).indexName);
      assert.deepEqual(names.sort(), ['a_1', 'a_1_b_1', 'b_1']);
      for (const plan of all) {
        assert.equal(typeof plan.nReturned, 'number');
        assert.equal(typeof plan.totalKeysExamined, 'number');
        assert.equal(typeof plan.totalDocsExamined, 'number');
      }
      // A single candidate is not raced.
      const single = await explain({ find: 'ex', filter: { s: 's1' } }, 'allPlansExecution');
      assert.deepEqual(single.executionStats.allPlansExecution, []);
    });

    test('index bounds print as MongoDB prints them', async () => {
      const cases: [Document, Document, Record<string, string[]>][] = [
        [{ a: { $gt: 2 } }, {}, { a: ['(2, inf.0]'] }],
        [{ a: { $lte: 2 } }, {}, { a: ['[-inf.0, 2]'] }],
        [{ a: { $in: [4, 1] } }, {}, { a: ['[1, 1]', '[4, 4]'] }],
        [{ a: null }, {}, { a: ['[undefined, undefined]', '[null, null]'] }],
        [{ a: { $exists: true } }, {}, { a: ['[MinKey, MaxKey]'] }],
        [{ a: { $gte: 1 } }, { a: -1 }, { a: ['[inf.0, 1]'] }],
      ];
      for (const [filter, sort, indexBounds] of cases) {
        const reply = await explain({ find: 'ex', filter, sort, hint: 'a_1' }, 'queryPlanner');
        assert.deepEqual(ixscan(reply.queryPlanner.winningPlan).indexBounds, indexBounds);
      }
      const backward = await explain({
        find: 'ex',
        filter: { a: 1 },
        sort: { b: -1 },
        hint: 'a_1_b_1',
      });
      const scan = ixscan(backward.queryPlanner.winningPlan);
      assert.equal(scan.direction, 'backward');
      assert.deepEqual(scan.indexBounds, { a: ['[1, 1]'], b: ['[MaxKey, MinKey]'] });
      assert.ok(!stages(backward.queryPlanner.winningPlan).includes('SORT'));
    });

    test('count, distinct, update and delete explain with their own root stage', async () => {
      const counted = await explain({ count: 'ex', query: { a: 1 } });
      assert.deepEqual(stages(counted.queryPlanner.winningPlan).slice(0, 1), ['COUNT']);
      const update = await explain({
        update: 'ex',
        updates: [{ q: { a: 1 }, u: { $set: { z: 1 } } }],
      });
      assert.equal(update.queryPlanner.winningPlan.stage, 'UPDATE');
      const remove = await explain({ delete: 'ex', deletes: [{ q: { a: 1 }, limit: 0 }] });
      assert.equal(remove.queryPlanner.winningPlan.stage, 'DELETE');
      // Explained writes change nothing.
      assert.equal((await collection('ex').find({ z: 1 }).toArray()).length, 0);
      assert.equal(await count('ex'), 30);
    });
  });

  describe('covered queries, index builds, long keys and collMod', () => {
    test('a covered query reads no documents and keeps numeric types', async () => {
      const coll = collection('covered');
      await coll.createIndex({ a: 1, b: -1 });
      await coll.insertMany([
        { _id: 1, a: 1, b: new Double(2.5), c: 'x' },
        { _id: 2, a: Long.fromNumber(2), b: Decimal128.fromString('1.10'), c: 'y' },
        { _id: 3, a: new Double(3), b: 'three', c: 'z' },
      ]);
      // b is projected only where the filter guarantees it: a missing b and b: null share
      // one key, so a covered b could not tell them apart.
      const command = {
        find: 'covered',
        filter: { a: { $gte: 2 }, b: { $in: [Decimal128.fromString('1.1'), 'three'] } },
        projection: { a: 1, b: 1, _id: 0 },
      };
      const reply = await explain(command);
      assert.deepEqual(stages(reply.queryPlanner.winningPlan), ['PROJECTION_COVERED', 'IXSCAN']);
      assert.equal(reply.executionStats.totalDocsExamined, 0);
      assert.equal(reply.executionStats.totalKeysExamined, 2);
      // The index keeps each value's exact type and decimal digits.
      const raw = await db.command(command, { promoteValues: false });
      assert.deepEqual(raw.cursor.firstBatch, [
        { a: Long.fromNumber(2), b: Decimal128.fromString('1.10') },
        { a: new Double(3), b: 'three' },
      ]);
      // _id is not in the index: fetching is needed.
      const fetched = await explain({ find: 'covered', filter: { a: 2 }, projection: { a: 1 } });
      assert.equal(fetched.executionStats.totalDocsExamined, 1);
    });

    test('an index built over existing documents answers queries at once', async () => {
      const coll = collection('built');
      const docs = [];
      for (let i = 0; i < 2500; i++) docs.push({ _id: i, k: i % 250, arr: [i % 7, (i + 1) % 7] });
      await coll.insertMany(docs);
      await coll.createIndexes([{ key: { k: 1 } }, { key: { arr: 1 } }]);
      const plan = await explain({ find: 'built', filter: { k: 42 } });
      assert.equal(ixscan(plan.queryPlanner.winningPlan).indexName, 'k_1');
      assert.equal(plan.executionStats.nReturned, 10);
      assert.equal(plan.executionStats.totalKeysExamined, 10);
      const viaIndex = await coll.find({ arr: 3 }).sort({ _id: -1 }).toArray();
      const viaScan = await coll.find({ arr: 3 }).sort({ _id: -1 }).hint({ $natural: 1 }).toArray();
      assert.equal(viaIndex.length, docs.filter((doc) => doc.arr.includes(3)).length);
      assert.deepEqual(viaIndex, viaScan);
      const arrPlan = await explain({ find: 'built', filter: { arr: 3 } });
      assert.equal(ixscan(arrPlan.queryPlanner.winningPlan).isMultiKey, true);
      // A descending scan longer than a yield interval returns everything once.
      const descending = await coll
        .find({ k: { $gte: 0 } })
        .sort({ k: -1 })
        .toArray();
      assert.equal(descending.length, 2500);
      assert.equal(descending[0]?.k, 249);
    });

    test('keys longer than 2 KB work in unique and non-unique indexes', async () => {
      const coll = collection('long');
      await coll.createIndex({ s: 1 }, { unique: true });
      await coll.createIndex({ t: 1 });
      const prefix = 'x'.repeat(2990);
      await coll.insertMany([
        { _id: 1, s: `${prefix}a`, t: prefix },
        { _id: 2, s: `${prefix}c`, t: prefix },
        { _id: 3, s: `${prefix}b`, t: `${prefix}!` },
        { _id: 4, s: 'short', t: prefix },
      ]);
      await rejects(coll.insertOne({ _id: 5, s: `${prefix}b` }), 11000, undefined);
      const found = await explain({ find: 'long', filter: { s: `${prefix}b` } });
      assert.equal(ixscan(found.queryPlanner.winningPlan).indexName, 's_1');
      assert.equal(found.executionStats.nReturned, 1);
      const range = await coll
        .find({ s: { $gt: `${prefix}a` } })
        .sort({ s: -1 })
        .toArray();
      assert.deepEqual(
        range.map((doc) => doc._id),
        [2, 3],
      );
      const ascending = await coll
        .find({ s: { $gte: '' } })
        .hint('s_1')
        .toArray();
      assert.deepEqual(ascending.map((doc) => doc._id).sort(), [1, 2, 3, 4]);
      assert.deepEqual(
        (await coll.find({ t: prefix }).sort({ _id: 1 }).toArray()).map((doc) => doc._id),
        [1, 2, 4],
      );
      const prefixed = await coll.find({ s: { $regex: `^${prefix}[ab]` } }).toArray();
      assert.deepEqual(prefixed.map((doc) => doc._id).sort(), [1, 3]);
      await coll.updateOne({ _id: 1 }, { $set: { s: `${prefix}d`, t: `${prefix}!` } });
      assert.deepEqual(await coll.find({ s: `${prefix}a` }).toArray(), []);
      assert.deepEqual(
        (
          await coll
            .find({ t: `${prefix}!` })
            .sort({ _id: 1 })
            .toArray()
        ).map((doc) => doc._id),
        [1, 3],
      );
      await coll.deleteOne({ _id: 2 });
      await coll.insertOne({ _id: 6, s: `${prefix}c` });
      // A unique build over long duplicates fails like any other.
      const other = collection('long_build');
      await other.insertMany([
        { _id: 1, u: `${prefix}u` },
        { _id: 2, u: `${prefix}v` },
        { _id: 3, u: `${prefix}u` },
      ]);
      await rejects(other.createIndex({ u: 1 }, { unique: true }), 11000, 'DuplicateKey');
    });

    test('collMod converts an index to unique through prepareUnique', async () => {
      const coll = collection('convert');
      await coll.createIndex({ u: 1 });
      await coll.insertMany([
        { _id: 1, u: 1 },
        { _id: 2, u: 1 },
        { _id: 3, u: 2 },
      ]);
      await rejects(
        db.command({ collMod: 'convert', index: { keyPattern: { u: 1 }, unique: true } }),
        72,
        'InvalidOptions',
      );
      const prepared = await db.command({
        collMod: 'convert',
        index: { keyPattern: { u: 1 }, prepareUnique: true },
      });
      assert.deepEqual(prepared, { prepareUnique_old: false, prepareUnique_new: true, ok: 1 });
      // New duplicates are refused once the index prepares to be unique.
      await rejects(coll.insertOne({ _id: 4, u: 2 }), 11000, undefined);
      const violation = await rejects(
        db.command({ collMod: 'convert', index: { keyPattern: { u: 1 }, unique: true } }),
        359,
        'CannotConvertIndexToUnique',
      );
      assert.deepEqual(violation.errorResponse.violations, [{ ids: [1, 2] }]);
      await coll.deleteOne({ _id: 2 });
      const converted = await db.command({
        collMod: 'convert',
        index: { keyPattern: { u: 1 }, unique: true },
      });
      assert.deepEqual(converted, { unique_new: true, ok: 1 });
      const [, spec] = await coll.listIndexes().toArray();
      assert.deepEqual(spec, { v: 2, key: { u: 1 }, name: 'u_1', unique: true });
      await rejects(coll.insertOne({ _id: 5, u: 1 }), 11000, undefined);
      await rejects(
        db.command({ collMod: 'convert', index: { name: 'u_1', expireAfterSeconds: 5 } }),
        72,
        'InvalidOptions',
      );
    });
  });
});

describe('index state across a restart', () => {
  test('an index stays multikey after the server restarts', async () => {
    const dbPath = temporaryDirectory();
    const run = async (work: (db: Db) => Promise<void>): Promise<void> => {
      const server = await startServer({ dbPath });
      const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
      try {
        await work(client.db('restart'));
      } finally {
        await client.close();
        await server.stop();
      }
    };
    try {
      await run(async (db) => {
        await db.collection<Loose>('c').createIndex({ a: 1 });
        await db.collection<Loose>('c').insertOne({ _id: 1, a: [1, 5] });
      });
      await run(async (db) => {
        // 1 < 3 and 5 > 3 hold for different elements: the bounds must not be intersected.
        const found = await db
          .collection<Loose>('c')
          .find({ a: { $gt: 2, $lt: 4 } })
          .toArray();
        assert.deepEqual(found, [{ _id: 1, a: [1, 5] }]);
        const plan = await db.command({ explain: { find: 'c', filter: { a: 5 } } });
        assert.equal(ixscan(plan.queryPlanner.winningPlan).isMultiKey, true);
      });
    } finally {
      rmSync(dbPath, { recursive: true, force: true });
    }
  });
});
