/**
 * Unique, sparse, partial, hidden and TTL indexes through the driver against a live
 * shoald. Expected replies follow MongoDB 7.0.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal128, Double, Int32, Long } from 'mongodb';
import type { Db, Document } from 'mongodb';
import { ixscan, rejects, stages, useIndexServer } from '../helpers/index-suite.js';

describe('indexes: unique, sparse, partial, hidden, TTL', () => {
  const { collection, count, explain, ...suite } = useIndexServer();
  let db: Db;
  before(() => {
    db = suite.db();
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
});
